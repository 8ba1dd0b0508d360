/** `heptora secrets get NAME`: reveal a value on standard output (audited as secret.reveal). */
import type { CommandRun } from "../command.ts";
import { flag, printJson } from "../command.ts";

export const run: CommandRun = async ({ client, args, options, io }) => {
  const secret = await client().revealSecret(args[0] as string);
  if (flag(options, "json")) printJson(io, secret);
  else io.stdout.write(flag(options, "no-newline") ? secret.value : `${secret.value}\n`);
  return 0;
};
