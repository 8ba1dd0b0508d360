/**
 * Where `npm start`'s demo robot keeps its key: where a plain `heptora start --data-dir D` looks
 * for it (the default key file of that data dir, or the OS keychain where one answers), so that
 * restarting the robot with the command the messages print finds it (issue 14). Demo robots made
 * before kept their key file in ./.heptora/robot.key, which only npm start knew about: that file
 * (and its rollback checkpoint) is moved once to the default place, never overwriting one there.
 *
 * @example
 * const moved = moveDemoKeyToDefault({ oldKeyFile: ".heptora/robot.key", robotDataDir, env: process.env });
 */
import { existsSync, mkdirSync, renameSync } from "node:fs";
import { dirname } from "node:path";
import { defaultKeyFilePath } from "../packages/robot/src/paths.ts";

export function moveDemoKeyToDefault(options: {
  oldKeyFile: string;
  robotDataDir: string;
  env: Readonly<Record<string, string | undefined>>;
}): string | undefined {
  const target = defaultKeyFilePath({ dataDir: options.robotDataDir, env: options.env });
  if (!existsSync(options.oldKeyFile) || existsSync(target)) return undefined;
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  renameSync(options.oldKeyFile, target);
  const checkpoint = `${options.oldKeyFile}.checkpoint`;
  if (existsSync(checkpoint) && !existsSync(`${target}.checkpoint`)) {
    renameSync(checkpoint, `${target}.checkpoint`);
  }
  return target;
}
