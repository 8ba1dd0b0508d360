/**
 * Where the Windows tray helper may be run from: only the robot's own install, never the working
 * directory or a place someone else can write (ADR 0064). A helper planted there would run with
 * the robot user's rights and draw the menu through which they sign in and out.
 *
 * The install is found from this file's own location (import.meta.url), never from the working
 * directory or PATH; in the self-contained executable (docs/adr/0082) it is the executable's own
 * folder, where heptora-tray.exe ships beside heptora.exe. On POSIX (where the tests run it under Mono) the helper, its directory and
 * every directory above it must belong to root or to this user and be writable by nobody else (a
 * sticky directory such as /tmp is fine: others cannot rename what is ours in it). On Windows the
 * install directory's ACL is the installer's job (Program Files, or the user's own
 * %LOCALAPPDATA%\Programs): POSIX modes mean nothing there, so only the location rules apply.
 *
 * @example
 * const helperPath = resolveTrayHelper(); // throws TrayUnavailableError with a one-line reason
 */
import { realpathSync, type Stats, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { TrayUnavailableError } from "../tray.ts";

const inExecutable = process.getBuiltinModule("node:sea")?.isSea() === true;

/** The robot package (packages/robot, or the installed copy of it), or the executable's folder. */
export const ROBOT_INSTALL_DIR = inExecutable
  ? dirname(process.execPath)
  : fileURLToPath(new URL("../../../", import.meta.url));
export const HELPER_IN_INSTALL = inExecutable
  ? "heptora-tray.exe"
  : join("tray-windows", "dist", "heptora-tray.exe");

export interface HelperPathOptions {
  /** The robot's install; the default is where this file is. */
  installDir?: string;
  cwd?: string;
  platform?: NodeJS.Platform;
  /** This process's user id (POSIX). */
  uid?: number;
}

function inside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel !== "" && !rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel);
}

function unsafe(stats: Stats, uid: number, isDir: boolean): string | undefined {
  if (stats.uid !== 0 && stats.uid !== uid) return "belongs to another user";
  const sticky = (stats.mode & 0o1000) !== 0;
  if ((stats.mode & 0o022) !== 0 && !(isDir && sticky)) return "is writable by other users";
  return undefined;
}

/** The helper's absolute path, or a TrayUnavailableError saying in one line why not. */
export function resolveTrayHelper(options: HelperPathOptions = {}): string {
  const installDir = options.installDir ?? ROBOT_INSTALL_DIR;
  const platform = options.platform ?? process.platform;
  const refuse = (why: string) =>
    new TrayUnavailableError(`The Windows tray helper is not used: ${why}.`);
  if (!isAbsolute(installDir)) {
    throw refuse(`the robot's install directory ${installDir} is not an absolute path`);
  }
  let helper: string;
  let install: string;
  try {
    install = realpathSync(installDir);
    helper = realpathSync(join(installDir, HELPER_IN_INSTALL));
  } catch {
    throw refuse(
      `${join(installDir, HELPER_IN_INSTALL)} is missing (reinstall Heptora; from the sources, npm ci builds it with Mono's mcs)`,
    );
  }
  if (!inside(helper, install)) {
    throw refuse(`${helper} is outside the robot's install ${install}`);
  }
  let cwd: string | undefined;
  try {
    cwd = realpathSync(options.cwd ?? process.cwd());
  } catch {
    cwd = undefined;
  }
  if (cwd !== undefined && dirname(helper) === cwd) {
    throw refuse(`${helper} is in the current working directory; start Heptora from another one`);
  }
  if (platform === "win32") return helper;
  const uid = options.uid ?? process.getuid?.() ?? 0;
  const file = statSync(helper);
  if (!file.isFile()) throw refuse(`${helper} is not a file`);
  const fileProblem = unsafe(file, uid, false);
  if (fileProblem) throw refuse(`${helper} ${fileProblem}`);
  for (let dir = dirname(helper); ; dir = dirname(dir)) {
    const problem = unsafe(statSync(dir), uid, true);
    if (problem) throw refuse(`the directory ${dir} ${problem}`);
    if (dirname(dir) === dir) break;
  }
  return helper;
}
