/**
 * Passphrases for the vault commands (rotate-key, backup, restore): from standard input
 * (`--passphrase-stdin`) or a masked prompt on a terminal; never from the command line.
 */
import type { CliIo } from "../command.ts";
import { UsageError } from "../command.ts";
import { promptHidden, readAllStdin } from "../prompt.ts";

const ONE_LINE = "A passphrase has no line breaks: paste it alone, or use --passphrase-stdin.";

/** One passphrase: the whole of standard input, or asked (twice when `confirm`). */
export async function readPassphrase(
  io: CliIo,
  fromStdin: boolean,
  question: string,
  confirm = false,
): Promise<string> {
  if (fromStdin) {
    const passphrase = await readAllStdin(io);
    if (passphrase.length === 0) throw new UsageError("The passphrase on standard input is empty.");
    return passphrase;
  }
  if (!io.interactive) {
    throw new UsageError(
      "No terminal to ask for the passphrase: pass it on standard input with --passphrase-stdin.",
    );
  }
  const passphrase = await promptHidden(io, question, ONE_LINE);
  if (passphrase.length === 0) throw new UsageError("The passphrase is empty.");
  if (confirm && (await promptHidden(io, "Again, to be sure: ", ONE_LINE)) !== passphrase) {
    throw new UsageError("The two passphrases differ: nothing was written.");
  }
  return passphrase;
}

/** Several passphrases on standard input, one a line (the vault's passphrase slots). */
export async function readPassphraseLines(io: CliIo): Promise<string[]> {
  const text = await readAllStdin(io);
  const lines = text.split(/\r?\n/).filter((line) => line.length > 0);
  if (lines.length === 0) throw new UsageError("No passphrase on standard input.");
  return lines;
}
