/**
 * `heptora vault slots add passphrase [--passphrase-stdin] | recovery | os-keychain`: a new key
 * slot for the unlocked vault. A passphrase is asked twice on a terminal, or read from standard
 * input; never from the command line. A recovery key is printed once, with a line saying to
 * write it down: it is not stored anywhere.
 */
import type { CommandRun } from "../command.ts";
import { flag, printJson, stringOption, UsageError, writeLine } from "../command.ts";
import { promptHidden, readAllStdin } from "../prompt.ts";
import { addedCheck, kindName } from "./vault-keys-client.ts";

const KINDS = ["passphrase", "recovery", "os-keychain"] as const;

export const run: CommandRun = async ({ client, args, options, io }) => {
  const kind = args[0] as string;
  if (!(KINDS as readonly string[]).includes(kind)) {
    throw new UsageError(
      `There is no '${kind}' slot kind: use passphrase, recovery or os-keychain.`,
    );
  }
  const label = stringOption(options, "label");
  const robot = client();
  let body: Record<string, string>;
  if (kind === "passphrase") {
    let passphrase: string;
    if (flag(options, "passphrase-stdin")) passphrase = await readAllStdin(io);
    else if (io.interactive) {
      passphrase = await promptHidden(io, "New vault passphrase: ");
      const again = await promptHidden(io, "Again: ");
      if (again !== passphrase)
        throw new UsageError("The two passphrases differ: nothing was changed.");
    } else {
      throw new UsageError(
        "No terminal to ask for the passphrase: pass it on standard input with --passphrase-stdin.",
      );
    }
    body = { kind, passphrase };
  } else {
    if (flag(options, "passphrase-stdin")) {
      throw new UsageError(
        "--passphrase-stdin goes with 'heptora vault slots add passphrase' only.",
      );
    }
    body = { kind };
  }
  if (label !== undefined) body.label = label;
  const added = await robot.vaultKeys(addedCheck, "POST", "/slots", body);
  if (flag(options, "json")) {
    printJson(io, added);
    return 0;
  }
  const article = added.slot.kind === "os-keychain" ? "an" : "a";
  writeLine(io.stdout, `Added ${article} ${kindName(added.slot.kind)} slot: ${added.slot.id}`);
  if (added.recoveryKey !== undefined) {
    writeLine(io.stdout, "");
    writeLine(io.stdout, `    ${added.recoveryKey}`);
    writeLine(io.stdout, "");
    writeLine(
      io.stdout,
      "Write this recovery key down now and keep it somewhere safe, away from this machine: it is shown only once and opens the vault when every other slot is lost.",
    );
  }
  return 0;
};
