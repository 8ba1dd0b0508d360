/** `heptora secrets history NAME`: the kept versions of a value (dates only, never values). */
import type { Command } from "../command.ts";
import { flag, printJson, writeLine } from "../command.ts";
import { formatTable, formatTime } from "../table.ts";

export const secretsHistoryCommand: Command = {
  name: "secrets history",
  usage: "heptora secrets history NAME [--json]",
  summary: "list the kept versions of a secret's value",
  options: { json: { type: "boolean" } },
  args: { min: 1, max: 1 },
  async run({ client, args, options, io }) {
    const history = await client().history(args[0] as string);
    if (flag(options, "json")) {
      printJson(io, history);
      return 0;
    }
    if (history.versions.length === 0) {
      writeLine(io.stdout, `${history.name} has no kept versions.`);
      return 0;
    }
    const rows = history.versions.map((v) => [
      String(v.version),
      formatTime(v.createdAt),
      v.current ? "current" : "",
    ]);
    writeLine(io.stdout, formatTable(["VERSION", "SAVED", ""], rows));
    return 0;
  },
};
