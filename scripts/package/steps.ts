/**
 * The steps of `npm run package`, in order. Each step lives in its own file in this folder and is
 * listed here once.
 */
import type { PackageStep } from "./context.ts";
import { pythonSdkStep } from "./python-sdk.ts";
import { tsSdkStep } from "./ts-sdk.ts";

export const STEPS: PackageStep[] = [pythonSdkStep, tsSdkStep];
