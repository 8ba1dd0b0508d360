/** `heptora runs list [--json]`: the runs going on now, which process, since when. */
import type { CommandRun } from "../command.ts";
import { flag, printJson, writeLine } from "../command.ts";
import { formatTable, formatTime } from "../table.ts";

export const run: CommandRun = async ({ client, options, io }) => {
  const answer = await client().runsList();
  if (flag(options, "json")) {
    printJson(io, answer);
    return 0;
  }
  if (answer.runs.length === 0) {
    writeLine(io.stdout, "No run is going on.");
    return 0;
  }
  const rows = answer.runs.map((r) => [r.runId, r.process.name, formatTime(r.startedAt)]);
  writeLine(io.stdout, formatTable(["Run", "Process", "Started"], rows));
  return 0;
};
