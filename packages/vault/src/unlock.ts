/**
 * Creating a vault and unlocking it: the data key (DEK) is made once, at creation, and from then
 * on recovered from a key slot. The key file names its vault and slot, so "wrong or missing key
 * file" (vault_locked, with the file in the message) stays distinct from "the slot row was
 * changed" (vault_integrity).
 */
import { HeptoraError } from "@heptora/protocol";
import { type Argon2idParams, deriveFromPassphrase, randomKey, wipe } from "./crypto/kdf.ts";
import {
  type KeySlotRecord,
  parseRecoveryKey,
  randomId,
  recoveryKek,
  SlotKind,
  unwrapDataKey,
  wrapDataKey,
} from "./crypto/key-slots.ts";
import { readKeyFile, setAsideKeyFile, writeKeyFile } from "./key-file.ts";
import { type Db, writeTransaction } from "./store/database.ts";
import type { KeysRepo } from "./store/keys-repo.ts";

export const KEYFILE_KDF = JSON.stringify({ kdf: "none" });

export interface UnlockDeps {
  db: Db;
  keys: KeysRepo;
  clock: () => Date;
}

export type Protector =
  | { kind: "keyfile"; keyFile: string }
  | { kind: "passphrase"; passphrase: string }
  | { kind: "recovery"; recoveryKey: string };

export interface Unlocked {
  vaultId: string;
  dek: Buffer;
  created: boolean;
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
  if (existing !== undefined)
    return { vaultId: existing, dek: unlock(deps, existing, protector), created: false };
  return writeTransaction(deps.db, () => {
    // Another process may have created it while we waited for the write lock.
    const raced = deps.keys.meta("vault_id");
    if (raced !== undefined) {
      return { vaultId: raced, dek: unlock(deps, raced, protector), created: false };
    }
    if (protector.kind !== "keyfile") {
      throw new HeptoraError("vault_locked", {
        message: "There is no vault here yet; a new vault is protected by a key file first.",
        hint: "Open it once without a passphrase or recovery key to create it.",
      });
    }
    return create(deps, protector.keyFile, initialize);
  });
}

function create(
  deps: UnlockDeps,
  keyFile: string,
  initialize: (vaultId: string, dek: Buffer) => void,
): Unlocked {
  const now = deps.clock();
  const vaultId = randomId();
  const dek = randomKey();
  const kek = randomKey();
  try {
    const slot = wrapDataKey(kek, dek, vaultId, {
      id: randomId(),
      kind: SlotKind.Keyfile,
      kdf: KEYFILE_KDF,
      createdAt: now.toISOString(),
      label: null,
    });
    deps.keys.putMeta("vault_id", vaultId);
    deps.keys.putMeta("created_at", now.toISOString());
    deps.keys.insertSlot(slot);
    initialize(vaultId, dek);
    // The key file is written last, still inside the transaction: if it fails, nothing commits;
    // if the process dies after it but before COMMIT, the next open sets it aside and starts over.
    const setAside = setAsideKeyFile(keyFile, now);
    writeKeyFile(keyFile, { vaultId, slotId: slot.id, key: kek });
    return setAside === undefined
      ? { vaultId, dek, created: true }
      : { vaultId, dek, created: true, keyFileSetAside: setAside };
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

function unlock(deps: UnlockDeps, vaultId: string, protector: Protector): Buffer {
  const slots = deps.keys.slots();
  if (protector.kind === "keyfile") return unlockWithKeyFile(slots, vaultId, protector.keyFile);
  if (protector.kind === "passphrase") {
    const candidates = slots.filter((s) => s.kind === SlotKind.Passphrase);
    if (candidates.length === 0) {
      throw locked("This vault has no passphrase.", "Unlock it with its key file.");
    }
    for (const slot of candidates) {
      const params = parseArgon2Params(slot);
      if (params === undefined) throw slotIntegrity(slot);
      const kek = deriveFromPassphrase(protector.passphrase, params);
      const dek = unwrapDataKey(kek, vaultId, slot);
      wipe(kek);
      if (dek !== undefined) return dek;
    }
    throw locked("The passphrase is not correct.", "Check it and try again.");
  }
  const bytes = parseRecoveryKey(protector.recoveryKey);
  if (bytes === undefined) {
    throw locked(
      "That is not a recovery key.",
      "A recovery key has 8 groups of 5 letters and digits.",
    );
  }
  try {
    for (const slot of slots.filter((s) => s.kind === SlotKind.Recovery)) {
      const kek = recoveryKek(bytes, slot.id);
      const dek = unwrapDataKey(kek, vaultId, slot);
      wipe(kek);
      if (dek !== undefined) return dek;
    }
  } finally {
    wipe(bytes);
  }
  throw locked("The recovery key does not open this vault.", "Check it and try again.");
}

function unlockWithKeyFile(slots: KeySlotRecord[], vaultId: string, keyFile: string): Buffer {
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
    return dek;
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
