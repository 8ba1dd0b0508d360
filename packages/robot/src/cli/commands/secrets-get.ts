/** `heptora secrets get NAME`: reveal a value on standard output (audited as secret.reveal). */
import type { Command } from "../command.ts";
import { flag, printJson } from "../command.ts";

export const secretsGetCommand: Command = {
  name: "secrets get",
  usage: "heptora secrets get NAME [--no-newline] [--json]",
  summary: "print a secret's value (audited)",
  options: { "no-newline": { type: "boolean" }, json: { type: "boolean" } },
  args: { min: 1, max: 1 },
  async run({ client, args, options, io }) {
    const secret = await client().revealSecret(args[0] as string);
    if (flag(options, "json")) printJson(io, secret);
    else io.stdout.write(flag(options, "no-newline") ? secret.value : `${secret.value}\n`);
    return 0;
  },
};
