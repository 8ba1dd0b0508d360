/** `heptora start`: runs the robot daemon in the foreground until SIGINT or SIGTERM. */
import { runDaemon } from "../../start-daemon.ts";
import type { CommandRun } from "../command.ts";

export const run: CommandRun = async ({ config, io }) => {
  return runDaemon({ config, stdout: io.stdout, stderr: io.stderr });
};
