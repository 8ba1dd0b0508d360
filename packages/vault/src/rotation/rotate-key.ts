/**
 * `heptora vault rotate-key` in the vault (docs/adr/0080): a new random data key (DEK), and every
 * thing sealed or MAC'd with the old one or a key derived from it re-done under the new one, in
 * ONE SQLite transaction: every kept version of every person's values, settings, cached process
 * definitions and the sync cursor, run records' sealed commands, the row MACs and integrity record
 * (docs/adr/0074), the audit head's seal (the chain continues under the new key from a
 * `vault.key_rotated` entry; older entries keep their MACs, see audit-epochs.ts) and every key
 * slot (slot-rewrap.ts).
 *
 * Crash safety: the key file and the rollback checkpoint live outside the database. The new ones
 * are written beside the old ones (`<file>.next`) before COMMIT and renamed over them after it;
 * `settlePendingRotation` (at open) finishes a swap that a kill interrupted. Killed before COMMIT,
 * SQLite rolls back and the old files still open the vault; killed after, the `.next` files are
 * the only ones that open it, and they are taken.
 *
 * The transaction is long (every row), so it yields to the event loop between chunks of rows to
 * report progress; the vault facade keeps every other caller away from the connection meanwhile.
 */
import { renameSync, rmSync } from "node:fs";
import { HeptoraError } from "@heptora/protocol";
import { createAuditLog } from "../audit/audit-log.ts";
import { headSeal } from "../audit/chain.ts";
import { hkdf, randomKey, wipe } from "../crypto/kdf.ts";
import { type KeySlotRecord, unwrapDataKey, wrapDataKey } from "../crypto/key-slots.ts";
import {
  auditHash,
  type CheckpointState,
  checkpointPath,
  macMatches,
  readCheckpoint,
  writeCheckpoint,
} from "../integrity/checkpoint.ts";
import { createLedger, integrityError, type LedgerKeys } from "../integrity/ledger.ts";
import { readKeyFile } from "../key-file.ts";
import { createSealer, type Sealer } from "../sealing.ts";
import { createAuditRepo } from "../store/audit-repo.ts";
import type { Db } from "../store/database.ts";
import { createIntegrityRepo } from "../store/integrity-repo.ts";
import { createKeysRepo, type KeysRepo } from "../store/keys-repo.ts";
import { AUDIT_EPOCHS_SETTING, readAuditEpochs, writeAuditEpochs } from "./audit-epochs.ts";
import {
  type PlannedSlot,
  pendingKeyFile,
  planRewraps,
  type SlotRewrapper,
} from "./slot-rewrap.ts";

/** Every key the vault derives from its data key (HKDF, salt = vault id). */
export interface VaultKeys {
  audit: Buffer;
  ledger: LedgerKeys;
  checkpoint: Buffer;
}

export function deriveVaultKeys(dek: Uint8Array, vaultId: string): VaultKeys {
  return {
    audit: hkdf(dek, vaultId, "heptora audit v1"),
    ledger: {
      rowKey: hkdf(dek, vaultId, "heptora integrity rows v1"),
      elementKey: hkdf(dek, vaultId, "heptora integrity digest v1"),
    },
    checkpoint: hkdf(dek, vaultId, "heptora checkpoint v1"),
  };
}

export function wipeVaultKeys(keys: VaultKeys): void {
  wipe(keys.audit, keys.ledger.rowKey, keys.ledger.elementKey, keys.checkpoint);
}

/** A copy of a key in its own memory (never Node's shared pool), for the caller to wipe. */
export function copyKey(key: Uint8Array): Buffer {
  const out = Buffer.alloc(key.length);
  out.set(key);
  return out;
}

export interface RotationProgress {
  /** Kept versions of values re-sealed so far, out of `total`. */
  done: number;
  total: number;
}

export interface RotateKeyOptions {
  /** Passphrases of the vault's passphrase slots (each slot takes the one that opens it). */
  passphrases?: readonly string[];
  /** Remove the slots that cannot take the new key instead of refusing. */
  dropSlots?: boolean;
  /** Re-wrappers of slot kinds the vault does not know itself (the robot's os-keychain). */
  rewrappers?: Readonly<Partial<Record<string, SlotRewrapper>>>;
  /** Who asked, as the audit entry records it. */
  actor?: string;
  onProgress?: (progress: RotationProgress) => void;
  /**
   * Called at each step (a test hook: the crash tests stop the process at each one). Steps, in
   * order: begin, values (once per chunk), sealed, ledger, audit, slots, checkpoint-next,
   * keyfile-next, commit, checkpoint-swapped, keyfile-swapped.
   */
  onStep?: (step: string) => void;
  /** Kept versions re-sealed between two turns of the event loop (default 1000). */
  chunkRows?: number;
}

export interface RotationResult {
  /** Names with a current value, of every person. */
  values: number;
  /** Kept versions re-sealed (current values and history). */
  versions: number;
  persons: number;
  runRecords: number;
  /** The audit entry that records the rotation. */
  auditSeq: number;
  slots: { id: string; kind: string }[];
  /** Slots removed because they could not take the new key (--drop-slots). */
  dropped: { id: string; kind: string }[];
  /** A new recovery key, when the vault had a recovery slot: shown once, never stored. */
  recoveryKey?: string;
}

export interface RotateKeyDeps {
  db: Db;
  vaultId: string;
  keyFile: string;
  clock: () => Date;
  /** The data key being replaced (the caller's copy; not wiped here). */
  dek: Buffer;
  /** True when the caller wants the rotation to stop (the vault is closing). */
  stopping?: () => boolean;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Rotates the data key; resolves with the new one (the caller owns it) once committed. */
export async function rotateDataKey(
  deps: RotateKeyDeps,
  options: RotateKeyOptions = {},
): Promise<{ dek: Buffer; result: RotationResult; slotIds: Map<string, string> }> {
  const { db, vaultId, keyFile, clock } = deps;
  const step = (name: string) => options.onStep?.(name);
  const keys = createKeysRepo(db);
  const { planned, dropped } = planRewraps(
    keys.slots(),
    { vaultId, dek: deps.dek, keyFile },
    options,
  );
  const newDek = randomKey();
  const oldKeys = deriveVaultKeys(deps.dek, vaultId);
  const newKeys = deriveVaultKeys(newDek, vaultId);
  const oldSealer = createSealer(copyKey(deps.dek), vaultId);
  const newSealer = createSealer(copyKey(newDek), vaultId);
  const cpPath = checkpointPath(keyFile);
  const cpNext = `${cpPath}.next`;
  let result: RotationResult;
  try {
    db.exec("BEGIN IMMEDIATE");
    try {
      step("begin");
      // Leftovers of a rotation killed before its COMMIT (we hold the write lock: nobody else is
      // rotating). Their keys wrap a data key that never took effect.
      rmSync(cpNext, { force: true });
      rmSync(pendingKeyFile(keyFile), { force: true });
      const integrityRepo = createIntegrityRepo(db);
      const problem = createLedger({
        db,
        repo: integrityRepo,
        keys: oldKeys.ledger,
        vaultId,
      }).problem();
      if (problem !== undefined) {
        // Re-MACing every row under the new key would make put-back rows look genuine.
        throw integrityError(`${problem} The data key was not rotated.`);
      }
      await nextTurn(); // each whole-vault pass is its own turn of the event loop
      const versions = await resealValues(db, oldSealer, newSealer, options, deps.stopping, step);
      resealSmallRows(db, oldSealer, newSealer);
      const runRecords = resealRunCommands(db, oldSealer, newSealer);
      step("sealed");
      await nextTurn();
      createLedger({ db, repo: integrityRepo, keys: newKeys.ledger, vaultId }).rebaseWithin();
      step("ledger");
      await nextTurn();
      const counts = db
        .prepare(
          `SELECT count(*) FILTER (WHERE current_version IS NOT NULL) AS values_,
                  count(DISTINCT person) FILTER (WHERE person <> '') AS persons
             FROM secrets`,
        )
        .get() as { values_: number; persons: number };
      const entry = continueAuditChain(db, vaultId, clock, oldKeys, newKeys, oldSealer, newSealer, {
        type: "vault.key_rotated",
        actor: options.actor ?? "robot",
        outcome: "ok",
        details: {
          names: counts.values_,
          versions,
          slots: planned.length,
          droppedSlots: dropped.length,
        },
      });
      step("audit");
      replaceSlots(keys, vaultId, newDek, planned, clock().toISOString());
      step("slots");
      const state: CheckpointState = {
        vaultId,
        generation: integrityRepo.record()?.generation ?? 0,
        auditSeq: entry.seq,
        auditHash: auditHash(entry.mac),
        at: clock().toISOString(),
      };
      const existing = readCheckpoint(cpPath);
      if (
        existing.kind === "found" &&
        existing.state.vaultId === vaultId &&
        existing.state.lost !== undefined &&
        macMatches(oldKeys.checkpoint, existing)
      ) {
        state.lost = existing.state.lost;
      }
      writeCheckpoint(cpNext, newKeys.checkpoint, state);
      step("checkpoint-next");
      for (const { rewrap } of planned) rewrap.prepare?.();
      step("keyfile-next");
      const recoveryKey = planned.find((p) => p.rewrap.recoveryKey !== undefined)?.rewrap
        .recoveryKey;
      result = {
        values: counts.values_,
        versions,
        persons: counts.persons,
        runRecords,
        auditSeq: entry.seq,
        slots: planned.map((p) => ({ id: p.rewrap.id, kind: p.old.kind })),
        dropped: dropped.map((s) => ({ id: s.id, kind: s.kind })),
        ...(recoveryKey === undefined ? {} : { recoveryKey }),
      };
      db.exec("COMMIT");
    } catch (error) {
      if (db.isTransaction) db.exec("ROLLBACK");
      throw error;
    }
  } catch (error) {
    for (const { rewrap } of planned) {
      try {
        rewrap.abandon?.();
      } catch {
        // What is left is never used: the next rotation removes it.
      }
    }
    rmSync(cpNext, { force: true });
    wipe(newDek);
    throw error;
  } finally {
    oldSealer.destroy();
    newSealer.destroy();
    wipeVaultKeys(oldKeys);
    wipeVaultKeys(newKeys);
    for (const { rewrap } of planned) wipe(rewrap.kek);
  }
  // Committed: from here on only the new files open the vault, and nothing may throw (the caller
  // would go back to the old key). A failure to rename is finished at the next open.
  const after = (name: string) => {
    try {
      step(name);
    } catch {
      // a test hook's error changes nothing once committed
    }
  };
  after("commit");
  try {
    renameSync(cpNext, cpPath);
  } catch {
    // settled at the next open (the rollback watch adopts a `.next` whose MAC holds).
  }
  after("checkpoint-swapped");
  for (const { rewrap } of planned) {
    try {
      rewrap.commit?.();
    } catch {
      // settled at the next open
    }
  }
  after("keyfile-swapped");
  const slotIds = new Map(planned.map((p) => [p.old.id, p.rewrap.id]));
  return { dek: newDek, result, slotIds };
}

async function resealValues(
  db: Db,
  oldSealer: Sealer,
  newSealer: Sealer,
  options: RotateKeyOptions,
  stopping: (() => boolean) | undefined,
  step: (name: string) => void,
): Promise<number> {
  const chunk = options.chunkRows ?? 1000;
  const total = (db.prepare("SELECT count(*) AS n FROM secret_versions").get() as { n: number }).n;
  const columns = "person, name, version, created_at, ciphertext";
  const first = db.prepare(
    `SELECT ${columns} FROM secret_versions ORDER BY person, name, version LIMIT ?`,
  );
  const after = db.prepare(
    `SELECT ${columns} FROM secret_versions WHERE (person, name, version) > (?, ?, ?)
      ORDER BY person, name, version LIMIT ?`,
  );
  const update = db.prepare(
    "UPDATE secret_versions SET ciphertext = ? WHERE person = ? AND name = ? AND version = ?",
  );
  let done = 0;
  let last: { person: string; name: string; version: number } | undefined;
  options.onProgress?.({ done, total });
  for (;;) {
    const rows = (
      last === undefined ? first.all(chunk) : after.all(last.person, last.name, last.version, chunk)
    ) as {
      person: string;
      name: string;
      version: number;
      created_at: string;
      ciphertext: Uint8Array;
    }[];
    if (rows.length === 0) break;
    for (const row of rows) {
      const value = oldSealer.openSecret(
        row.person,
        row.name,
        row.version,
        row.created_at,
        row.ciphertext,
      );
      update.run(
        newSealer.sealSecret(row.person, row.name, row.version, row.created_at, value),
        row.person,
        row.name,
        row.version,
      );
    }
    const tail = rows[rows.length - 1] as (typeof rows)[number];
    last = { person: tail.person, name: tail.name, version: tail.version };
    done += rows.length;
    options.onProgress?.({ done, total });
    step("values");
    await nextTurn();
    if (stopping?.() === true) {
      throw new HeptoraError("service_unavailable", {
        message: "The robot is stopping: the data key was not rotated.",
        hint: "Run `heptora vault rotate-key` again once the robot runs.",
      });
    }
  }
  return done;
}

/** Settings (but the audit epochs, re-sealed with the chain), cached definitions, the cursor. */
function resealSmallRows(db: Db, oldSealer: Sealer, newSealer: Sealer): void {
  const settings = db.prepare("SELECT key, ciphertext FROM settings").all() as {
    key: string;
    ciphertext: Uint8Array;
  }[];
  const putSetting = db.prepare("UPDATE settings SET ciphertext = ? WHERE key = ?");
  for (const { key, ciphertext } of settings) {
    if (key === AUDIT_EPOCHS_SETTING) continue;
    putSetting.run(newSealer.sealSetting(key, oldSealer.openSetting(key, ciphertext)), key);
  }
  const processes = db.prepare("SELECT id, sealed FROM processes").all() as {
    id: string;
    sealed: Uint8Array;
  }[];
  const putProcess = db.prepare("UPDATE processes SET sealed = ? WHERE id = ?");
  for (const { id, sealed } of processes) {
    putProcess.run(newSealer.sealProcess(id, oldSealer.openProcess(id, sealed)), id);
  }
  const cursor = db.prepare("SELECT cursor_sealed FROM sync_state WHERE id = 1").get() as
    | { cursor_sealed: Uint8Array | null }
    | undefined;
  if (cursor?.cursor_sealed != null) {
    db.prepare("UPDATE sync_state SET cursor_sealed = ? WHERE id = 1").run(
      newSealer.sealCursor(oldSealer.openCursor(cursor.cursor_sealed)),
    );
  }
}

function resealRunCommands(db: Db, oldSealer: Sealer, newSealer: Sealer): number {
  const rows = db.prepare("SELECT id, person, command_sealed FROM run_records").all() as {
    id: string;
    person: string;
    command_sealed: Uint8Array;
  }[];
  const put = db.prepare("UPDATE run_records SET command_sealed = ? WHERE id = ?");
  for (const { id, person, command_sealed } of rows) {
    const json = oldSealer.openRunCommand(id, person, command_sealed);
    put.run(newSealer.sealRunCommand(id, person, json), id);
  }
  return rows.length;
}

/**
 * Closes the old key's epoch and appends `event` as the first entry under the new key, chained
 * from the old head. A broken head is recorded first (audit.tampered, under the old key).
 */
function continueAuditChain(
  db: Db,
  vaultId: string,
  clock: () => Date,
  oldKeys: VaultKeys,
  newKeys: VaultKeys,
  oldSealer: Sealer,
  newSealer: Sealer,
  event: Parameters<ReturnType<typeof createAuditLog>["appendWithin"]>[0][number],
) {
  const repo = createAuditRepo(db);
  createAuditLog({ repo, auditKey: oldKeys.audit, vaultId, clock }).appendWithin([]);
  const head = repo.head();
  if (head === undefined) throw new Error("The audit head is missing after an append.");
  const epochs = readAuditEpochs(db, oldSealer);
  epochs.push({ lastSeq: head.seq, key: copyKey(oldKeys.audit) });
  writeAuditEpochs(db, newSealer, epochs, clock().toISOString());
  for (const epoch of epochs) wipe(epoch.key);
  repo.saveHead({ ...head, seal: headSeal(newKeys.audit, vaultId, head.seq, head.mac) });
  const [entry] = createAuditLog({ repo, auditKey: newKeys.audit, vaultId, clock }).appendWithin([
    event,
  ]);
  if (entry === undefined) throw new Error("The rotation's audit entry was not written.");
  return entry;
}

function replaceSlots(
  keys: KeysRepo,
  vaultId: string,
  dek: Buffer,
  planned: readonly PlannedSlot[],
  now: string,
): void {
  for (const slot of keys.slots()) keys.removeSlot(slot.id);
  for (const { old, rewrap } of planned) {
    keys.insertSlot(
      wrapDataKey(rewrap.kek, dek, vaultId, {
        id: rewrap.id,
        kind: old.kind,
        kdf: rewrap.kdf,
        createdAt: rewrap.id === old.id ? old.createdAt : now,
        label: old.label,
      }),
    );
  }
}

/**
 * At open, before unlocking: a key file written by a rotation that committed but was killed
 * before renaming it (`<key file>.next` opens a slot the vault has) is swapped in. A `.next`
 * that opens nothing is left for the next rotation to remove (a rotation in another process may
 * be writing it right now).
 */
export function settlePendingRotation(keys: KeysRepo, keyFile: string): void {
  const next = pendingKeyFile(keyFile);
  const read = readKeyFile(next);
  if (read.status !== "ok") return;
  const { contents } = read;
  try {
    const vaultId = keys.meta("vault_id");
    const slot: KeySlotRecord | undefined = keys.slots().find((s) => s.id === contents.slotId);
    if (vaultId === undefined || contents.vaultId !== vaultId || slot === undefined) return;
    const dek = unwrapDataKey(contents.key, vaultId, slot);
    if (dek === undefined) return;
    wipe(dek);
    renameSync(next, keyFile);
  } finally {
    wipe(contents.key);
  }
}

/**
 * After unlocking: a checkpoint written by a rotation that committed but was killed before
 * renaming it (its MAC holds under the current key) replaces the old one.
 */
export function settlePendingCheckpoint(keyFile: string, checkpointKey: Uint8Array): void {
  const path = checkpointPath(keyFile);
  const read = readCheckpoint(`${path}.next`);
  if (read.kind !== "found" || !macMatches(checkpointKey, read)) return;
  try {
    renameSync(`${path}.next`, path);
  } catch {
    // Another process took it first.
  }
}
