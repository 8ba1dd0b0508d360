/** `heptora secrets restore NAME --version N`: make a kept version the current value again. */
import type { CommandRun } from "../command.ts";
import { flag, printJson, stringOption, UsageError, writeLine } from "../command.ts";

export const run: CommandRun = async ({ client, args, options, io }) => {
  const raw = stringOption(options, "version");
  const version = raw === undefined ? Number.NaN : Number(raw);
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new UsageError(
      "Pass the version to restore with --version N (see heptora secrets history).",
    );
  }
  const info = await client().restore(args[0] as string, version);
  if (flag(options, "json")) printJson(io, info);
  else
    writeLine(
      io.stdout,
      `Restored ${info.name}: version ${version} is current again (now version ${info.version}).`,
    );
  return 0;
};
