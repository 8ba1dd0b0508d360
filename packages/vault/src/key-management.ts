/**
 * Adding and removing key slots of an unlocked vault. Every slot wraps the same data key, so
 * nothing is re-encrypted; the last slot can never be removed.
 */
import { HeptoraError } from "@heptora/protocol";
import { deriveFromPassphrase, newArgon2idParams, randomKey, wipe } from "./crypto/kdf.ts";
import {
  type KeySlotRecord,
  newRecoveryKey,
  randomId,
  recoveryKek,
  SlotKind,
  wrapDataKey,
} from "./crypto/key-slots.ts";
import { keychainAccount, type OsKeychain } from "./os-keychain.ts";
import { type Db, writeTransaction } from "./store/database.ts";
import type { KeysRepo } from "./store/keys-repo.ts";
import type { KeySlotInfo } from "./types.ts";
import { KEYCHAIN_KDF, type PassphraseCost, parseArgon2Params } from "./unlock.ts";

export interface KeyManagementDeps {
  db: Db;
  keys: KeysRepo;
  clock: () => Date;
  vaultId: string;
  /** The unlocked data key (owned by the vault; wiped on close). */
  dek: Buffer;
  passphraseCost?: PassphraseCost;
}

export function toSlotInfo(slot: KeySlotRecord): KeySlotInfo {
  const info: KeySlotInfo = { id: slot.id, kind: slot.kind, createdAt: slot.createdAt };
  if (slot.label !== null) info.label = slot.label;
  if (slot.kind === SlotKind.Passphrase) {
    const params = parseArgon2Params(slot);
    if (params !== undefined) {
      info.argon2id = { memoryKiB: params.memory, passes: params.passes };
    }
  }
  return info;
}

function checkLabel(label: string | undefined): string | null {
  if (label === undefined) return null;
  if (typeof label !== "string" || label.length > 100) {
    throw new HeptoraError("validation_failed", {
      message: "A key slot label is a string of at most 100 characters.",
    });
  }
  return label;
}

export function createKeyManagement(deps: KeyManagementDeps) {
  const { db, keys, clock, vaultId, dek } = deps;

  const addSlot = (kind: SlotKind, kek: Uint8Array, kdf: string, label: string | null) => {
    const slot = wrapDataKey(kek, dek, vaultId, {
      id: randomId(),
      kind,
      kdf,
      createdAt: clock().toISOString(),
      label,
    });
    writeTransaction(db, () => keys.insertSlot(slot));
    return toSlotInfo(slot);
  };

  return {
    slots(): KeySlotInfo[] {
      return keys.slots().map(toSlotInfo);
    },

    /** Adds a slot opened by `passphrase` (Argon2id, 64 MiB, 3 passes). */
    addPassphraseSlot(passphrase: string, label?: string): KeySlotInfo {
      if (typeof passphrase !== "string" || passphrase.length < 8 || passphrase.length > 1024) {
        throw new HeptoraError("weak_password", {
          message: "A vault passphrase has 8 to 1024 characters.",
        });
      }
      const params = newArgon2idParams(deps.passphraseCost);
      const kek = deriveFromPassphrase(passphrase, params);
      try {
        return addSlot(SlotKind.Passphrase, kek, JSON.stringify(params), checkLabel(label));
      } finally {
        wipe(kek);
      }
    },

    /** Adds a recovery slot; the key is returned once and never stored. */
    addRecoverySlot(label?: string): { slot: KeySlotInfo; recoveryKey: string } {
      const { text, bytes } = newRecoveryKey();
      const id = randomId();
      const kek = recoveryKek(bytes, id);
      try {
        const slot = wrapDataKey(kek, dek, vaultId, {
          id,
          kind: SlotKind.Recovery,
          kdf: JSON.stringify({ kdf: "hkdf-sha256", info: "heptora recovery slot v1" }),
          createdAt: clock().toISOString(),
          label: checkLabel(label),
        });
        writeTransaction(db, () => keys.insertSlot(slot));
        return { slot: toSlotInfo(slot), recoveryKey: text };
      } finally {
        wipe(kek, bytes);
      }
    },

    /**
     * Adds a slot whose key-encryption key the OS keychain keeps. The entry is written first:
     * if the store refuses, no slot is added; if the slot cannot be added, the entry is removed.
     */
    addKeychainSlot(keychain: OsKeychain, label?: string): KeySlotInfo {
      const id = randomId();
      const kek = randomKey();
      const account = keychainAccount(vaultId, id);
      try {
        const slot = wrapDataKey(kek, dek, vaultId, {
          id,
          kind: SlotKind.OsKeychain,
          kdf: KEYCHAIN_KDF,
          createdAt: clock().toISOString(),
          label: checkLabel(label),
        });
        keychain.set(account, kek.toString("base64url"));
        try {
          writeTransaction(db, () => keys.insertSlot(slot));
        } catch (error) {
          keychain.delete(account);
          throw error;
        }
        return toSlotInfo(slot);
      } finally {
        wipe(kek);
      }
    },

    /** Removes a slot; refuses to remove the last one. */
    removeKeySlot(id: string): boolean {
      return writeTransaction(db, () => {
        const slots = keys.slots();
        if (!slots.some((s) => s.id === id)) return false;
        if (slots.length === 1) {
          throw new HeptoraError("validation_failed", {
            message: "This is the vault's last key slot; removing it would lock the vault forever.",
            hint: "Add another key slot first.",
          });
        }
        return keys.removeSlot(id);
      });
    },
  };
}
