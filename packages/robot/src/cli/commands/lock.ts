/** `heptora lock`: locks the vault; its data key is wiped from the robot's memory. */
import type { CommandRun } from "../command.ts";
import { flag, printJson, writeLine } from "../command.ts";
import { lockedCheck } from "./vault-keys-client.ts";

export const run: CommandRun = async ({ client, options, io }) => {
  const result = await client().vaultKeys(lockedCheck, "POST", "/lock", {});
  if (flag(options, "json")) printJson(io, result);
  else {
    writeLine(
      io.stdout,
      "The vault is locked: runs and reads wait for heptora unlock (with a passphrase or recovery key).",
    );
  }
  return 0;
};
