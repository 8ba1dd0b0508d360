/**
 * Re-wrapping key slots for a new data key (docs/adr/0080). A slot holds the data key wrapped by
 * its kind's key-encryption key (KEK); to wrap a NEW data key, each kind must supply its KEK now.
 * A `SlotRewrapper` is that answer, one per kind: given the slot, it returns the new slot's KEK,
 * KDF parameters and id, and what must happen outside the database before COMMIT (`prepare`),
 * after it (`commit`) or after a ROLLBACK (`abandon`); or `undefined` when it cannot (a passphrase
 * not given, a key file that is not this slot's).
 *
 * Built in: `keyfile` (a new KEK in a new key file written beside the old one, swapped in after
 * COMMIT), `passphrase` (each passphrase offered is tried; a new salt at the current Argon2id
 * cost), `recovery` (a new recovery key, shown once). Other kinds (the robot's `os-keychain`)
 * are handed in by the caller: the rotation needs no change for them.
 */
import { renameSync, rmSync } from "node:fs";
import { HeptoraError } from "@heptora/protocol";
import { deriveFromPassphrase, newArgon2idParams, randomKey, wipe } from "../crypto/kdf.ts";
import {
  type KeySlotRecord,
  newRecoveryKey,
  randomId,
  recoveryKek,
  SlotKind,
  unwrapDataKey,
} from "../crypto/key-slots.ts";
import { readKeyFile, writeKeyFile } from "../key-file.ts";
import { KEYFILE_KDF, parseArgon2Params } from "../unlock.ts";

/** The new slot a rewrapper supplies for the new data key. */
export interface SlotRewrap {
  /** The new slot's id (a slot whose KEK changes where it is kept outside gets a new id). */
  id: string;
  /** The KEK to wrap the new data key with; the rotation wipes it after use. */
  kek: Buffer;
  /** The KDF parameters stored in the slot (JSON, no secret). */
  kdf: string;
  /** Inside the transaction, before COMMIT: store whatever lives outside the database. */
  prepare?(): void;
  /** After COMMIT: swap it in. Must tolerate running twice (a restart may have done it). */
  commit?(): void;
  /** After a ROLLBACK: remove what prepare wrote. */
  abandon?(): void;
  /** A new recovery key, shown to the person once after the rotation. */
  recoveryKey?: string;
}

export interface RewrapContext {
  vaultId: string;
  /** The data key being replaced (to check that a KEK offered really opens the slot). */
  dek: Uint8Array;
  keyFile: string;
}

/** A slot kind's answer to "give me your key-encryption key now", or undefined when it cannot. */
export type SlotRewrapper = (slot: KeySlotRecord, context: RewrapContext) => SlotRewrap | undefined;

/** Where a rotation writes the new key file before COMMIT. */
export function pendingKeyFile(keyFile: string): string {
  return `${keyFile}.next`;
}

function sameKey(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && Buffer.compare(a, b) === 0;
}

/** The key file of this vault names the slot and opens it: a new KEK in a new key file. */
export const keyFileRewrapper: SlotRewrapper = (slot, { vaultId, dek, keyFile }) => {
  if (slot.kdf !== KEYFILE_KDF) return undefined;
  const read = readKeyFile(keyFile);
  if (read.status !== "ok") return undefined;
  const { contents } = read;
  try {
    if (contents.vaultId !== vaultId || contents.slotId !== slot.id) return undefined;
    const opened = unwrapDataKey(contents.key, vaultId, slot);
    const opens = sameKey(opened, dek);
    wipe(opened);
    if (!opens) return undefined;
  } finally {
    wipe(contents.key);
  }
  const id = randomId();
  const kek = randomKey();
  const next = pendingKeyFile(keyFile);
  return {
    id,
    kek,
    kdf: KEYFILE_KDF,
    prepare() {
      writeKeyFile(next, { vaultId, slotId: id, key: kek });
    },
    commit() {
      try {
        renameSync(next, keyFile);
      } catch (error) {
        // A restart that found the new key file first has already swapped it in.
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
    },
    abandon() {
      rmSync(next, { force: true });
    },
  };
};

/** Each passphrase offered is tried on the slot; the one that opens it gets a new salt. */
export function passphraseRewrapper(passphrases: readonly string[]): SlotRewrapper {
  return (slot, { vaultId, dek }) => {
    const params = parseArgon2Params(slot);
    if (params === undefined) return undefined;
    for (const passphrase of passphrases) {
      const kek = deriveFromPassphrase(passphrase, params);
      const opened = unwrapDataKey(kek, vaultId, slot);
      wipe(kek);
      const opens = sameKey(opened, dek);
      wipe(opened);
      if (!opens) continue;
      const next = newArgon2idParams();
      return {
        id: slot.id,
        kek: deriveFromPassphrase(passphrase, next),
        kdf: JSON.stringify(next),
      };
    }
    return undefined;
  };
}

/** The recovery key is not at hand (it is kept offline): a new one replaces it, shown once. */
export const recoveryRewrapper: SlotRewrapper = () => {
  const { text, bytes } = newRecoveryKey();
  const id = randomId();
  const kek = recoveryKek(bytes, id);
  wipe(bytes);
  return {
    id,
    kek,
    kdf: JSON.stringify({ kdf: "hkdf-sha256", info: "heptora recovery slot v1" }),
    recoveryKey: text,
  };
};

export interface PlannedSlot {
  old: KeySlotRecord;
  rewrap: SlotRewrap;
}

/**
 * Asks every slot's kind for its KEK (before the transaction: Argon2id is slow). Slots nobody
 * can re-wrap are refused unless `dropSlots`; a rotation that would leave no slot is refused.
 */
export function planRewraps(
  slots: readonly KeySlotRecord[],
  context: RewrapContext,
  options: {
    passphrases?: readonly string[];
    dropSlots?: boolean;
    rewrappers?: Readonly<Partial<Record<string, SlotRewrapper>>>;
  },
): { planned: PlannedSlot[]; dropped: KeySlotRecord[] } {
  const builtIn: Partial<Record<string, SlotRewrapper>> = {
    [SlotKind.Keyfile]: keyFileRewrapper,
    [SlotKind.Passphrase]: passphraseRewrapper(options.passphrases ?? []),
    [SlotKind.Recovery]: recoveryRewrapper,
  };
  const planned: PlannedSlot[] = [];
  const dropped: KeySlotRecord[] = [];
  try {
    for (const slot of slots) {
      const rewrapper = options.rewrappers?.[slot.kind] ?? builtIn[slot.kind];
      const rewrap = rewrapper?.(slot, context);
      if (rewrap === undefined) dropped.push(slot);
      else planned.push({ old: slot, rewrap });
    }
    if (planned.length === 0) {
      throw new HeptoraError("key_slots_not_rewrapped", {
        message:
          "No key slot of this vault can take the new data key, so the rotation would lock it forever.",
        hint: "Give the passphrase with --passphrase-stdin, or keep the vault's key file where the robot finds it (or its OS keychain reachable).",
      });
    }
    if (dropped.length > 0 && options.dropSlots !== true) {
      const list = dropped.map((s) => `'${s.id}' (${describeSlot(s.kind)})`).join(", ");
      throw new HeptoraError("key_slots_not_rewrapped", {
        message: `These key slots cannot take the new data key: ${list}.`,
        hint: "Give each passphrase with --passphrase-stdin (one a line), or remove those slots with --drop-slots.",
        details: { slots: dropped.map((s) => ({ id: s.id, kind: s.kind })) },
      });
    }
    return { planned, dropped };
  } catch (error) {
    for (const { rewrap } of planned) wipe(rewrap.kek);
    throw error;
  }
}

function describeSlot(kind: string): string {
  if (kind === SlotKind.Passphrase) return "a passphrase that was not given";
  if (kind === SlotKind.Keyfile) return "a key file that is not this robot's";
  if (kind === SlotKind.OsKeychain) return "an OS keychain entry that cannot be read here";
  return kind;
}
