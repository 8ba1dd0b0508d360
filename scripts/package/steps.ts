/**
 * The steps of `npm run package`, in order. Each step lives in its own file in this folder and is
 * listed here once.
 */
import type { PackageStep } from "./context.ts";
import { platformExecutable, robotExecutables } from "./executables.ts";
import { platformDeb } from "./platform-deb.ts";
import { pythonSdkStep } from "./python-sdk.ts";
import { robotDeb } from "./robot-deb.ts";
import { tsSdkStep } from "./ts-sdk.ts";

export const STEPS: PackageStep[] = [
  pythonSdkStep,
  tsSdkStep,
  robotExecutables,
  platformExecutable,
  robotDeb,
  platformDeb,
];
