import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { HeptoraError, SECRET_VALUE_MAX_LENGTH } from "@heptora/protocol";
import { KEPT_VERSIONS, type Vault } from "../src/index.ts";
import { codeOf, type TempVault, tempVault } from "./support/temp-vault.ts";

describe("secrets", () => {
  let t: TempVault;
  let vault: Vault;
  let now: number;
  beforeEach(() => {
    t = tempVault();
    now = 0;
    const tick = () => {
      now += 1000;
      return new Date(now);
    };
    vault = t.open({ clock: tick });
    now = Date.parse("2025-03-01T10:00:00.000Z"); // each later call is one second on
  });
  afterEach(() => t.cleanup());

  it("stores a value under its name and hands it back", () => {
    const info = vault.setSecret("SAP_USER", "ana@example.com");
    assert.deepEqual(info, {
      name: "SAP_USER",
      version: 1,
      updatedAt: "2025-03-01T10:00:01.000Z",
      set: true,
    });
    assert.deepEqual(vault.getSecret("SAP_USER"), {
      name: "SAP_USER",
      value: "ana@example.com",
      version: 1,
      updatedAt: "2025-03-01T10:00:01.000Z",
    });
  });

  it("numbers every write as a new version", () => {
    vault.setSecret("SAP_PASSWORD", "one");
    const second = vault.setSecret("SAP_PASSWORD", "two");
    assert.equal(second.version, 2);
    assert.equal(vault.getSecret("SAP_PASSWORD")?.value, "two");
  });

  it("returns undefined for a name with no value", () => {
    assert.equal(vault.getSecret("NOT_SET"), undefined);
    assert.equal(vault.secretInfo("NOT_SET"), undefined);
  });

  it("keeps empty, unicode and large values exactly", () => {
    const values = ["", "pässwörd 🔑\n\t\"'", "x".repeat(SECRET_VALUE_MAX_LENGTH)];
    values.forEach((value, i) => {
      vault.setSecret(`V_${i}`, value);
      assert.equal(vault.getSecret(`V_${i}`)?.value, value);
    });
  });

  it("lists names sorted, without values", () => {
    vault.setSecret("B_NAME", "b-value");
    vault.setSecret("A_NAME", "a-value");
    vault.setSecret("C_NAME", "c-value");
    vault.unsetSecret("C_NAME");
    const list = vault.listSecrets();
    assert.deepEqual(
      list.map((s) => [s.name, s.set]),
      [
        ["A_NAME", true],
        ["B_NAME", true],
        ["C_NAME", false],
      ],
    );
    assert.doesNotMatch(JSON.stringify(list), /-value/);
  });

  it("keeps the list current across its own writes, another instance's, and caller edits", () => {
    vault.setSecrets([
      { name: "B", value: "1" },
      { name: "D", value: "1" },
    ]);
    const names = () => vault.listSecrets().map((s) => `${s.name}:${s.version}:${s.set}`);
    assert.deepEqual(names(), ["B:1:true", "D:1:true"]);
    vault.setSecret("C", "1");
    vault.setSecret("A", "1");
    vault.setSecret("E", "1");
    vault.setSecret("B", "2");
    vault.unsetSecret("D");
    assert.deepEqual(names(), ["A:1:true", "B:2:true", "C:1:true", "D:1:false", "E:1:true"]);
    vault.restoreSecret("D", 1);
    const list = vault.listSecrets();
    list.pop();
    assert.throws(() => {
      (list[0] as { name: string }).name = "Z";
    });
    assert.equal(vault.listSecrets().length, 5);
    const other = t.open();
    other.setSecret("AA", "1");
    other.unsetSecret("A");
    assert.deepEqual(names(), [
      "A:1:false",
      "AA:1:true",
      "B:2:true",
      "C:1:true",
      "D:2:true",
      "E:1:true",
    ]);
  });

  it("rejects a name that breaks the rule, suggesting the fix, and stores nothing", () => {
    const error = (() => {
      try {
        vault.setSecret("sap password", "x");
      } catch (e) {
        return e as HeptoraError;
      }
      return undefined;
    })();
    assert.ok(error instanceof HeptoraError);
    assert.equal(error.code, "invalid_secret_name");
    assert.match(error.message, /SAP_PASSWORD/);
    assert.deepEqual(vault.listSecrets(), []);
    assert.equal(vault.setSecret("  SAP_USER ", "trimmed").name, "SAP_USER");
  });

  it("refuses a value that is too large or not a string, without echoing it", () => {
    const big = "s".repeat(SECRET_VALUE_MAX_LENGTH + 1);
    try {
      vault.setSecret("BIG", big);
      assert.fail("expected an error");
    } catch (error) {
      assert.equal((error as HeptoraError).code, "validation_failed");
      assert.ok((error as Error).message.length < 200);
    }
    assert.equal(
      codeOf(() => vault.setSecret("BIG", 42 as unknown as string)),
      "validation_failed",
    );
    assert.equal(vault.secretInfo("BIG"), undefined);
  });

  it(`keeps the current value and the ${KEPT_VERSIONS - 1} before it`, () => {
    for (let i = 1; i <= 9; i++) vault.setSecret("SAP_PASSWORD", `value-${i}`);
    const history = vault.history("SAP_PASSWORD");
    assert.deepEqual(
      history.map((h) => [h.version, h.current]),
      [
        [9, true],
        [8, false],
        [7, false],
        [6, false],
        [5, false],
        [4, false],
      ],
    );
  });

  it("restores an old value as a new version", () => {
    vault.setSecret("SAP_PASSWORD", "good");
    vault.setSecret("SAP_PASSWORD", "mistake");
    const restored = vault.restoreSecret("SAP_PASSWORD", 1);
    assert.equal(restored.version, 3);
    assert.equal(vault.getSecret("SAP_PASSWORD")?.value, "good");
    assert.equal(vault.history("SAP_PASSWORD")[0]?.current, true);
  });

  it("says version_not_found for a version not kept or never written", () => {
    for (let i = 1; i <= 8; i++) vault.setSecret("SAP_PASSWORD", `v${i}`);
    assert.equal(
      codeOf(() => vault.restoreSecret("SAP_PASSWORD", 1)),
      "version_not_found",
    );
    assert.equal(
      codeOf(() => vault.restoreSecret("SAP_PASSWORD", 99)),
      "version_not_found",
    );
    assert.equal(
      codeOf(() => vault.restoreSecret("UNKNOWN", 1)),
      "version_not_found",
    );
    assert.equal(
      codeOf(() => vault.restoreSecret("SAP_PASSWORD", 0)),
      "validation_failed",
    );
    assert.equal(vault.secretInfo("SAP_PASSWORD")?.version, 8);
  });

  it("unsets a value but keeps its history so it can be restored", () => {
    vault.setSecret("SAP_USER", "ana");
    assert.equal(vault.unsetSecret("SAP_USER"), true);
    assert.equal(vault.unsetSecret("SAP_USER"), false);
    assert.equal(vault.unsetSecret("NEVER_SET"), false);
    assert.equal(vault.getSecret("SAP_USER"), undefined);
    assert.deepEqual(vault.secretInfo("SAP_USER"), {
      name: "SAP_USER",
      version: 1,
      updatedAt: "2025-03-01T10:00:02.000Z",
      set: false,
    });
    assert.deepEqual(vault.history("SAP_USER"), [
      { version: 1, createdAt: "2025-03-01T10:00:01.000Z", current: false },
    ]);
    vault.restoreSecret("SAP_USER", 1);
    assert.equal(vault.getSecret("SAP_USER")?.value, "ana");
    assert.equal(vault.setSecret("SAP_USER", "bob").version, 3);
  });

  it("writes many values in one call", () => {
    const infos = vault.setSecrets([
      { name: "A", value: "1" },
      { name: "B", value: "2" },
      { name: "A", value: "3" },
    ]);
    assert.deepEqual(
      infos.map((i) => [i.name, i.version]),
      [
        ["A", 1],
        ["B", 1],
        ["A", 2],
      ],
    );
    assert.equal(vault.getSecret("A")?.value, "3");
    assert.equal(
      codeOf(() =>
        vault.setSecrets([
          { name: "C", value: "x" },
          { name: "bad name", value: "y" },
        ]),
      ),
      "invalid_secret_name",
    );
    assert.equal(vault.secretInfo("C"), undefined);
  });

  it("commits the audit entry of a write in the same transaction", () => {
    vault.setSecret("SAP_USER", "ana", { actor: "ana@example.com", details: { via: "cli" } });
    vault.restoreSecret("SAP_USER", 1, { actor: "ana@example.com" });
    vault.unsetSecret("SAP_USER", { actor: "ana@example.com" });
    const entries = vault.listAudit();
    assert.deepEqual(
      entries.map((e) => [e.seq, e.type, e.name, e.actor, e.outcome]),
      [
        [3, "secret.unset", "SAP_USER", "ana@example.com", "ok"],
        [2, "secret.restore", "SAP_USER", "ana@example.com", "ok"],
        [1, "secret.set", "SAP_USER", "ana@example.com", "ok"],
      ],
    );
    assert.deepEqual(entries[1]?.details, { restoredVersion: 1 });
    assert.deepEqual(entries[2]?.details, { via: "cli" });
    assert.equal(vault.verifyAudit().ok, true);
  });

  it("refuses every call once closed", () => {
    vault.close();
    assert.equal(
      codeOf(() => vault.getSecret("SAP_USER")),
      "vault_locked",
    );
    vault.close();
  });
});
