/**
 * `heptora vault backup FILE [--passphrase-stdin] [--json]`: the running robot writes one
 * encrypted archive of the whole vault (every person's values and history, settings, definitions,
 * run records, audit) to FILE, sealed to a passphrase (asked twice on a terminal), 0600
 * (docs/adr/0080). The passphrase is the only way back in: it is not stored anywhere.
 */
import { resolve } from "node:path";
import { VaultKeyPaths } from "@heptora/protocol";
import { schemaCheck } from "../answer-check.ts";
import type { CommandRun } from "../command.ts";
import { flag, printJson, UsageError, writeLine } from "../command.ts";
import { readPassphrase } from "./vault-passphrase.ts";

/** Argon2id and a copy of a large vault take a while. */
const BACKUP_TIMEOUT_MS = 10 * 60_000;

export const run: CommandRun = async ({ client, args, options, io }) => {
  const robot = client();
  const file = resolve(args[0] as string);
  const passphrase = await readPassphrase(
    io,
    flag(options, "passphrase-stdin"),
    "A passphrase for the backup (8 characters or more): ",
    true,
  );
  if (passphrase.length < 8 || passphrase.length > 1024) {
    throw new UsageError("A backup passphrase has 8 to 1024 characters: nothing was written.");
  }
  const summary = await robot.post(
    schemaCheck((p) => p.BackupSummarySchema),
    VaultKeyPaths.backup,
    { file, passphrase },
    BACKUP_TIMEOUT_MS,
  );
  if (flag(options, "json")) {
    printJson(io, { file, ...summary });
    return 0;
  }
  writeLine(
    io.stdout,
    `Backup written to ${file}: ${summary.values} values of ${summary.persons} ${summary.persons === 1 ? "person" : "persons"} (${summary.versions} kept versions), ${summary.auditEntries} audit entries, ${summary.runRecords} run records (vault ${summary.vaultId}, ${summary.createdAt}).`,
  );
  writeLine(
    io.stdout,
    "Keep the passphrase safe: without it the archive cannot be restored. Restore with: heptora vault restore FILE --data-dir D",
  );
  return 0;
};
