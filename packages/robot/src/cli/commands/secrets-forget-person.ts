/**
 * `heptora secrets forget-person EMAIL [--yes]`: removes another person's values (and their kept
 * versions) from this robot, audited with the count, never showing them (docs/adr/0066). Asks for
 * confirmation on a terminal unless --yes; without a terminal, --yes is required.
 */
import type { CommandRun } from "../command.ts";
import { flag, printJson, UsageError, writeLine } from "../command.ts";
import { promptLine } from "../prompt.ts";

export const run: CommandRun = async ({ client, args, options, io }) => {
  const email = args[0] as string;
  if (!flag(options, "yes")) {
    if (!io.interactive) {
      throw new UsageError(`Pass --yes to remove the values of ${email} without a terminal.`);
    }
    const answer = await promptLine(
      io,
      `Remove every value ${email} set on this robot, with its history? This cannot be undone. [y/N] `,
    );
    if (!/^y(es)?$/i.test(answer)) {
      writeLine(io.stdout, "Nothing was removed.");
      return 1;
    }
  }
  const result = await client().forgetPerson(email);
  if (flag(options, "json")) printJson(io, result);
  else if (result.removed === 0) writeLine(io.stdout, `${result.email} had no values here.`);
  else
    writeLine(
      io.stdout,
      `Removed ${result.removed} value${result.removed === 1 ? "" : "s"} of ${result.email} from this robot.`,
    );
  return 0;
};
