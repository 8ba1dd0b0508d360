/** `heptora secrets unset NAME`: remove a value (its history stays, encrypted, for restore). */
import type { CommandRun } from "../command.ts";
import { flag, printJson, writeLine } from "../command.ts";

export const run: CommandRun = async ({ client, args, options, io }) => {
  const result = await client().unsetSecret(args[0] as string);
  if (flag(options, "json")) printJson(io, result);
  else if (result.removed) writeLine(io.stdout, `Removed the value of ${result.name}.`);
  else writeLine(io.stdout, `${result.name} had no value: nothing to remove.`);
  return 0;
};
