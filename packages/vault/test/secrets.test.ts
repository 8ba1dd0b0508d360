import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { HeptoraError, SECRET_VALUE_MAX_LENGTH } from "@heptora/protocol";
import { KEPT_VERSIONS, type Vault } from "../src/index.ts";
import { ANA, codeOf, type TempVault, tempVault } from "./support/temp-vault.ts";

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
    const info = vault.setSecret(ANA, "SAP_USER", "ana@example.com");
    assert.deepEqual(info, {
      name: "SAP_USER",
      version: 1,
      updatedAt: "2025-03-01T10:00:01.000Z",
      set: true,
    });
    assert.deepEqual(vault.getSecret(ANA, "SAP_USER"), {
      name: "SAP_USER",
      value: "ana@example.com",
      version: 1,
      updatedAt: "2025-03-01T10:00:01.000Z",
    });
  });

  it("numbers every write as a new version", () => {
    vault.setSecret(ANA, "SAP_PASSWORD", "one");
    const second = vault.setSecret(ANA, "SAP_PASSWORD", "two");
    assert.equal(second.version, 2);
    assert.equal(vault.getSecret(ANA, "SAP_PASSWORD")?.value, "two");
  });

  it("returns undefined for a name with no value", () => {
    assert.equal(vault.getSecret(ANA, "NOT_SET"), undefined);
    assert.equal(vault.secretInfo(ANA, "NOT_SET"), undefined);
  });

  it("keeps empty, unicode and large values exactly", () => {
    const values = ["", "pässwörd 🔑\n\t\"'", "x".repeat(SECRET_VALUE_MAX_LENGTH)];
    values.forEach((value, i) => {
      vault.setSecret(ANA, `V_${i}`, value);
      assert.equal(vault.getSecret(ANA, `V_${i}`)?.value, value);
    });
  });

  it("lists names sorted, without values", () => {
    vault.setSecret(ANA, "B_NAME", "b-value");
    vault.setSecret(ANA, "A_NAME", "a-value");
    vault.setSecret(ANA, "C_NAME", "c-value");
    vault.unsetSecret(ANA, "C_NAME");
    const list = vault.listSecrets(ANA);
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
    vault.setSecrets(ANA, [
      { name: "B", value: "1" },
      { name: "D", value: "1" },
    ]);
    const names = () => vault.listSecrets(ANA).map((s) => `${s.name}:${s.version}:${s.set}`);
    assert.deepEqual(names(), ["B:1:true", "D:1:true"]);
    vault.setSecret(ANA, "C", "1");
    vault.setSecret(ANA, "A", "1");
    vault.setSecret(ANA, "E", "1");
    vault.setSecret(ANA, "B", "2");
    vault.unsetSecret(ANA, "D");
    assert.deepEqual(names(), ["A:1:true", "B:2:true", "C:1:true", "D:1:false", "E:1:true"]);
    vault.restoreSecret(ANA, "D", 1);
    const list = vault.listSecrets(ANA);
    list.pop();
    assert.throws(() => {
      (list[0] as { name: string }).name = "Z";
    });
    assert.equal(vault.listSecrets(ANA).length, 5);
    const other = t.open();
    other.setSecret(ANA, "AA", "1");
    other.unsetSecret(ANA, "A");
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
        vault.setSecret(ANA, "sap password", "x");
      } catch (e) {
        return e as HeptoraError;
      }
      return undefined;
    })();
    assert.ok(error instanceof HeptoraError);
    assert.equal(error.code, "invalid_secret_name");
    assert.match(error.message, /SAP_PASSWORD/);
    assert.deepEqual(vault.listSecrets(ANA), []);
    assert.equal(vault.setSecret(ANA, "  SAP_USER ", "trimmed").name, "SAP_USER");
  });

  it("refuses a value that is too large or not a string, without echoing it", () => {
    const big = "s".repeat(SECRET_VALUE_MAX_LENGTH + 1);
    try {
      vault.setSecret(ANA, "BIG", big);
      assert.fail("expected an error");
    } catch (error) {
      assert.equal((error as HeptoraError).code, "validation_failed");
      assert.ok((error as Error).message.length < 200);
    }
    assert.equal(
      codeOf(() => vault.setSecret(ANA, "BIG", 42 as unknown as string)),
      "validation_failed",
    );
    assert.equal(vault.secretInfo(ANA, "BIG"), undefined);
  });

  it(`keeps the current value and the ${KEPT_VERSIONS - 1} before it`, () => {
    for (let i = 1; i <= 9; i++) vault.setSecret(ANA, "SAP_PASSWORD", `value-${i}`);
    const history = vault.history(ANA, "SAP_PASSWORD");
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
    vault.setSecret(ANA, "SAP_PASSWORD", "good");
    vault.setSecret(ANA, "SAP_PASSWORD", "mistake");
    const restored = vault.restoreSecret(ANA, "SAP_PASSWORD", 1);
    assert.equal(restored.version, 3);
    assert.equal(vault.getSecret(ANA, "SAP_PASSWORD")?.value, "good");
    assert.equal(vault.history(ANA, "SAP_PASSWORD")[0]?.current, true);
  });

  it("says version_not_found for a version not kept or never written", () => {
    for (let i = 1; i <= 8; i++) vault.setSecret(ANA, "SAP_PASSWORD", `v${i}`);
    assert.equal(
      codeOf(() => vault.restoreSecret(ANA, "SAP_PASSWORD", 1)),
      "version_not_found",
    );
    assert.equal(
      codeOf(() => vault.restoreSecret(ANA, "SAP_PASSWORD", 99)),
      "version_not_found",
    );
    assert.equal(
      codeOf(() => vault.restoreSecret(ANA, "UNKNOWN", 1)),
      "version_not_found",
    );
    assert.equal(
      codeOf(() => vault.restoreSecret(ANA, "SAP_PASSWORD", 0)),
      "validation_failed",
    );
    assert.equal(vault.secretInfo(ANA, "SAP_PASSWORD")?.version, 8);
  });

  it("unsets a value but keeps its history so it can be restored", () => {
    vault.setSecret(ANA, "SAP_USER", "ana");
    assert.equal(vault.unsetSecret(ANA, "SAP_USER"), true);
    assert.equal(vault.unsetSecret(ANA, "SAP_USER"), false);
    assert.equal(vault.unsetSecret(ANA, "NEVER_SET"), false);
    assert.equal(vault.getSecret(ANA, "SAP_USER"), undefined);
    assert.deepEqual(vault.secretInfo(ANA, "SAP_USER"), {
      name: "SAP_USER",
      version: 1,
      updatedAt: "2025-03-01T10:00:02.000Z",
      set: false,
    });
    assert.deepEqual(vault.history(ANA, "SAP_USER"), [
      { version: 1, createdAt: "2025-03-01T10:00:01.000Z", current: false },
    ]);
    vault.restoreSecret(ANA, "SAP_USER", 1);
    assert.equal(vault.getSecret(ANA, "SAP_USER")?.value, "ana");
    assert.equal(vault.setSecret(ANA, "SAP_USER", "bob").version, 3);
  });

  it("writes many values in one call", () => {
    const infos = vault.setSecrets(ANA, [
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
    assert.equal(vault.getSecret(ANA, "A")?.value, "3");
    assert.equal(
      codeOf(() =>
        vault.setSecrets(ANA, [
          { name: "C", value: "x" },
          { name: "bad name", value: "y" },
        ]),
      ),
      "invalid_secret_name",
    );
    assert.equal(vault.secretInfo(ANA, "C"), undefined);
  });

  it("commits the audit entry of a write in the same transaction", () => {
    vault.setSecret(ANA, "SAP_USER", "ana", { actor: "ana@example.com", details: { via: "cli" } });
    vault.restoreSecret(ANA, "SAP_USER", 1, { actor: "ana@example.com" });
    vault.unsetSecret(ANA, "SAP_USER", { actor: "ana@example.com" });
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
      codeOf(() => vault.getSecret(ANA, "SAP_USER")),
      "vault_locked",
    );
    vault.close();
  });
});
