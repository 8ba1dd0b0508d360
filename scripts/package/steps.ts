/**
 * The steps of `npm run package`, in order. Each step lives in its own file in this folder and is
 * listed here once.
 */
import type { PackageStep } from "./context.ts";
import { platformExecutable, robotExecutables } from "./executables.ts";
import { platformDeb } from "./platform-deb.ts";
import { robotDeb } from "./robot-deb.ts";

export const STEPS: PackageStep[] = [];
STEPS.push(robotExecutables);
STEPS.push(platformExecutable);
STEPS.push(robotDeb);
STEPS.push(platformDeb);
