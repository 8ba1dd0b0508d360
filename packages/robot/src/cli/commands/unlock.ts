/**
 * `heptora unlock [--passphrase-stdin | --recovery-key-stdin]`: unlocks a locked robot's vault.
 * On a terminal the passphrase is asked with a masked prompt; scripts pass it (or a recovery key)
 * on standard input. Never on the command line, never in the environment.
 */
import type { CommandRun } from "../command.ts";
import { flag, printJson, UsageError, writeLine } from "../command.ts";
import { promptHidden, readAllStdin } from "../prompt.ts";
import { kindName, unlockedCheck } from "./vault-keys-client.ts";

export const run: CommandRun = async ({ client, options, io }) => {
  const byPassphrase = flag(options, "passphrase-stdin");
  const byRecovery = flag(options, "recovery-key-stdin");
  if (byPassphrase && byRecovery) {
    throw new UsageError("Use --passphrase-stdin or --recovery-key-stdin, not both.");
  }
  const robot = client();
  let body: { passphrase: string } | { recoveryKey: string };
  if (byRecovery) body = { recoveryKey: (await readAllStdin(io)).trim() };
  else if (byPassphrase) body = { passphrase: await readAllStdin(io) };
  else if (io.interactive) body = { passphrase: await promptHidden(io, "Vault passphrase: ") };
  else {
    throw new UsageError(
      "No terminal to ask for the passphrase: pass it on standard input with --passphrase-stdin (or a recovery key with --recovery-key-stdin).",
    );
  }
  const secret = "passphrase" in body ? body.passphrase : body.recoveryKey;
  if (secret.length === 0) throw new UsageError("Nothing was given: the vault stays locked.");
  const result = await robot.vaultKeys(unlockedCheck, "POST", "/unlock", body);
  if (flag(options, "json")) printJson(io, result);
  else writeLine(io.stdout, `The vault is unlocked (with its ${kindName(result.slot)} slot).`);
  return 0;
};
