/**
 * The vault facade: one robot's encrypted store of secret values, settings, synced definitions
 * and its audit chain, in one SQLite file in a private data dir.
 *
 * `openVault` creates the vault on first use (random data key, wrapped by a key-file slot whose
 * key file lives outside the data dir) and unlocks it on later opens. The data key stays in this
 * process's memory only and is wiped on `close()`.
 *
 * A run's read is one call, `readForRun`: the scope check, the value and its `secret.read` (or
 * `access.denied`) entry, in the group commit's batch transaction; it resolves after COMMIT.
 * `getSecret` does not audit: its callers record an entry (`recordAudit`, batched) before handing
 * a value out. Writes can carry an `AuditContext`, which the vault turns into an entry committed
 * in the same transaction as the write.
 *
 * Values belong to a person (docs/adr/0066): every value call takes the person's email first
 * (normalised: trimmed, lower-case) and sees only that person's values; it is bound into each
 * value's associated data and named in the audit entries.
 *
 * @example
 * const vault = openVault({ dataDir: "/srv/robot", keyFile: "/home/ana/.config/heptora/keys/3f2a.key" });
 * vault.setSecret("ana@example.com", "SAP_USER", "ana");
 * await vault.recordAudit({ type: "secret.read", name: "SAP_USER", process: "Invoices" });
 * vault.getSecret("ana@example.com", "SAP_USER")?.value; // "ana"
 * vault.close();
 */
import { existsSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { HeptoraError, isValidSecretName } from "@heptora/protocol";
import { createAuditLog } from "./audit/audit-log.ts";
import type { AuditVerification } from "./audit/chain.ts";
import { createGroupCommit, ItemFailure } from "./audit/group-commit.ts";
import type { BackupSummary } from "./backup/backup.ts";
import { deriveAuditKey, wipe } from "./crypto/kdf.ts";
import { SlotKind } from "./crypto/key-slots.ts";
import { createDefinitionsStore, createSettingsStore } from "./definitions-store.ts";
import { auditHash } from "./integrity/checkpoint.ts";
import { createLedger } from "./integrity/ledger.ts";
import { createRollbackWatch } from "./integrity/rollback-watch.ts";
import { ensurePrivateDir } from "./key-file.ts";
import { createKeyManagement, toSlotInfo } from "./key-management.ts";
import type { OsKeychain } from "./os-keychain.ts";
import { auditKeyForSeq, readAuditEpochs } from "./rotation/audit-epochs.ts";
import { rotatableVault } from "./rotation/rotatable-vault.ts";
import {
  deriveVaultKeys,
  type RotateKeyOptions,
  type RotationResult,
  settlePendingCheckpoint,
  settlePendingRotation,
} from "./rotation/rotate-key.ts";
import { createRunRecords, type RunEnd, type RunRecordInfo, type RunStart } from "./run-records.ts";
import { createSealer } from "./sealing.ts";
import { createSecretStore } from "./secret-store.ts";
import { createAuditRepo } from "./store/audit-repo.ts";
import { asVaultError, openDatabase, withSynchronous, writeTransaction } from "./store/database.ts";
import { createIntegrityRepo } from "./store/integrity-repo.ts";
import { createKeysRepo } from "./store/keys-repo.ts";
import { migrate } from "./store/migrations.ts";
import { createSecretsRepo } from "./store/secrets-repo.ts";
import { createDefinitionsRepo, createSettingsRepo } from "./store/settings-repo.ts";
import type {
  AuditContext,
  AuditEntry,
  AuditEventInput,
  AuditQuery,
  CachedProcess,
  DefinitionsSync,
  KeySlotInfo,
  RenameOutcome,
  RunRead,
  RunReadRequest,
  SecretInfo,
  SecretValue,
  SecretVersion,
} from "./types.ts";
import { type PassphraseCost, type Protector, unlockOrCreate } from "./unlock.ts";
import { checkAuditEvent, normalisePerson } from "./validation.ts";

export const VAULT_FILE = "vault.db";

export interface VaultIntegrity {
  ok: boolean;
  problems: string[];
}

/** The rollback checkpoint beside the key file is written at most this often (and at close). */
const CHECKPOINT_EVERY_MS = 1000;

export interface OpenVaultOptions {
  /** The data dir (the vault file lives in it). The caller decides it; the vault reads no env. */
  dataDir: string;
  /** The key file, outside the data dir; the robot decides where (its paths.ts). */
  keyFile: string;
  clock?: () => Date;
  /** Unlock with a passphrase slot instead of the key file. */
  passphrase?: string;
  /** Unlock with a recovery slot instead of the key file. */
  recoveryKey?: string;
  /** The OS credential store (the robot's adapter), for `os-keychain` slots. */
  keychain?: OsKeychain;
  /**
   * Without a passphrase or recovery key: open (or create) with the key file (the default) or
   * with an `os-keychain` slot (needs `keychain`).
   */
  unlockWith?: "keyfile" | "os-keychain";
  /** Argon2id cost of new passphrase slots, and the floor weaker ones are raised to at unlock. */
  passphraseCost?: PassphraseCost;
}

export interface Vault {
  /** Random id of this vault (bound into every ciphertext and the audit key). */
  readonly id: string;
  readonly dataDir: string;
  /** The key file this vault is (or would be) opened with. */
  readonly keyFile: string;
  keySlots(): KeySlotInfo[];
  /** The slot that opened this vault (or that it was created with). */
  readonly unlockedBy: { id: string; kind: SlotKind };
  /** Whether this open created the vault. */
  readonly created: boolean;
  /** Adds an `os-keychain` slot; its key goes to `keychain`. */
  addKeychainSlot(keychain: OsKeychain, label?: string): KeySlotInfo;
  /** A sentence for `heptora status` while the key is only as safe as a file; else undefined. */
  keyProtectionWarning(): string | undefined;
  addPassphraseSlot(passphrase: string, label?: string): KeySlotInfo;
  /** The recovery key is returned once and never stored. */
  addRecoverySlot(label?: string): { slot: KeySlotInfo; recoveryKey: string };
  /** Refuses (validation_failed) to remove the last slot. */
  removeKeySlot(id: string): boolean;

  /** A new version; keeps the 5 before it. With `audit`, a secret.set entry in the same commit. */
  setSecret(person: string, name: string, value: string, audit?: AuditContext): SecretInfo;
  /** Many values in one transaction (seeding, imports). */
  setSecrets(person: string, entries: readonly { name: string; value: string }[]): SecretInfo[];
  /** The current value, or undefined when never set or unset. Does not audit: see recordAudit. */
  getSecret(person: string, name: string): SecretValue | undefined;
  secretInfo(person: string, name: string): SecretInfo | undefined;
  /** Every name the person ever set (unset ones with set: false), sorted by name; no values. */
  listSecrets(person: string): SecretInfo[];
  /** Removes the current value, keeps the history; false when there was none. */
  unsetSecret(person: string, name: string, audit?: AuditContext): boolean;
  /** Kept versions, newest first. */
  history(person: string, name: string): SecretVersion[];
  /** Makes an old version's value current as a new version; version_not_found otherwise. */
  restoreSecret(person: string, name: string, version: number, audit?: AuditContext): SecretInfo;
  /**
   * Removes every value and kept version of `person`, never opening them; the number of names
   * removed. With `audit`, a person.forgotten entry with that count in the same commit.
   */
  forgetPerson(person: string, audit?: AuditContext): number;
  /** The persons (normalised emails) with values in this vault, sorted; no values. */
  people(): string[];
  /**
   * Gives the values from before schema 4 (no person yet) to `person`, re-sealed bound to them;
   * the number of names claimed (0 when there were none). See docs/adr/0066.
   */
  claimUnowned(person: string, audit?: AuditContext): number;

  /** Cached definitions (frozen), sorted by process name. */
  definitions(): { cursor: string | null; processes: CachedProcess[] };
  /**
   * `full: true` replaces every cached process. A variable id cached under another name is a
   * rename (docs/adr/0068): every person's value and history move to the new name first, in the same
   * transaction (re-sealed; with `audit`, a `secret.renamed` entry each). A person who already
   * has the new name keeps both (the old one undeclared; a failed `secret.renamed` entry).
   */
  applyDefinitions(sync: DefinitionsSync, audit?: AuditContext): RenameOutcome[];
  /**
   * Moves the person's value `from`, which no cached process declares, and its history onto
   * the declared name `to`, which has none; refuses otherwise. With `audit`, `secret.moved`.
   */
  moveSecret(person: string, from: string, to: string, audit?: AuditContext): SecretInfo;

  /** Small sealed settings (robot token, platform URL...); null deletes. */
  setSetting(key: string, value: string | null): void;
  getSetting(key: string): string | null;

  /** One entry, one commit, committed on return. */
  appendAudit(event: AuditEventInput): AuditEntry;
  /** Group commit: resolves once the entry is committed (durable). Await it before handing out. */
  recordAudit(event: AuditEventInput): Promise<AuditEntry>;
  /**
   * A run's read, audited (docs/adr/0024): in the next group-commit batch's transaction, checks
   * that the run's process declares `name`, reads and opens the value and appends the
   * `secret.read` entry (an `access.denied` one for a refusal); resolves after COMMIT, so a value
   * is never handed out without its committed entry. Rejects (no entry) with vault_integrity when
   * the stored value does not authenticate, and with the batch's error if the commit fails.
   */
  readForRun(request: RunReadRequest): Promise<RunRead>;
  /** Run records (docs/adr/0077): one per `heptora run`, per person, newest kept. */
  runRecords: {
    start(record: RunStart): void;
    noteRead(runId: string, name: string, at: string): void;
    end(runId: string, outcome: RunEnd): boolean;
    /** The person's runs, newest first; limit 1..RUN_RECORDS_KEPT. */
    list(person: string, limit: number): RunRecordInfo[];
    get(person: string, runId: string): RunRecordInfo | undefined;
  };
  /** Newest first; limit 1..10000 (default 100). */
  listAudit(query?: AuditQuery): AuditEntry[];
  verifyAudit(): AuditVerification;
  /**
   * What is known to be wrong with this vault (docs/adr/0074), in sentences for the person: the
   * comparison with the rollback checkpoint at open (an older copy of the file, a deleted one),
   * the vault-wide state of current versions and cached definitions, and the audit chain as last
   * verified (verifyAudit). Never a value. `ok` when there is nothing to say.
   */
  integrity(): VaultIntegrity;
  /**
   * Where the audit log stands, for the platform (docs/adr/0074): the vault's id, the last seq
   * and a SHA-256 of that entry's MAC. Never a value, a name or the MAC itself.
   */
  auditCheckpoint(): { vaultId: string; seq: number; head: string };
  /** Counters for tests and the benchmark. */
  stats(): { auditBatches: number };
  /**
   * A new data key; everything sealed or MAC'd with the old one re-done in one transaction, every
   * key slot re-wrapped, the old key forgotten (docs/adr/0080). Other calls wait or answer
   * key_rotation_in_progress meanwhile.
   */
  rotateKey(options?: RotateKeyOptions): Promise<RotationResult>;
  /**
   * Writes an encrypted archive of the whole vault (every person's values and history, settings,
   * definitions, run records, audit) sealed to `passphrase`, atomically, 0600 (docs/adr/0080).
   */
  writeBackup(file: string, passphrase: string, options?: { actor?: string }): BackupSummary;

  /** Writes queued audit entries, wipes the keys, closes the file. Idempotent. */
  close(): void;
}

/**
 * Opens (creating on first use) the vault in `dataDir`.
 *
 * Throws `vault_locked` (the key file is missing, damaged or another vault's; wrong passphrase)
 * or `vault_integrity` (a key slot or the file was changed).
 *
 * @example
 * const vault = openVault({ dataDir: "/srv/robot", keyFile: "/etc/heptora/robot.key" });
 */
export function openVault(options: OpenVaultOptions): Vault {
  const dataDir = resolve(options.dataDir);
  const clock = options.clock ?? (() => new Date());
  const keyFile = resolve(options.keyFile);
  const protector: Protector =
    options.passphrase !== undefined
      ? { kind: "passphrase", passphrase: options.passphrase }
      : options.recoveryKey !== undefined
        ? { kind: "recovery", recoveryKey: options.recoveryKey }
        : options.unlockWith === "os-keychain"
          ? { kind: "os-keychain", keychain: requireKeychain(options.keychain) }
          : { kind: "keyfile", keyFile };
  const passphraseCost = options.passphraseCost;

  ensurePrivateDir(dataDir);
  const dbPath = join(dataDir, VAULT_FILE);
  const db = openDatabase(dbPath);
  try {
    migrate(db);
    const keys = createKeysRepo(db);
    const auditRepo = createAuditRepo(db);
    settlePendingRotation(keys, keyFile);
    const unlockDeps = {
      db,
      keys,
      clock,
      ...(passphraseCost === undefined ? {} : { passphraseCost }),
    };
    const unlocked = unlockOrCreate(unlockDeps, protector, (vaultId, dek) => {
      const auditKey = deriveAuditKey(dek, vaultId);
      createAuditLog({ repo: auditRepo, auditKey, vaultId, clock }).initialize();
      wipe(auditKey);
    });
    return rotatableVault(
      {
        db,
        dbPath,
        dataDir,
        keyFile,
        clock,
        keys,
        auditRepo,
        ...unlocked,
        ...(passphraseCost === undefined ? {} : { passphraseCost }),
      },
      assemble,
    );
  } catch (error) {
    db.close();
    throw asVaultError(error, dbPath);
  }
}

function requireKeychain(keychain: OsKeychain | undefined): OsKeychain {
  if (keychain === undefined) {
    throw new HeptoraError("validation_failed", {
      message: "Opening with the OS keychain needs the keychain adapter.",
    });
  }
  return keychain;
}

/**
 * The vault id and key slots of the vault in `dataDir`, read without any key (for a robot that
 * starts locked and for `heptora vault status`); undefined when there is no vault there yet.
 */
export function peekKeySlots(
  dataDir: string,
): { vaultId: string; slots: KeySlotInfo[] } | undefined {
  const dbPath = join(resolve(dataDir), VAULT_FILE);
  if (!existsSync(dbPath)) return undefined;
  const db = openDatabase(dbPath);
  try {
    migrate(db);
    const keys = createKeysRepo(db);
    const vaultId = keys.meta("vault_id");
    if (vaultId === undefined) return undefined;
    return { vaultId, slots: keys.slots().map(toSlotInfo) };
  } catch (error) {
    throw asVaultError(error, dbPath);
  } finally {
    db.close();
  }
}

/** The vault as assembled for one data key; `rotatableVault` swaps it on rotation. */
export type InnerVault = Omit<Vault, "rotateKey" | "writeBackup">;

export interface AssembleDeps {
  db: ReturnType<typeof openDatabase>;
  dbPath: string;
  dataDir: string;
  keyFile: string;
  clock: () => Date;
  keys: ReturnType<typeof createKeysRepo>;
  auditRepo: ReturnType<typeof createAuditRepo>;
  vaultId: string;
  dek: Buffer;
  created: boolean;
  /** Closes the database at close() (a rotation keeps it open for the next key). */
  closeDb?: () => void;
  slot: { id: string; kind: SlotKind };
  passphraseCost?: PassphraseCost;
}

function assemble(deps: AssembleDeps): InnerVault {
  const { db, dbPath, dataDir, keyFile, clock, keys, auditRepo, vaultId, dek } = deps;
  const sealer = createSealer(dek, vaultId);
  const derived = deriveVaultKeys(dek, vaultId);
  const { audit: auditKey, ledger: integrityKeys, checkpoint: checkpointKey } = derived;
  // Entries from before a key rotation keep the MACs of their key (docs/adr/0080).
  const epochs = (() => {
    try {
      return readAuditEpochs(db, sealer);
    } catch {
      return []; // a damaged record: those entries fail `audit verify`, which says so
    }
  })();
  settlePendingCheckpoint(keyFile, checkpointKey);
  const integrityRepo = createIntegrityRepo(db);
  const ledger = createLedger({ db, repo: integrityRepo, keys: integrityKeys, vaultId });
  const upgraded = ledger.missing();
  const watch = createRollbackWatch({
    keyFile,
    key: checkpointKey,
    vaultId,
    repo: integrityRepo,
    created: deps.created,
    upgraded,
  });
  // A vault from before schema 5 gains its row MACs now. A missing record on a vault this machine
  // has already seen written is not an upgrade: it stays missing, and every read says so.
  if (upgraded && watch.startProblems().length === 0) {
    writeTransaction(db, () => ledger.rebaseWithin());
  }
  const audit = createAuditLog({
    repo: auditRepo,
    auditKey,
    vaultId,
    clock,
    highWater: () => watch.highWater(),
    keyForSeq: auditKeyForSeq(epochs, auditKey),
  });
  const secrets = createSecretStore({
    db,
    repo: createSecretsRepo(db),
    sealer,
    audit,
    clock,
    ledger,
  });
  const settings = createSettingsStore({ db, sealer, clock, repo: createSettingsRepo(db) });
  const definitions = createDefinitionsStore({
    db,
    sealer,
    clock,
    repo: createDefinitionsRepo(db),
    ledger,
  });
  /** The audit chain's problems as last verified (undefined until verifyAudit runs). */
  let chainProblems: string[] | undefined;
  let checkpointAt = 0;
  let checkpointTimer: NodeJS.Timeout | undefined;
  /**
   * After a commit, the checkpoint follows: at once when the last move is a second old, else a
   * second after the last move (one file write per second at most on a busy robot; at close too).
   */
  const advance = (): void => {
    const wait = checkpointAt + CHECKPOINT_EVERY_MS - Date.now();
    if (wait <= 0) {
      checkpointAt = Date.now();
      watch.advance();
      return;
    }
    checkpointTimer ??= setTimeout(() => {
      checkpointTimer = undefined;
      if (closed) return;
      checkpointAt = Date.now();
      try {
        watch.advance();
      } catch {
        // The next commit or close tries again.
      }
    }, wait).unref();
  };
  /** A write through the facade: guarded, then the checkpoint follows it. */
  function written<T>(work: () => T): T {
    const result = guard(work);
    advance();
    return result;
  }
  /**
   * A read refused because the vault failed an integrity check is itself recorded (an entry of
   * type `secret.read_refused`, name and person only), then the refusal is thrown on.
   */
  const refusedRead = (person: string, name: string, error: unknown): never => {
    if (error instanceof HeptoraError && error.code === "vault_integrity") {
      try {
        writeTransaction(db, () =>
          audit.appendWithin([refusal(person, isValidSecretName(name) ? name : undefined)]),
        );
        advance();
      } catch {
        // The refusal stands even when the log cannot take its entry.
      }
    }
    throw error;
  };
  const keyManagement = createKeyManagement({
    db,
    keys,
    clock,
    vaultId,
    dek,
    ...(deps.passphraseCost === undefined ? {} : { passphraseCost: deps.passphraseCost }),
  });
  const runRecords = createRunRecords({ db, sealer });
  /**
   * One batch of the group commit: entries from recordAudit and runs' reads, all appended in one
   * transaction. A read's scope check and value are read inside that transaction too (no read
   * transaction of their own); a value that does not authenticate fails that read only.
   */
  const commitBatch = (jobs: Job[]): (AuditEntry | RunRead | ItemFailure)[] => {
    const events: AuditEventInput[] = [];
    const results: (AuditEntry | RunRead | ItemFailure | undefined)[] = [];
    const eventOf: number[] = [];
    let scopes: ReadonlyMap<string, ReadonlySet<string>> | undefined;
    for (const job of jobs) {
      if (job.read === undefined) {
        eventOf.push(events.length);
        events.push(job.event);
        results.push(undefined);
        continue;
      }
      eventOf.push(-1);
      try {
        // Once per batch; damaged definitions refuse the batch's reads, not its other entries.
        scopes ??= definitions.scopes();
        const { read, event } = readWithin(job.read, scopes);
        results.push(read);
        events.push(event);
      } catch (error) {
        // A damaged or moved value: refused to this caller, never served; SQLite errors fail
        // the whole batch.
        if (!(error instanceof HeptoraError)) throw error;
        results.push(new ItemFailure(error));
        if (error.code === "vault_integrity") {
          const { name, process, actor, person } = job.read;
          events.push({ ...refusal(person, name), process, actor });
        }
      }
    }
    const entries = audit.appendWithin(events);
    return results.map((result, i) => {
      const at = eventOf[i] as number;
      return at === -1 ? (result as RunRead | ItemFailure) : (entries[at] as AuditEntry);
    });
  };

  const readWithin = (
    request: RunReadRequest,
    scopes: ReadonlyMap<string, ReadonlySet<string>>,
  ): { read: RunRead; event: AuditEventInput } => {
    const { name, process, actor, person } = request;
    const valid = isValidSecretName(name);
    const declared = scopes.get(request.processId) ?? NOTHING_DECLARED;
    if (!valid || !declared.has(name)) {
      return {
        read: { outcome: "not_declared", declared },
        event: {
          type: "access.denied",
          ...(valid ? { name } : {}),
          process,
          actor,
          person,
          outcome: "denied",
          reason: "not declared by the process",
        },
      };
    }
    const secret = secrets.getChecked(person, name);
    if (secret === undefined) {
      return {
        read: { outcome: "value_missing" },
        event: {
          type: "access.denied",
          name,
          process,
          actor,
          person,
          outcome: "failed",
          reason: "value not set",
        },
      };
    }
    return {
      read: { outcome: "ok", secret },
      event: { type: "secret.read", name, process, actor, person, outcome: "ok" },
    };
  };

  const group = createGroupCommit((jobs: Job[]) =>
    // Reads and their audit entries on the hot path: committed (kill -9 safe) before the value is
    // handed out, but without waiting for the disk on each batch (docs/adr/0022).
    guard(() => {
      const results = withSynchronous(db, "NORMAL", () =>
        writeTransaction(db, () => commitBatch(jobs)),
      );
      advance();
      return results;
    }),
  );
  let closed = false;

  function guard<T>(work: () => T): T {
    if (closed) {
      throw new HeptoraError("vault_locked", {
        message: "The vault is closed.",
        hint: "Open it again.",
      });
    }
    try {
      return work();
    } catch (error) {
      throw asVaultError(error, dbPath);
    }
  }

  const vault: InnerVault = {
    id: vaultId,
    dataDir,
    keyFile,
    keySlots: () => guard(() => keyManagement.slots()),
    unlockedBy: deps.slot,
    created: deps.created,
    addKeychainSlot: (keychain, label) =>
      written(() => keyManagement.addKeychainSlot(keychain, label)),
    keyProtectionWarning: () =>
      guard(() => protectionWarning(keyManagement.slots(), keyFile, dataDir)),
    addPassphraseSlot: (passphrase, label) =>
      written(() => keyManagement.addPassphraseSlot(passphrase, label)),
    addRecoverySlot: (label) => written(() => keyManagement.addRecoverySlot(label)),
    removeKeySlot: (id) => written(() => keyManagement.removeKeySlot(id)),

    setSecret: (person, name, value, context) =>
      written(() => secrets.set(normalisePerson(person), name, value, context)),
    setSecrets: (person, entries) =>
      written(() => secrets.setMany(normalisePerson(person), entries)),
    getSecret: (person, name) =>
      guard(() => {
        const owner = normalisePerson(person);
        try {
          return secrets.get(owner, name);
        } catch (error) {
          return refusedRead(owner, name, error);
        }
      }),
    secretInfo: (person, name) => guard(() => secrets.info(normalisePerson(person), name)),
    listSecrets: (person) => guard(() => secrets.list(normalisePerson(person))),
    unsetSecret: (person, name, context) =>
      written(() => secrets.unset(normalisePerson(person), name, context)),
    history: (person, name) => guard(() => secrets.history(normalisePerson(person), name)),
    restoreSecret: (person, name, version, context) =>
      written(() => secrets.restore(normalisePerson(person), name, version, context)),
    forgetPerson: (person, context) =>
      written(() => secrets.forget(normalisePerson(person), context)),
    people: () => guard(() => secrets.people().filter((p) => p !== "")),
    claimUnowned: (person, context) =>
      written(() => secrets.claimUnowned(normalisePerson(person), context)),

    definitions: () => guard(() => definitions.get()),
    applyDefinitions: (sync, context) =>
      written(() => {
        const outcomes: RenameOutcome[] = [];
        try {
          definitions.apply(sync, (renames) => {
            for (const { from, to } of renames) {
              outcomes.push(secrets.renameWithin(from, to, context));
            }
          });
        } finally {
          if (outcomes.length > 0) secrets.forgetLists();
        }
        return outcomes;
      }),
    moveSecret: (person, from, to, context) =>
      written(() =>
        secrets.move(
          normalisePerson(person),
          from,
          to,
          () => new Set([...definitions.scopes().values()].flatMap((names) => [...names])),
          context,
        ),
      ),

    setSetting: (key, value) => written(() => settings.set(key, value)),
    getSetting: (key) => guard(() => settings.get(key)),

    appendAudit: (event) =>
      written(() => {
        const checked = checkAuditEvent(event);
        return writeTransaction(db, () => audit.appendWithin([checked]))[0] as AuditEntry;
      }),
    recordAudit: (event) => {
      try {
        const checked = guard(() => checkAuditEvent(event));
        return group.submit({ read: undefined, event: checked }) as Promise<AuditEntry>;
      } catch (error) {
        return Promise.reject(error);
      }
    },
    readForRun: (request) => {
      try {
        const checked = guard(() => checkRunRead(request));
        return group.submit({ read: checked, event: undefined }) as Promise<RunRead>;
      } catch (error) {
        return Promise.reject(error);
      }
    },
    runRecords: {
      start: (record) =>
        guard(() => runRecords.start({ ...record, person: normalisePerson(record.person) })),
      noteRead: (runId, name, at) => guard(() => runRecords.noteRead(runId, name, at)),
      end: (runId, outcome) => guard(() => runRecords.end(runId, outcome)),
      list: (person, limit) => guard(() => runRecords.list(normalisePerson(person), limit)),
      get: (person, runId) => guard(() => runRecords.get(normalisePerson(person), runId)),
    },
    listAudit: (query) => guard(() => audit.list(query)),
    verifyAudit: () =>
      guard(() => {
        const result = audit.verify();
        // The chain holds on its own; the checkpoint beside the key file says whether its head
        // was put back (entries cut from the end with an older head restored).
        const behind = result.ok ? watch.auditProblems() : [];
        const verified: AuditVerification =
          behind.length === 0
            ? result
            : { ...result, ok: false, problems: [...result.problems, ...behind] };
        chainProblems = verified.problems.map((p) => p.message);
        return verified;
      }),
    auditCheckpoint: () =>
      guard(() => {
        const head = integrityRepo.auditHead();
        return { vaultId, seq: head?.seq ?? 0, head: auditHash(head?.mac ?? "") };
      }),
    integrity: () =>
      guard(() => {
        const problems = [...watch.startProblems()];
        const state = ledger.problem();
        if (state !== undefined) problems.push(`The vault failed an integrity check: ${state}`);
        if (chainProblems !== undefined && chainProblems.length > 0) {
          problems.push(`The audit log is broken: ${chainProblems.join(" ")}`);
        }
        return { ok: problems.length === 0, problems };
      }),
    stats: () => ({ auditBatches: group.batches }),

    close() {
      if (closed) return;
      // Entries already promised to callers are written before the key goes away.
      group.drain();
      if (checkpointTimer !== undefined) clearTimeout(checkpointTimer);
      try {
        watch.advance();
      } catch {
        // Closing never fails on the checkpoint.
      }
      closed = true;
      sealer.destroy();
      wipe(auditKey, integrityKeys.rowKey, integrityKeys.elementKey, checkpointKey);
      for (const epoch of epochs) wipe(epoch.key);
      (deps.closeDb ?? (() => db.close()))();
    },
  };
  return vault;
}

/** A group-commit item: an audit entry (recordAudit) or a run's read (readForRun). */
type Job = { read: undefined; event: AuditEventInput } | { read: RunReadRequest; event: undefined };

const NOTHING_DECLARED: ReadonlySet<string> = new Set();

/** The entry of a read refused because the vault failed an integrity check (never a value). */
function refusal(person: string, name: string | undefined): AuditEventInput {
  return {
    type: "secret.read_refused",
    ...(name === undefined ? {} : { name }),
    person,
    outcome: "failed",
    reason: "the vault failed an integrity check",
  };
}

/**
 * A run's read request, checked before it joins a batch: process and actor must be valid audit
 * fields, the person a valid person (the name is checked in the batch: a bad one is a refusal,
 * audited).
 */
function checkRunRead(request: RunReadRequest): RunReadRequest {
  const { name, processId, process, actor } = request;
  const person = normalisePerson(request.person);
  for (const field of [name, processId, process, actor]) {
    if (typeof field !== "string") {
      throw new HeptoraError("validation_failed", {
        message: "A run's read needs a name, a process id, a process name and an actor.",
      });
    }
  }
  checkAuditEvent({ type: "secret.read", process, actor, outcome: "ok" });
  return { name, processId, process, actor, person };
}

function protectionWarning(
  slots: KeySlotInfo[],
  keyFile: string,
  dataDir: string,
): string | undefined {
  const warnings: string[] = [];
  const inside = relative(dataDir, keyFile);
  if (inside !== "" && !inside.startsWith("..") && !isAbsolute(inside)) {
    warnings.push(
      `The key file ${keyFile} is inside the data dir: a copy of the data dir opens the vault.`,
    );
  }
  // Any key-file slot opens the vault on its own, so a passphrase next to it adds nothing.
  if (slots.some((s) => s.kind === SlotKind.Keyfile)) {
    warnings.push(
      slots.every((s) => s.kind === SlotKind.Keyfile)
        ? `The vault key is protected by file permissions only (${keyFile}).`
        : `The vault key is protected by file permissions only (${keyFile}): its key-file slot opens the vault without the other slots.`,
    );
  }
  if (process.platform !== "win32") {
    try {
      if ((statSync(keyFile).mode & 0o077) !== 0) {
        warnings.push(`The key file ${keyFile} can be read by other users: run chmod 600 on it.`);
      }
    } catch {
      // No key file (unlocked another way): nothing to say about its mode.
    }
  }
  return warnings.length === 0 ? undefined : warnings.join(" ");
}
