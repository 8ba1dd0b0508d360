/**
 * The self-contained executables (design section 6): `heptora-linux-x64` and
 * `heptora-win-x64.exe` (the robot: CLI and daemon, the Secrets window inside) and
 * `heptora-platform-linux-x64` (the platform, its web app inside). See scripts/package/sea.ts.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { PackageContext, PackageStep } from "./context.ts";
import { assetsOf, buildExecutable } from "./sea.ts";

export const ROBOT_LINUX = "heptora-linux-x64";
export const ROBOT_WINDOWS = "heptora-win-x64.exe";
export const PLATFORM_LINUX = "heptora-platform-linux-x64";

function robot(context: PackageContext, target: "linux-x64" | "win-x64", output: string) {
  return buildExecutable(context, {
    entry: join(context.root, "packages", "robot", "src", "sea-main.ts"),
    output,
    target,
    assets: assetsOf(join(context.root, "packages", "robot", "web", "dist"), "robot-web/"),
  });
}

function platform(context: PackageContext) {
  return buildExecutable(context, {
    entry: join(context.root, "packages", "platform", "src", "sea-main.ts"),
    output: PLATFORM_LINUX,
    target: "linux-x64",
    assets: assetsOf(join(context.root, "packages", "platform", "web", "dist"), "platform-web/"),
  });
}

/** The executable in dist/, built now when an earlier step has not (`npm run package -- deb`). */
export async function ensureExecutable(context: PackageContext, name: string): Promise<string> {
  const file = join(context.dist, name);
  if (existsSync(file)) return file;
  return name === PLATFORM_LINUX ? platform(context) : robot(context, "linux-x64", name);
}

export const robotExecutables: PackageStep = {
  name: "robot-executables",
  run: async (context) => [
    await robot(context, "linux-x64", ROBOT_LINUX),
    await robot(context, "win-x64", ROBOT_WINDOWS),
  ],
};

export const platformExecutable: PackageStep = {
  name: "platform-executable",
  run: async (context) => [await platform(context)],
};
