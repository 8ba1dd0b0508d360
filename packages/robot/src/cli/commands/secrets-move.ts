/**
 * `heptora secrets move OLD NEW`: moves the signed-in person's value OLD, which no process
 * declares any more (a variable renamed or removed on the platform), and its history onto the
 * declared name NEW, which has no value yet. Audited on the robot; never shows a value.
 */
import type { CommandRun } from "../command.ts";
import { flag, printJson, writeLine } from "../command.ts";

export const run: CommandRun = async ({ client, args, options, io }) => {
  const from = args[0] as string;
  const info = await client().move(from, args[1] as string);
  if (flag(options, "json")) printJson(io, info);
  else
    writeLine(
      io.stdout,
      `Moved ${from} to ${info.name}, with its history (version ${info.version}).`,
    );
  return 0;
};
