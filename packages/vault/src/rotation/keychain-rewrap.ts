/**
 * Re-wrapping an `os-keychain` slot for a new data key (docs/adr/0080, 0078). The slot's KEK lives
 * in the OS keychain under an account naming the vault and the slot, so a rotation gives the slot
 * a NEW id and a new KEK, and the keychain a new entry:
 *
 * - before COMMIT (`prepare`): the new entry is written; the old entry and the old slot still
 *   open the vault if the process dies here (the new entry names a slot that never committed);
 * - after COMMIT (`commit`): the old entry is deleted; if the process dies before, the new slot
 *   and the new entry open the vault, and the old entry names a slot the vault no longer has;
 * - after a ROLLBACK (`abandon`): the new entry is deleted.
 *
 * A vault killed at any step therefore opens with the old or the new key, never neither.
 *
 * @example
 * vault.rotateKey({ rewrappers: { "os-keychain": keychainRewrapper(keychain) } });
 */
import { randomKey, wipe } from "../crypto/kdf.ts";
import { randomId, unwrapDataKey } from "../crypto/key-slots.ts";
import { keychainAccount, type OsKeychain } from "../os-keychain.ts";
import { KEYCHAIN_KDF } from "../unlock.ts";
import type { SlotRewrapper } from "./slot-rewrap.ts";

/** The keychain's entry for the slot opens it: a new slot id, a new KEK, a new entry. */
export function keychainRewrapper(keychain: OsKeychain): SlotRewrapper {
  return (slot, { vaultId, dek }) => {
    if (slot.kdf !== KEYCHAIN_KDF) return undefined;
    const oldAccount = keychainAccount(vaultId, slot.id);
    let stored: string | undefined;
    try {
      stored = keychain.get(oldAccount);
    } catch {
      return undefined; // the store does not answer: the slot is named as one that cannot follow
    }
    if (stored === undefined) return undefined;
    const oldKek = Buffer.from(stored, "base64url");
    const opened = oldKek.length === 32 ? unwrapDataKey(oldKek, vaultId, slot) : undefined;
    wipe(oldKek);
    const opens = opened !== undefined && Buffer.compare(opened, dek) === 0;
    wipe(opened);
    if (!opens) return undefined;
    const id = randomId();
    const kek = randomKey();
    const newAccount = keychainAccount(vaultId, id);
    return {
      id,
      kek,
      kdf: KEYCHAIN_KDF,
      prepare() {
        keychain.set(newAccount, kek.toString("base64url"));
      },
      commit() {
        try {
          keychain.delete(oldAccount);
        } catch {
          // The old entry names a slot the vault no longer has: it opens nothing written since.
        }
      },
      abandon() {
        keychain.delete(newAccount);
      },
    };
  };
}
