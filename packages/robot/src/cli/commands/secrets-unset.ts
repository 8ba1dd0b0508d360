/** `heptora secrets unset NAME`: remove a value (its history stays, encrypted, for restore). */
import type { Command } from "../command.ts";
import { flag, printJson, writeLine } from "../command.ts";

export const secretsUnsetCommand: Command = {
  name: "secrets unset",
  usage: "heptora secrets unset NAME [--json]",
  summary: "remove a secret's value from this robot",
  options: { json: { type: "boolean" } },
  args: { min: 1, max: 1 },
  async run({ client, args, options, io }) {
    const result = await client().unsetSecret(args[0] as string);
    if (flag(options, "json")) printJson(io, result);
    else if (result.removed) writeLine(io.stdout, `Removed the value of ${result.name}.`);
    else writeLine(io.stdout, `${result.name} had no value: nothing to remove.`);
    return 0;
  },
};
