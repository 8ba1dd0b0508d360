/** `heptora secrets history NAME`: the kept versions of a value (dates only, never values). */
import type { CommandRun } from "../command.ts";
import { flag, printJson, writeLine } from "../command.ts";
import { formatTable, formatTime } from "../table.ts";

export const run: CommandRun = async ({ client, args, options, io }) => {
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
};
