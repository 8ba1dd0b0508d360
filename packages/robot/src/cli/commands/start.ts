/**
 * `heptora start`: runs the robot daemon in the foreground until SIGINT or SIGTERM. The daemon
 * (vault, node:sqlite, servers) is imported here only, when this command runs.
 */
import type { CommandRun } from "../command.ts";

export const run: CommandRun = async ({ config, io }) => {
  const { runDaemon } = await import("../../start-daemon.ts");
  return runDaemon({ config, stdout: io.stdout, stderr: io.stderr });
};
