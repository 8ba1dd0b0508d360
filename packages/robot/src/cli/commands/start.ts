/**
 * `heptora start`: runs the robot daemon in the foreground until SIGINT or SIGTERM. The daemon
 * (vault, node:sqlite, servers) is imported here only, when this command runs.
 */
import type { CommandRun } from "../command.ts";
import { flag, UsageError } from "../command.ts";

export const run: CommandRun = async ({ config, io, env, options }) => {
  if (flag(options, "tray") && flag(options, "no-tray")) {
    throw new UsageError("Choose --tray or --no-tray, not both.");
  }
  const tray = flag(options, "tray") ? "on" : flag(options, "no-tray") ? "off" : "auto";
  const { runDaemon } = await import("../../start-daemon.ts");
  return runDaemon({ config, stdout: io.stdout, stderr: io.stderr, tray, env });
};
