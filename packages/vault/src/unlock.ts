/**
 * Creating a vault and unlocking it: the data key (DEK) is made once, at creation, and from then
 * on recovered from a key slot. The key file names its vault and slot, so "wrong or missing key
 * file" (vault_locked, with the file in the message) stays distinct from "the slot row was
 * changed" (vault_integrity).
 */
import { HeptoraError } from "@heptora/protocol";
import {
  type Argon2idParams,
  DEFAULT_ARGON2ID,
  deriveFromPassphrase,
  newArgon2idParams,
  randomKey,
  wipe,
} from "./crypto/kdf.ts";
import {
  checkRecoveryKey,
  type KeySlotRecord,
  randomId,
  recoveryKek,
  SlotKind,
  unwrapDataKey,
  wrapDataKey,
} from "./crypto/key-slots.ts";
import { readKeyFile, setAsideKeyFile, writeKeyFile } from "./key-file.ts";
import { keychainAccount, type OsKeychain } from "./os-keychain.ts";
import { type Db, writeTransaction } from "./store/database.ts";
import type { KeysRepo } from "./store/keys-repo.ts";

export const KEYFILE_KDF = JSON.stringify({ kdf: "none" });
export const KEYCHAIN_KDF = JSON.stringify({ kdf: "none", store: "os-keychain" });

/** The Argon2id cost of a passphrase slot: new slots get it, weaker slots are raised to it. */
export type PassphraseCost = Omit<Argon2idParams, "salt" | "kdf">;

export interface UnlockDeps {
  db: Db;
  keys: KeysRepo;
  clock: () => Date;
  passphraseCost?: PassphraseCost;
}

export type Protector =
  | { kind: "keyfile"; keyFile: string }
  | { kind: "os-keychain"; keychain: OsKeychain }
  | { kind: "passphrase"; passphrase: string }
  | { kind: "recovery"; recoveryKey: string };

export interface Unlocked {
  vaultId: string;
  dek: Buffer;
  created: boolean;
  /** The slot that opened the vault (or that it was created with). */
  slot: { id: string; kind: SlotKind };
  /** Where an old key file was moved when a new vault was created over it. */
  keyFileSetAside?: string;
}

/** Opens the vault's data key, creating the vault (and its key file) on first use. */
export function unlockOrCreate(
  deps: UnlockDeps,
  protector: Protector,
  initialize: (vaultId: string, dek: Buffer) => void,
): Unlocked {
  const existing = deps.keys.meta("vault_id");
  if (existing !== undefined) return { vaultId: existing, ...unlock(deps, existing, protector) };
  return writeTransaction(deps.db, () => {
    // Another process may have created it while we waited for the write lock.
    const raced = deps.keys.meta("vault_id");
    if (raced !== undefined) return { vaultId: raced, ...unlock(deps, raced, protector) };
    if (protector.kind !== "keyfile" && protector.kind !== "os-keychain") {
      throw new HeptoraError("vault_locked", {
        message:
          "There is no vault here yet; a new vault is protected by the OS keychain or a key file first.",
        hint: "Start the robot once to create it, then add a passphrase or recovery key.",
      });
    }
    return create(deps, protector, initialize);
  });
}

function create(
  deps: UnlockDeps,
  protector: Extract<Protector, { kind: "keyfile" | "os-keychain" }>,
  initialize: (vaultId: string, dek: Buffer) => void,
): Unlocked {
  const now = deps.clock();
  const vaultId = randomId();
  const dek = randomKey();
  const kek = randomKey();
  const byKeychain = protector.kind === "os-keychain";
  try {
    const slot = wrapDataKey(kek, dek, vaultId, {
      id: randomId(),
      kind: byKeychain ? SlotKind.OsKeychain : SlotKind.Keyfile,
      kdf: byKeychain ? KEYCHAIN_KDF : KEYFILE_KDF,
      createdAt: now.toISOString(),
      label: null,
    });
    deps.keys.putMeta("vault_id", vaultId);
    deps.keys.putMeta("created_at", now.toISOString());
    deps.keys.insertSlot(slot);
    initialize(vaultId, dek);
    const created = { vaultId, dek, created: true, slot: { id: slot.id, kind: slot.kind } };
    if (protector.kind === "os-keychain") {
      // Stored last, still inside the transaction: if the store refuses, nothing commits.
      protector.keychain.set(keychainAccount(vaultId, slot.id), kek.toString("base64url"));
      return created;
    }
    // The key file is written last, still inside the transaction: if it fails, nothing commits;
    // if the process dies after it but before COMMIT, the next open sets it aside and starts over.
    const keyFile = protector.keyFile;
    const setAside = setAsideKeyFile(keyFile, now);
    writeKeyFile(keyFile, { vaultId, slotId: slot.id, key: kek });
    return setAside === undefined ? created : { ...created, keyFileSetAside: setAside };
  } catch (error) {
    wipe(dek);
    throw error;
  } finally {
    wipe(kek);
  }
}

function locked(message: string, hint: string): HeptoraError {
  return new HeptoraError("vault_locked", { message, hint });
}

function slotIntegrity(slot: KeySlotRecord): HeptoraError {
  return new HeptoraError("vault_integrity", {
    message: `The vault's key slot '${slot.id}' (${slot.kind}) was changed outside Heptora.`,
    hint: "Unlock with another key slot (passphrase or recovery key), or restore the data dir.",
  });
}

type Opened = { dek: Buffer; created: false; slot: { id: string; kind: SlotKind } };

function opened(dek: Buffer, slot: KeySlotRecord): Opened {
  return { dek, created: false, slot: { id: slot.id, kind: slot.kind } };
}

function unlock(deps: UnlockDeps, vaultId: string, protector: Protector): Opened {
  const slots = deps.keys.slots();
  if (protector.kind === "keyfile") return unlockWithKeyFile(slots, vaultId, protector.keyFile);
  if (protector.kind === "os-keychain") return unlockWithKeychain(slots, vaultId, protector);
  if (protector.kind === "passphrase") {
    const candidates = slots.filter((s) => s.kind === SlotKind.Passphrase);
    if (candidates.length === 0) {
      throw locked(
        "This vault has no passphrase.",
        "Unlock it with another of its key slots (heptora vault slots list shows them).",
      );
    }
    for (const slot of candidates) {
      const params = parseArgon2Params(slot);
      if (params === undefined) throw slotIntegrity(slot);
      const kek = deriveFromPassphrase(protector.passphrase, params);
      const dek = unwrapDataKey(kek, vaultId, slot);
      wipe(kek);
      if (dek !== undefined) {
        raiseCost(deps, vaultId, slot, params, dek, protector.passphrase);
        return opened(dek, slot);
      }
    }
    throw locked("The passphrase is not correct.", "Check it and try again.");
  }
  const parsed = checkRecoveryKey(protector.recoveryKey);
  if (parsed.status === "malformed") {
    throw locked(
      "That is not a recovery key.",
      "A recovery key has 8 groups of 7 letters and digits joined by dashes.",
    );
  }
  if (parsed.status === "mistyped") {
    throw locked(
      "That recovery key has a typo: its check characters do not match.",
      "Check it against the copy you wrote down, group by group.",
    );
  }
  const { bytes } = parsed;
  try {
    for (const slot of slots.filter((s) => s.kind === SlotKind.Recovery)) {
      const kek = recoveryKek(bytes, slot.id);
      const dek = unwrapDataKey(kek, vaultId, slot);
      wipe(kek);
      if (dek !== undefined) return opened(dek, slot);
    }
  } finally {
    wipe(bytes);
  }
  throw locked(
    "That recovery key is well formed but does not open this vault.",
    "It may belong to another robot, or its slot was removed.",
  );
}

/**
 * A passphrase slot made with a lower Argon2id cost than today's is re-wrapped at today's cost
 * (same slot id, new salt) right after it opened the vault: the passphrase is at hand only now.
 */
function raiseCost(
  deps: UnlockDeps,
  vaultId: string,
  slot: KeySlotRecord,
  params: Argon2idParams,
  dek: Buffer,
  passphrase: string,
): void {
  const target = deps.passphraseCost ?? DEFAULT_ARGON2ID;
  if (params.memory >= target.memory && params.passes >= target.passes) return;
  const raised = newArgon2idParams({
    memory: Math.max(params.memory, target.memory),
    passes: Math.max(params.passes, target.passes),
    parallelism: Math.max(params.parallelism, target.parallelism),
  });
  const kek = deriveFromPassphrase(passphrase, raised);
  try {
    const record = wrapDataKey(kek, dek, vaultId, {
      id: slot.id,
      kind: slot.kind,
      kdf: JSON.stringify(raised),
      createdAt: slot.createdAt,
      label: slot.label,
    });
    writeTransaction(deps.db, () => {
      deps.keys.removeSlot(slot.id);
      deps.keys.insertSlot(record);
    });
  } finally {
    wipe(kek);
  }
}

function unlockWithKeychain(
  slots: KeySlotRecord[],
  vaultId: string,
  protector: Extract<Protector, { kind: "os-keychain" }>,
): Opened {
  const { keychain } = protector;
  const candidates = slots.filter((s) => s.kind === SlotKind.OsKeychain);
  if (candidates.length === 0) {
    throw locked(
      "This vault has no OS keychain slot.",
      "Unlock it with its passphrase or recovery key: heptora unlock.",
    );
  }
  for (const slot of candidates) {
    let stored: string | undefined;
    try {
      stored = keychain.get(keychainAccount(vaultId, slot.id));
    } catch (error) {
      throw locked(
        `${keychain.description} cannot be reached (${(error as Error).message}).`,
        "Unlock with your passphrase or recovery key (heptora unlock), then add another slot.",
      );
    }
    if (stored === undefined) continue;
    const kek = Buffer.from(stored, "base64url");
    try {
      if (slot.kdf !== KEYCHAIN_KDF) throw slotIntegrity(slot);
      const dek = kek.length === 32 ? unwrapDataKey(kek, vaultId, slot) : undefined;
      if (dek === undefined) {
        throw locked(
          `The key ${keychain.description} holds for this vault does not open it.`,
          "Unlock with your passphrase or recovery key (heptora unlock), then add another slot.",
        );
      }
      return opened(dek, slot);
    } finally {
      wipe(kek);
    }
  }
  throw locked(
    `${keychain.description} has no key for this vault any more (its entry was removed).`,
    "Unlock with your passphrase or recovery key (heptora unlock), then add another slot.",
  );
}

function unlockWithKeyFile(slots: KeySlotRecord[], vaultId: string, keyFile: string): Opened {
  const read = readKeyFile(keyFile);
  if (read.status === "missing") {
    throw locked(
      `The vault's key file is missing: ${keyFile}`,
      "Restore that file from your backup, or point --key-file (HEPTORA_KEY_FILE) at it.",
    );
  }
  if (read.status === "damaged") {
    throw locked(
      `The vault's key file is damaged: ${keyFile}`,
      "Restore that file from your backup, or unlock with a passphrase or recovery key.",
    );
  }
  const { contents } = read;
  try {
    const slot = slots.find((s) => s.id === contents.slotId);
    if (contents.vaultId !== vaultId) {
      // A slot named by this key file but another vault id: the vault id was edited.
      if (slot !== undefined) {
        throw new HeptoraError("vault_integrity", {
          message: "The vault's identity was changed outside Heptora.",
          hint: "Restore the data dir from a backup.",
        });
      }
      throw locked(
        `The key file ${keyFile} belongs to another vault.`,
        "Point --key-file (HEPTORA_KEY_FILE) at this vault's key file.",
      );
    }
    if (slot === undefined) {
      throw locked(
        `The key file ${keyFile} opens a key slot this vault no longer has.`,
        "Unlock with another key slot, or restore the data dir from a backup.",
      );
    }
    if (slot.kind !== SlotKind.Keyfile || slot.kdf !== KEYFILE_KDF) throw slotIntegrity(slot);
    const dek = unwrapDataKey(contents.key, vaultId, slot);
    if (dek === undefined) throw slotIntegrity(slot);
    return opened(dek, slot);
  } finally {
    wipe(contents.key);
  }
}

export function parseArgon2Params(slot: Pick<KeySlotRecord, "kdf">): Argon2idParams | undefined {
  try {
    const p = JSON.parse(slot.kdf) as Partial<Argon2idParams>;
    const ok =
      p.kdf === "argon2id" &&
      typeof p.salt === "string" &&
      [p.memory, p.passes, p.parallelism].every(
        (n) => typeof n === "number" && Number.isSafeInteger(n) && n > 0 && n <= 4_194_304,
      );
    return ok ? (p as Argon2idParams) : undefined;
  } catch {
    return undefined;
  }
}
