/**
 * The key slots a person can use (issue 14): an `os-keychain` slot (through the keychain the
 * robot passes in; here an in-memory one), passphrase slots whose Argon2id cost is raised at
 * unlock when the defaults grew, and recovery keys whose checksum tells a typo from a wrong key.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { afterEach, beforeEach, describe, it } from "node:test";
import { HeptoraError } from "@heptora/protocol";
import { type OsKeychain, peekKeySlots } from "../src/index.ts";
import { ANA, type TempVault, tempVault } from "./support/temp-vault.ts";

function memoryKeychain(): OsKeychain & { entries: Map<string, string>; down: boolean } {
  const entries = new Map<string, string>();
  const store = {
    entries,
    down: false,
    description: "the test keychain",
    get(account: string) {
      if (store.down) throw new Error("no Secret Service on the session bus");
      return entries.get(account);
    },
    set(account: string, secret: string) {
      if (store.down) throw new Error("no Secret Service on the session bus");
      entries.set(account, secret);
    },
    delete: (account: string) => entries.delete(account),
  };
  return store;
}

function errorOf(work: () => unknown): HeptoraError {
  try {
    work();
  } catch (error) {
    if (error instanceof HeptoraError) return error;
    throw error;
  }
  throw new Error("expected an error");
}

describe("key slot kinds", () => {
  let t: TempVault;
  beforeEach(() => {
    t = tempVault();
  });
  afterEach(() => t.cleanup());

  it("creates a vault protected by the OS keychain only: no key file, and no warning", () => {
    const keychain = memoryKeychain();
    const vault = t.open({ keychain, unlockWith: "os-keychain" });
    vault.setSecret(ANA, "SAP_USER", "ana");
    assert.deepEqual(
      vault.keySlots().map((s) => s.kind),
      ["os-keychain"],
    );
    assert.equal(existsSync(t.keyFile), false);
    assert.equal(vault.keyProtectionWarning(), undefined);
    const [account] = [...keychain.entries.keys()];
    assert.equal(account, `vault ${vault.id} slot ${vault.unlockedBy.id}`);
    vault.close();
    const again = t.open({ keychain, unlockWith: "os-keychain" });
    assert.equal(again.getSecret(ANA, "SAP_USER")?.value, "ana");
    assert.deepEqual(
      peekKeySlots(t.dataDir)?.slots.map((s) => s.kind),
      ["os-keychain"],
    );
  });

  it("says the keychain is gone (not a crash) and still opens with a recovery key", () => {
    const keychain = memoryKeychain();
    const vault = t.open({ keychain, unlockWith: "os-keychain" });
    const { recoveryKey } = vault.addRecoverySlot();
    vault.close();
    keychain.down = true;
    const unreachable = errorOf(() => t.open({ keychain, unlockWith: "os-keychain" }));
    assert.equal(unreachable.code, "vault_locked");
    assert.match(unreachable.message, /the test keychain cannot be reached/);
    assert.match(unreachable.hint ?? "", /heptora unlock/);
    keychain.down = false;
    keychain.entries.clear();
    const removed = errorOf(() => t.open({ keychain, unlockWith: "os-keychain" }));
    assert.match(removed.message, /has no key for this vault any more/);
    t.open({ recoveryKey }).close();
  });

  it("raises a passphrase slot's Argon2id cost at unlock when the defaults grew", () => {
    const cheap = { memory: 1024, passes: 1, parallelism: 1 };
    const vault = t.open({ passphraseCost: cheap });
    vault.addPassphraseSlot("correct horse battery");
    vault.close();
    const raised = { memory: 2048, passes: 2, parallelism: 1 };
    const reopened = t.open({ passphrase: "correct horse battery", passphraseCost: raised });
    const slot = reopened.keySlots().find((s) => s.kind === "passphrase");
    assert.deepEqual(slot?.argon2id, { memoryKiB: 2048, passes: 2 });
    reopened.close();
    t.open({ passphrase: "correct horse battery", passphraseCost: raised }).close();
  });

  it("gives new passphrase slots at least 64 MiB and 3 passes by default", () => {
    const vault = t.open();
    const slot = vault.addPassphraseSlot("correct horse battery");
    assert.deepEqual(slot.argon2id, { memoryKiB: 65536, passes: 3 });
  });

  it("tells a mistyped recovery key from one that does not open this vault", () => {
    const vault = t.open();
    const { recoveryKey } = vault.addRecoverySlot();
    vault.close();
    const last = recoveryKey.at(-1) === "0" ? "1" : "0";
    const typo = errorOf(() => t.open({ recoveryKey: `${recoveryKey.slice(0, -1)}${last}` }));
    assert.equal(typo.code, "vault_locked");
    assert.match(typo.message, /has a typo/);
    const other = tempVault();
    try {
      const stranger = other.open().addRecoverySlot().recoveryKey;
      const wrong = errorOf(() => t.open({ recoveryKey: stranger }));
      assert.match(wrong.message, /does not open this vault/);
    } finally {
      other.cleanup();
    }
  });
});
