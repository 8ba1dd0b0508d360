/**
 * `heptora secrets set NAME [--value-stdin]`: store a value in the vault. On a terminal the value
 * is asked for with a masked prompt (twice, to catch typos); scripts pass it on stdin. Never as an
 * argument: it would land in the shell history and the process list. A value shorter than 4
 * characters is refused (masking cannot hide it safely) unless --allow-short (audited).
 */
import type { CommandRun } from "../command.ts";
import { flag, printJson, UsageError, writeLine } from "../command.ts";
import { promptHidden, readAllStdin } from "../prompt.ts";

export const run: CommandRun = async ({ client, args, options, io }) => {
  const name = args[0] as string;
  const robot = client();
  let value: string;
  if (flag(options, "value-stdin")) value = await readAllStdin(io);
  else if (io.interactive) {
    const hint = `For a value with line breaks (a certificate, a key), use: heptora secrets set ${name} --value-stdin < FILE`;
    value = await promptHidden(io, `Value for ${name}: `, hint);
    const again = await promptHidden(io, "Again: ", hint);
    if (again !== value) throw new UsageError("The two values differ: nothing was changed.");
  } else {
    throw new UsageError(
      "No terminal to ask for the value: pass it on standard input with --value-stdin.",
    );
  }
  if (value.length === 0) throw new UsageError("The value is empty: nothing was changed.");
  const info = await robot.setSecret(name, value, { allowShort: flag(options, "allow-short") });
  if (flag(options, "json")) printJson(io, info);
  else writeLine(io.stdout, `Saved ${info.name} (version ${info.version}).`);
  return 0;
};
