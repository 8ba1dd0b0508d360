/**
 * `heptora vault slots remove ID`: removes a key slot. The last slot is never removed; removing
 * the key-file slot deletes the key file, removing an OS keychain slot deletes its entry.
 */
import type { CommandRun } from "../command.ts";
import { flag, printJson, writeLine } from "../command.ts";
import { kindName, removedCheck } from "./vault-keys-client.ts";

export const run: CommandRun = async ({ client, args, options, io }) => {
  const id = args[0] as string;
  const result = await client().vaultKeys(
    removedCheck,
    "DELETE",
    `/slots/${encodeURIComponent(id)}`,
  );
  if (flag(options, "json")) {
    printJson(io, result);
    return 0;
  }
  writeLine(io.stdout, `Removed the ${kindName(result.removed.kind)} slot ${result.removed.id}.`);
  if (result.keyFileDeleted) writeLine(io.stdout, "The key file was deleted.");
  if (result.keychainEntryDeleted) writeLine(io.stdout, "Its OS keychain entry was deleted.");
  return 0;
};
