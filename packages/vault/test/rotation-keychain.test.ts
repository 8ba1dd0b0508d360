/**
 * Rotating the data key of a vault kept by the OS keychain (docs/adr/0080's amendment), at the
 * vault's face with an in-memory keychain: the slot gets a new id and a new entry, the old entry
 * is deleted; without the keychain's rewrapper the rotation is refused, naming the slot; a
 * keychain that refuses the new entry rolls everything back, and the old entry still opens it.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keychainRewrapper, type OsKeychain } from "../src/index.ts";
import { ANA, tempVault } from "./support/temp-vault.ts";

function keychainWhoseWritesFail(): OsKeychain & {
  entries: Map<string, string>;
  refuseWrites: boolean;
} {
  const entries = new Map<string, string>();
  const store = {
    entries,
    refuseWrites: false,
    description: "the test keychain",
    get: (account: string) => entries.get(account),
    set(account: string, secret: string) {
      if (store.refuseWrites) throw new Error("the keyring is locked");
      entries.set(account, secret);
    },
    delete: (account: string) => entries.delete(account),
  };
  return store;
}

describe("vault rotateKey with an os-keychain slot", () => {
  it("moves the slot to a new keychain entry and deletes the old one", async () => {
    const t = tempVault();
    const keychain = keychainWhoseWritesFail();
    try {
      const vault = t.open({ keychain, unlockWith: "os-keychain" });
      vault.setSecret(ANA, "SAP_USER", "ana-1");
      const [before] = [...keychain.entries.keys()];

      // Without the keychain's rewrapper its only slot could not take the key: refused.
      await assert.rejects(
        vault.rotateKey(),
        (error: { code?: string; message?: string; hint?: string }) => {
          assert.equal(error.code, "key_slots_not_rewrapped");
          assert.match(error.message ?? "", /No key slot of this vault can take the new data key/);
          assert.match(error.hint ?? "", /OS keychain reachable/);
          return true;
        },
      );
      assert.equal(vault.getSecret(ANA, "SAP_USER")?.value, "ana-1");

      const result = await vault.rotateKey({
        rewrappers: { "os-keychain": keychainRewrapper(keychain) },
      });
      assert.deepEqual(
        result.slots.map((s) => s.kind),
        ["os-keychain"],
      );
      const after = [...keychain.entries.keys()];
      assert.equal(after.length, 1, "the old entry is deleted");
      assert.notEqual(after[0], before);
      assert.equal(after[0], `vault ${vault.id} slot ${result.slots[0]?.id}`);
      assert.equal(vault.unlockedBy.id, result.slots[0]?.id, "the unlocking slot's new id");
      vault.close();

      const reopened = t.open({ keychain, unlockWith: "os-keychain" });
      assert.equal(reopened.getSecret(ANA, "SAP_USER")?.value, "ana-1");
      assert.deepEqual(reopened.integrity().problems, []);
    } finally {
      t.cleanup();
    }
  });

  it("rolls back when the keychain refuses the new entry; the old entry still opens the vault", async () => {
    const t = tempVault();
    const keychain = keychainWhoseWritesFail();
    try {
      const vault = t.open({ keychain, unlockWith: "os-keychain" });
      vault.setSecret(ANA, "SAP_USER", "ana-1");
      const before = [...keychain.entries.entries()];
      keychain.refuseWrites = true;
      await assert.rejects(
        vault.rotateKey({ rewrappers: { "os-keychain": keychainRewrapper(keychain) } }),
        /the keyring is locked/,
      );
      assert.deepEqual([...keychain.entries.entries()], before, "no entry added or removed");
      assert.equal(vault.getSecret(ANA, "SAP_USER")?.value, "ana-1");
      assert.equal(
        vault.listAudit({ type: "vault.key_rotated" }).length,
        0,
        "no rotation recorded",
      );
      vault.close();
      const reopened = t.open({ keychain, unlockWith: "os-keychain" });
      assert.equal(reopened.getSecret(ANA, "SAP_USER")?.value, "ana-1");
      assert.deepEqual(reopened.integrity().problems, []);
    } finally {
      t.cleanup();
    }
  });
});
