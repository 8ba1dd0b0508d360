/**
 * `heptora vault backup` and `heptora vault restore` in the vault (docs/adr/0080).
 *
 * A backup is the whole vault file (every person's values and history, settings, definitions,
 * run records, the audit chain), copied with SQLite's `VACUUM INTO` to a private temporary file in
 * the data dir, plus the data key that opens it, sealed together to a passphrase (archive.ts) and
 * written atomically (0600, write-then-rename).
 *
 * A restore authenticates the WHOLE archive before it writes anything, refuses a data dir that
 * already has a vault, gives the restored vault a new key-file slot for this machine (the old
 * machine's key-file and OS-keychain slots are removed: their keys stay there; passphrase and
 * recovery slots are kept and still open it), a fresh rollback checkpoint, and records a
 * `vault.restored` entry in its audit log.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { dirname, join, resolve } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { HeptoraError } from "@heptora/protocol";
import { randomKey, wipe } from "../crypto/kdf.ts";
import { randomId, SlotKind, wrapDataKey } from "../crypto/key-slots.ts";
import { auditHash, checkpointPath, writeCheckpoint } from "../integrity/checkpoint.ts";
import { ensurePrivateDir, setAsideKeyFile, writeKeyFile } from "../key-file.ts";
import { keychainAccount, type OsKeychain } from "../os-keychain.ts";
import { deriveVaultKeys, wipeVaultKeys } from "../rotation/rotate-key.ts";
import type { Db } from "../store/database.ts";
import { createKeysRepo } from "../store/keys-repo.ts";
import { KEYCHAIN_KDF, KEYFILE_KDF } from "../unlock.ts";
import { openVault, VAULT_FILE } from "../vault.ts";
import { openArchive, sealArchive } from "./archive.ts";

/** What an archive holds, told at backup and at restore (no value, no name). */
export interface BackupSummary {
  vaultId: string;
  /** When the backup was taken (ISO 8601). */
  createdAt: string;
  /** Names with a current value, of every person. */
  values: number;
  persons: number;
  /** Kept versions (current values and history). */
  versions: number;
  auditEntries: number;
  runRecords: number;
}

/** A backup is refused above this size (the archive is built in memory). */
const MAX_ARCHIVE_BYTES = 2 ** 31 - 1;

function checkPassphrase(passphrase: unknown): string {
  if (typeof passphrase !== "string" || passphrase.length < 8 || passphrase.length > 1024) {
    throw new HeptoraError("weak_password", {
      message: "A backup passphrase has 8 to 1024 characters.",
    });
  }
  return passphrase;
}

function summarise(db: Pick<Db, "prepare">, vaultId: string, createdAt: string): BackupSummary {
  const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  return {
    vaultId,
    createdAt,
    values: n("SELECT count(*) AS n FROM secrets WHERE current_version IS NOT NULL"),
    persons: n("SELECT count(DISTINCT person) AS n FROM secrets WHERE person <> ''"),
    versions: n("SELECT count(*) AS n FROM secret_versions"),
    auditEntries: n("SELECT count(*) AS n FROM audit"),
    runRecords: n("SELECT count(*) AS n FROM run_records"),
  };
}

/** Writes `bytes` to `path` atomically and durably, mode 0600. */
function writeAtomically(path: string, bytes: Buffer): void {
  const temporary = join(dirname(path), `.${process.pid}-${randomId()}.heptora-backup.tmp`);
  const fd = openSync(temporary, "wx", 0o600);
  try {
    try {
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  if (process.platform !== "win32") {
    const dir = openSync(dirname(path), "r");
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  }
}

export interface BackupSource {
  db: Db;
  dek: Buffer;
  vaultId: string;
  dataDir: string;
  clock: () => Date;
}

/**
 * Writes the archive of the open vault to `file`.
 *
 * @example
 * writeBackup(source, "/media/usb/robot.heptora-backup", "correct horse battery staple");
 */
export function writeBackup(
  source: BackupSource,
  file: string,
  passphrase: string,
  cost?: Parameters<typeof sealArchive>[2],
): BackupSummary {
  checkPassphrase(passphrase);
  const target = resolve(file);
  if (existsSync(target) && !statSync(target).isFile()) {
    throw new HeptoraError("validation_failed", {
      message: `${target} is not a file: the backup was not written.`,
      hint: "Give the path of a new file.",
    });
  }
  const snapshot = join(source.dataDir, `.backup-${randomId()}.db`);
  closeSync(openSync(snapshot, "wx", 0o600));
  let payload: Buffer | undefined;
  let summary: BackupSummary;
  try {
    source.db.exec(`VACUUM INTO '${snapshot.replaceAll("'", "''")}'`);
    const copy = new DatabaseSync(snapshot, { readOnly: true });
    try {
      summary = summarise(copy, source.vaultId, source.clock().toISOString());
    } finally {
      copy.close();
    }
    const database = readFileSync(snapshot);
    const manifest = Buffer.from(JSON.stringify({ format: 1, ...summary }), "utf8");
    const length = Buffer.alloc(4);
    length.writeUInt32BE(manifest.length);
    payload = Buffer.concat([source.dek, length, manifest, database]);
    wipe(database);
  } finally {
    rmSync(snapshot, { force: true });
  }
  if (payload.length > MAX_ARCHIVE_BYTES) {
    wipe(payload);
    throw new HeptoraError("validation_failed", {
      message: "The vault is too large for a backup archive (2 GiB).",
    });
  }
  try {
    writeAtomically(target, sealArchive(payload, passphrase, cost));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A full disk stays what it is (disk_full, docs/adr/0073).
    if (code === undefined || code === "ENOSPC") throw error;
    throw new HeptoraError("validation_failed", {
      message: `Cannot write the backup archive ${target} (${code}): nothing was written.`,
      hint: "Give a file in a folder that exists and that you can write to.",
      cause: error,
    });
  } finally {
    wipe(payload);
  }
  return summary;
}

export interface RestoreOptions {
  file: string;
  dataDir: string;
  /** Where the restored vault's new key file goes (the robot's usual place for this data dir). */
  keyFile: string;
  passphrase: string;
  clock?: () => Date;
  /** Who restored, as the audit entry records it. */
  actor?: string;
  /**
   * The OS keychain of this machine, when one answers: the restored vault's new slot keeps its
   * key there (like a new vault's, docs/adr/0078); without it, or when the store refuses the
   * entry, a new key file at `keyFile` protects it.
   */
  keychain?: OsKeychain;
}

export interface RestoreResult extends BackupSummary {
  /** Where the new slot's key is kept: the OS keychain, or the key file `keyFile`. */
  slotKind: "os-keychain" | "keyfile";
  /** Why a key file was used although a keychain was given (the store refused the entry). */
  keychainRefused?: string;
  keyFile: string;
  /** Where an earlier key file at that place was moved. */
  keyFileSetAside?: string;
}

/**
 * Restores an archive into `dataDir`, which must hold no vault.
 *
 * @example
 * restoreBackup({ file, dataDir: "/srv/robot2", keyFile, passphrase });
 */
export function restoreBackup(options: RestoreOptions): RestoreResult {
  const clock = options.clock ?? (() => new Date());
  const dataDir = resolve(options.dataDir);
  const keyFile = resolve(options.keyFile);
  const dbPath = join(dataDir, VAULT_FILE);
  if (existsSync(dbPath)) {
    throw new HeptoraError("restore_refused", {
      message: `${dataDir} already holds a vault: nothing was restored.`,
      hint: "Restore into a new, empty data dir (--data-dir), or move that vault away first.",
    });
  }
  let archive: Buffer;
  try {
    archive = readFileSync(resolve(options.file));
  } catch (error) {
    throw new HeptoraError("validation_failed", {
      message: `Cannot read the backup archive ${resolve(options.file)}: ${(error as NodeJS.ErrnoException).code ?? "error"}.`,
      cause: error,
    });
  }
  const payload = openArchive(archive, checkPassphrase(options.passphrase));
  const dek = Buffer.alloc(32);
  payload.copy(dek, 0, 0, 32);
  let summary: BackupSummary;
  let database: Buffer;
  try {
    const length = payload.readUInt32BE(32);
    summary = JSON.parse(payload.subarray(36, 36 + length).toString("utf8")) as BackupSummary;
    database = payload.subarray(36 + length);
  } catch {
    wipe(dek, payload);
    throw new HeptoraError("backup_damaged", {
      message: "The backup archive's contents cannot be read.",
    });
  }
  ensurePrivateDir(dataDir);
  const temporary = join(dataDir, `.restore-${randomId()}.db`);
  const kek = randomKey();
  let keychainEntry: string | undefined;
  try {
    writeAtomically(temporary, database);
    wipe(payload);
    const slotId = randomId();
    let byKeychain = false;
    let keychainRefused: string | undefined;
    const restored = new DatabaseSync(temporary);
    let checkpoint: { generation: number; seq: number; mac: string };
    try {
      const vaultId = (
        restored.prepare("SELECT value FROM meta WHERE key = 'vault_id'").get() as
          | { value: string }
          | undefined
      )?.value;
      if (vaultId !== summary.vaultId) {
        throw new HeptoraError("backup_damaged", {
          message: "The backup archive's vault does not match its manifest: nothing was restored.",
        });
      }
      const keys = createKeysRepo(restored);
      if (options.keychain !== undefined) {
        try {
          keychainEntry = keychainAccount(vaultId, slotId);
          options.keychain.set(keychainEntry, kek.toString("base64url"));
          byKeychain = true;
        } catch (error) {
          keychainRefused = (error as Error).message;
        }
      }
      restored.exec("BEGIN IMMEDIATE");
      for (const slot of keys.slots()) {
        if (slot.kind === SlotKind.Keyfile || slot.kind === SlotKind.OsKeychain) {
          keys.removeSlot(slot.id);
        }
      }
      keys.insertSlot(
        wrapDataKey(kek, dek, vaultId, {
          id: slotId,
          kind: byKeychain ? SlotKind.OsKeychain : SlotKind.Keyfile,
          kdf: byKeychain ? KEYCHAIN_KDF : KEYFILE_KDF,
          createdAt: clock().toISOString(),
          label: null,
        }),
      );
      restored.exec("COMMIT");
      const head = restored.prepare("SELECT seq, mac FROM audit_head WHERE id = 1").get() as
        | { seq: number; mac: string }
        | undefined;
      const record = restored.prepare("SELECT generation FROM integrity WHERE id = 1").get() as
        | { generation: number }
        | undefined;
      checkpoint = {
        generation: record?.generation ?? 0,
        seq: head?.seq ?? 0,
        mac: head?.mac ?? "",
      };
    } finally {
      if (restored.isTransaction) restored.exec("ROLLBACK");
      restored.close();
    }
    // The key file (an earlier one moved aside, never deleted), the checkpoint, then the vault.
    const setAside = byKeychain ? undefined : setAsideKeyFile(keyFile, clock());
    const oldCheckpoint = checkpointPath(keyFile);
    if (existsSync(oldCheckpoint)) setAsideKeyFile(oldCheckpoint, clock());
    if (!byKeychain) writeKeyFile(keyFile, { vaultId: summary.vaultId, slotId, key: kek });
    const derived = deriveVaultKeys(dek, summary.vaultId);
    try {
      writeCheckpoint(oldCheckpoint, derived.checkpoint, {
        vaultId: summary.vaultId,
        generation: checkpoint.generation,
        auditSeq: checkpoint.seq,
        auditHash: auditHash(checkpoint.mac),
        at: clock().toISOString(),
      });
    } finally {
      wipeVaultKeys(derived);
    }
    renameSync(temporary, dbPath);
    const vault = openVault({
      dataDir,
      keyFile,
      clock,
      ...(byKeychain ? { keychain: options.keychain, unlockWith: "os-keychain" as const } : {}),
    });
    try {
      vault.appendAudit({
        type: "vault.restored",
        actor: options.actor ?? "cli",
        outcome: "ok",
        details: {
          backupAt: summary.createdAt,
          names: summary.values,
          persons: summary.persons,
          versions: summary.versions,
        },
      });
    } finally {
      vault.close();
    }
    return {
      ...summary,
      slotKind: byKeychain ? "os-keychain" : "keyfile",
      ...(keychainRefused === undefined ? {} : { keychainRefused }),
      keyFile,
      ...(setAside === undefined ? {} : { keyFileSetAside: setAside }),
    };
  } catch (error) {
    if (keychainEntry !== undefined && !existsSync(dbPath)) {
      try {
        options.keychain?.delete(keychainEntry); // its slot never reached a vault
      } catch {
        // it opens nothing
      }
    }
    throw error;
  } finally {
    wipe(dek, kek);
    rmSync(temporary, { force: true });
  }
}
