/** `heptora sync`: fetch the definitions from the platform now and report which names are set. */
import type { CommandRun } from "../command.ts";
import { flag, printJson, writeLine } from "../command.ts";

export const run: CommandRun = async ({ client, options, io }) => {
  const result = await client().sync();
  if (flag(options, "json")) printJson(io, result);
  else {
    const plural = result.processes === 1 ? "process" : "processes";
    writeLine(
      io.stdout,
      `Synced ${result.processes} ${plural} (${result.changed} changed, ${result.removed} removed).`,
    );
  }
  return 0;
};
