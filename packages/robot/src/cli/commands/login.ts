/**
 * `heptora login [--email E] [--password-stdin]`: sign the robot in with the web credentials.
 * On a terminal it prompts (email visible, password masked); scripts pass the password on stdin.
 */
import type { CommandRun } from "../command.ts";
import { flag, printJson, stringOption, UsageError, writeLine } from "../command.ts";
import { promptHidden, promptLine, readAllStdin } from "../prompt.ts";

export const run: CommandRun = async ({ client, options, io }) => {
  const robot = client();
  const passwordFromStdin = flag(options, "password-stdin");
  let email = stringOption(options, "email");
  if (email === undefined) {
    if (!io.interactive || passwordFromStdin) {
      throw new UsageError("Pass --email when the password comes from standard input.");
    }
    email = await promptLine(io, "Email: ");
  }
  let password: string;
  if (passwordFromStdin) password = await readAllStdin(io);
  else if (io.interactive)
    password = await promptHidden(
      io,
      "Password: ",
      "A password has no line breaks: paste it alone, or use --password-stdin.",
    );
  else {
    throw new UsageError(
      "No terminal to ask for the password: pass it on standard input with --password-stdin.",
    );
  }
  if (password.length === 0) throw new UsageError("The password is empty.");
  const result = await robot.login(email, password);
  if (flag(options, "json")) {
    printJson(io, result);
    return 0;
  }
  writeLine(io.stdout, `Signed in as ${result.email} (robot ${result.robotId}).`);
  if (result.sync !== null) {
    const n = result.sync.processes;
    writeLine(io.stdout, `Synced ${n} ${n === 1 ? "process" : "processes"}.`);
  } else if (result.syncError !== null) {
    writeLine(io.stderr, `The first sync failed: ${result.syncError} It will be retried.`);
  }
  return 0;
};
