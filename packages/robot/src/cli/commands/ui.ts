/** `heptora ui`: opens the Secrets window. A stub until the window lands. */
import type { Command } from "../command.ts";
import { writeLine } from "../command.ts";

export const uiCommand: Command = {
  name: "ui",
  usage: "heptora ui",
  summary: "open the Secrets window",
  args: { min: 0, max: 0 },
  async run({ io }) {
    writeLine(io.stderr, "The Secrets window is not available yet");
    return 1;
  },
};
