/** `heptora start`: runs the robot daemon in the foreground until SIGINT or SIGTERM. */
import { runDaemon } from "../../start-daemon.ts";
import type { Command } from "../command.ts";

export const startCommand: Command = {
  name: "start",
  usage: "heptora start [--data-dir D] [--platform URL] [--key-file F]",
  summary: "run the robot daemon in the foreground",
  args: { min: 0, max: 0 },
  async run({ config, io }) {
    return runDaemon({ config, stdout: io.stdout, stderr: io.stderr });
  },
};
