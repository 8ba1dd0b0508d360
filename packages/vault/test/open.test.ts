import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { HeptoraError } from "@heptora/protocol";
import { openVault } from "../src/index.ts";
import { ANA, codeOf, type TempVault, tempVault } from "./support/temp-vault.ts";

function errorOf(work: () => unknown): HeptoraError {
  try {
    work();
  } catch (error) {
    if (error instanceof HeptoraError) return error;
    throw error;
  }
  throw new Error("expected an error");
}

describe("opening a vault", () => {
  let t: TempVault;
  beforeEach(() => {
    t = tempVault();
  });
  afterEach(() => t.cleanup());

  it("creates a private data dir, 0600 files and a 0600 key file in a 0700 dir outside it", () => {
    const vault = t.open();
    vault.setSecret(ANA, "SAP_USER", "ana");
    const mode = (path: string) => statSync(path).mode & 0o777;
    assert.equal(mode(t.dataDir), 0o700);
    for (const file of ["vault.db", "vault.db-wal", "vault.db-shm"]) {
      assert.equal(mode(join(t.dataDir, file)), 0o600, file);
    }
    assert.equal(mode(t.keyFile), 0o600);
    assert.equal(mode(join(t.root, "config", "keys")), 0o700);
    assert.ok(relative(t.dataDir, t.keyFile).startsWith(".."));
  });

  it("keeps its id and values across opens", () => {
    const first = t.open();
    first.setSecret(ANA, "SAP_USER", "ana");
    first.close();
    const second = t.open();
    assert.equal(second.id, first.id);
    assert.equal(second.getSecret(ANA, "SAP_USER")?.value, "ana");
    assert.deepEqual(
      second.keySlots().map((s) => s.kind),
      ["keyfile"],
    );
  });

  it("uses the paths it is given and never the environment", () => {
    const saved = process.env.HEPTORA_KEY_FILE;
    process.env.HEPTORA_KEY_FILE = join(t.root, "from-env.key");
    try {
      const vault = openVault({ dataDir: t.dataDir, keyFile: t.keyFile });
      assert.equal(vault.keyFile, t.keyFile);
      assert.ok(existsSync(t.keyFile));
      assert.ok(!existsSync(join(t.root, "from-env.key")));
      vault.close();
    } finally {
      if (saved === undefined) delete process.env.HEPTORA_KEY_FILE;
      else process.env.HEPTORA_KEY_FILE = saved;
    }
  });

  it("says which key file is missing", () => {
    t.open().close();
    const missing = join(t.root, "elsewhere.key");
    const error = errorOf(() => t.open({ keyFile: missing }));
    assert.equal(error.code, "vault_locked");
    assert.match(error.message, /elsewhere\.key/);
    assert.ok(error.hint);
  });

  it("refuses another vault's key file", () => {
    t.open().close();
    const other = tempVault();
    try {
      other.open().close();
      const error = errorOf(() => t.open({ keyFile: other.keyFile }));
      assert.equal(error.code, "vault_locked");
      assert.match(error.message, /another vault/);
    } finally {
      other.cleanup();
    }
  });

  it("refuses a damaged key file", () => {
    t.open().close();
    const text = readFileSync(t.keyFile, "utf8");
    writeFileSync(
      t.keyFile,
      text.replace(/"key": "(.)/, (_m, c: string) => `"key": "${c === "A" ? "B" : "A"}`),
    );
    assert.equal(
      codeOf(() => t.open()),
      "vault_locked",
    );
  });

  it("sets aside, never deletes, an old key file found where a new vault is created", () => {
    const first = t.open();
    const firstId = first.id;
    first.close();
    const oldKey = readFileSync(t.keyFile, "utf8");
    rmSync(t.dataDir, { recursive: true });
    const second = t.open();
    assert.notEqual(second.id, firstId);
    const keyDir = join(t.root, "config", "keys");
    const setAside = readdirSync(keyDir).filter((f) => f.startsWith("robot.key.replaced-"));
    assert.equal(setAside.length, 1);
    assert.equal(readFileSync(join(keyDir, setAside[0] ?? ""), "utf8"), oldKey);
  });

  it("warns that a key file protects the key until the key-file slot is gone", () => {
    const vault = t.open();
    assert.equal(
      vault.keyProtectionWarning(),
      `The vault key is protected by file permissions only (${t.keyFile}).`,
    );
    vault.addPassphraseSlot("correct horse battery", "admin");
    assert.match(vault.keyProtectionWarning() ?? "", /key-file slot opens the vault/);
    const keyfile = vault.keySlots().find((s) => s.kind === "keyfile");
    vault.removeKeySlot(keyfile?.id ?? "");
    assert.equal(vault.keyProtectionWarning(), undefined);
    vault.close();
    assert.equal(
      codeOf(() => t.open()),
      "vault_locked",
    );
    assert.equal(t.open({ passphrase: "correct horse battery" }).keySlots().length, 1);
  });

  it("unlocks with a passphrase or a recovery key as well as the key file", () => {
    const vault = t.open();
    vault.setSecret(ANA, "SAP_USER", "ana");
    vault.addPassphraseSlot("correct horse battery");
    const { recoveryKey, slot } = vault.addRecoverySlot("printed");
    assert.equal(slot.label, "printed");
    assert.deepEqual(
      vault.keySlots().map((s) => s.kind),
      ["keyfile", "passphrase", "recovery"],
    );
    vault.close();
    const byPassphrase = t.open({ passphrase: "correct horse battery" });
    assert.equal(byPassphrase.getSecret(ANA, "SAP_USER")?.value, "ana");
    byPassphrase.close();
    const byRecovery = t.open({ recoveryKey: recoveryKey.toLowerCase() });
    assert.equal(byRecovery.getSecret(ANA, "SAP_USER")?.value, "ana");
    assert.equal(
      codeOf(() => t.open({ passphrase: "wrong horse battery" })),
      "vault_locked",
    );
    assert.equal(
      codeOf(() => t.open({ recoveryKey: "AAAAA" })),
      "vault_locked",
    );
  });

  it("removes slots but never the last one", () => {
    const vault = t.open();
    const [keyfile] = vault.keySlots();
    const { slot } = vault.addRecoverySlot();
    assert.equal(vault.removeKeySlot(slot.id), true);
    assert.equal(vault.removeKeySlot(slot.id), false);
    assert.equal(
      codeOf(() => vault.removeKeySlot(keyfile?.id ?? "")),
      "validation_failed",
    );
    assert.equal(vault.keySlots().length, 1);
  });

  it("warns when the key file is kept inside the data dir", () => {
    const vault = t.open({ keyFile: join(t.dataDir, "inside.key") });
    assert.match(vault.keyProtectionWarning() ?? "", /inside the data dir/);
  });
});
