/** `heptora secrets list [--process P] [--json]`: names grouped by process, set or not. */
import type { CommandRun } from "../command.ts";
import { flag, printJson, stringOption, writeLine } from "../command.ts";
import { formatTable, formatTime } from "../table.ts";

export const run: CommandRun = async ({ client, options, io }) => {
  const list = await client().listSecrets(stringOption(options, "process"));
  if (flag(options, "json")) {
    printJson(io, list);
    return 0;
  }
  if (list.processes.length === 0) {
    writeLine(io.stdout, "No process is assigned to this robot yet (heptora login, heptora sync).");
  } else {
    const rows: string[][] = [];
    for (const process of list.processes) {
      for (const variable of process.variables) {
        rows.push([
          process.name,
          variable.name,
          variable.set ? "set" : "not set",
          formatTime(variable.updatedAt),
        ]);
      }
      if (process.variables.length === 0) rows.push([process.name, "-", "-", "-"]);
    }
    writeLine(io.stdout, formatTable(["PROCESS", "NAME", "VALUE", "LAST CHANGE"], rows));
  }
  if (list.undeclared.length > 0) {
    const names = list.undeclared.map((s) => s.name).join(", ");
    writeLine(io.stdout, `Kept but no longer declared by any process: ${names}`);
  }
  return 0;
};
