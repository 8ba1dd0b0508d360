/**
 * Tampering with the vault file through a second SQLite connection: every change to a sealed
 * column is caught as vault_integrity (never garbage, never a crash), and every change to the audit
 * log is named by verifyAudit.
 */
import assert from "node:assert/strict";
import type { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, it } from "node:test";
import { HeptoraError } from "@heptora/protocol";
import type { Vault } from "../src/index.ts";
import { ANA, codeOf, flipBlobBit, type TempVault, tempVault } from "./support/temp-vault.ts";

const VALUE = "Sup3r-Secret-Value-for-integrity";

function integrityError(work: () => unknown): HeptoraError {
  try {
    work();
  } catch (error) {
    assert.ok(error instanceof HeptoraError, String(error));
    assert.equal(error.code, "vault_integrity");
    assert.equal(error.message.includes(VALUE), false);
    return error;
  }
  assert.fail("expected vault_integrity");
}

describe("tampering with sealed data", () => {
  let t: TempVault;
  let vault: Vault;
  let raw: DatabaseSync;
  beforeEach(() => {
    t = tempVault();
    vault = t.open();
    vault.setSecret(ANA, "SAP_USER", VALUE);
    vault.setSecret(ANA, "SAP_PASSWORD", "other value");
    vault.setSecret(ANA, "SAP_PASSWORD", "newer value");
    raw = t.raw();
  });
  afterEach(() => {
    raw.close();
    t.cleanup();
  });

  for (const [label, byte] of [
    ["format byte", 0],
    ["nonce", 5],
    ["ciphertext", 20],
    ["tag", -3],
    ["last byte", -1],
  ] as const) {
    it(`catches a flipped bit in a value's ${label}`, () => {
      flipBlobBit(
        raw,
        "secret_versions",
        "ciphertext",
        "name = ? AND version = 1",
        ["SAP_USER"],
        byte,
      );
      const error = integrityError(() => vault.getSecret(ANA, "SAP_USER"));
      assert.match(error.message, /'SAP_USER' \(version 1\)/);
    });
  }

  it("catches a truncated or emptied value", () => {
    raw.exec(
      "UPDATE secret_versions SET ciphertext = substr(ciphertext, 1, 20) WHERE name = 'SAP_USER'",
    );
    integrityError(() => vault.getSecret(ANA, "SAP_USER"));
    raw.exec("UPDATE secret_versions SET ciphertext = x'' WHERE name = 'SAP_USER'");
    integrityError(() => vault.getSecret(ANA, "SAP_USER"));
  });

  it("catches an edited timestamp of a value", () => {
    flipBlobBit(raw, "secret_versions", "created_at", "name = ? AND version = 1", ["SAP_USER"]);
    integrityError(() => vault.getSecret(ANA, "SAP_USER"));
  });

  it("catches a value moved to another name", () => {
    raw.exec(`UPDATE secret_versions SET ciphertext =
      (SELECT ciphertext FROM secret_versions WHERE name = 'SAP_USER' AND version = 1),
      created_at = (SELECT created_at FROM secret_versions WHERE name = 'SAP_USER' AND version = 1)
      WHERE name = 'SAP_PASSWORD'`);
    integrityError(() => vault.getSecret(ANA, "SAP_PASSWORD"));
  });

  it("catches an old value moved to a newer version of the same name", () => {
    raw.exec(`UPDATE secret_versions SET ciphertext =
      (SELECT ciphertext FROM secret_versions WHERE name = 'SAP_PASSWORD' AND version = 1),
      created_at = (SELECT created_at FROM secret_versions WHERE name = 'SAP_PASSWORD' AND version = 1)
      WHERE name = 'SAP_PASSWORD' AND version = 2`);
    integrityError(() => vault.getSecret(ANA, "SAP_PASSWORD"));
  });

  it("catches a value taken from another vault", () => {
    const other = tempVault();
    try {
      other.open().setSecret(ANA, "SAP_USER", "from elsewhere");
      const foreign = other.raw();
      const row = foreign.prepare("SELECT ciphertext, created_at FROM secret_versions").get() as {
        ciphertext: Uint8Array;
        created_at: string;
      };
      foreign.close();
      raw
        .prepare(
          "UPDATE secret_versions SET ciphertext = ?, created_at = ? WHERE name = 'SAP_USER'",
        )
        .run(row.ciphertext, row.created_at);
      integrityError(() => vault.getSecret(ANA, "SAP_USER"));
    } finally {
      other.cleanup();
    }
  });

  it("catches a setting replayed as a secret and a secret replayed as a setting", () => {
    vault.setSetting("SAP_USER", "a setting");
    raw.exec(`UPDATE secret_versions SET ciphertext = (SELECT ciphertext FROM settings)
      WHERE name = 'SAP_USER'`);
    integrityError(() => vault.getSecret(ANA, "SAP_USER"));
    raw.exec(`UPDATE settings SET ciphertext =
      (SELECT ciphertext FROM secret_versions WHERE name = 'SAP_PASSWORD' AND version = 2)`);
    integrityError(() => vault.getSetting("SAP_USER"));
  });

  it("catches a flipped bit in a setting", () => {
    vault.setSetting("robot.token", "tok");
    flipBlobBit(raw, "settings", "ciphertext", "key = ?", ["robot.token"]);
    integrityError(() => vault.getSetting("robot.token"));
  });

  it("catches edited definitions and cursor", () => {
    vault.applyDefinitions({
      cursor: "c1",
      full: true,
      processes: [{ id: "p1", name: "P", description: "", variables: [] }],
      removedProcessIds: [],
    });
    flipBlobBit(raw, "processes", "sealed", "id = ?", ["p1"], 20);
    raw.exec("UPDATE sync_state SET generation = generation + 1");
    integrityError(() => vault.definitions());
  });

  it("catches a current value whose row was deleted", () => {
    raw.exec("DELETE FROM secret_versions WHERE name = 'SAP_USER'");
    integrityError(() => vault.getSecret(ANA, "SAP_USER"));
  });

  it("catches a restore of a tampered old version", () => {
    flipBlobBit(raw, "secret_versions", "ciphertext", "name = ? AND version = 1", ["SAP_PASSWORD"]);
    integrityError(() => vault.restoreSecret(ANA, "SAP_PASSWORD", 1));
    assert.equal(vault.getSecret(ANA, "SAP_PASSWORD")?.value, "newer value");
  });
});

describe("tampering with key slots", () => {
  let t: TempVault;
  beforeEach(() => {
    t = tempVault();
    t.open().close();
  });
  afterEach(() => t.cleanup());

  const edit = (sql: string, ...params: (string | number)[]) => {
    const raw = t.raw();
    raw.prepare(sql).run(...params);
    raw.close();
  };

  it("catches a flipped bit in the wrapped data key", () => {
    for (const byte of [3, 20, -1]) {
      const raw = t.raw();
      flipBlobBit(raw, "key_slots", "wrapped_dek", "1 = 1", [], byte);
      assert.equal(
        codeOf(() => t.open()),
        "vault_integrity",
        `byte ${byte}`,
      );
      flipBlobBit(raw, "key_slots", "wrapped_dek", "1 = 1", [], byte);
      raw.close();
      t.open().close();
    }
  });

  it("catches edited slot columns", () => {
    const cases: [string, string][] = [
      ["UPDATE key_slots SET created_at = '2000-01-01T00:00:00.000Z'", "created_at"],
      ["UPDATE key_slots SET label = 'mine'", "label"],
      [`UPDATE key_slots SET kdf = '{"kdf":"nonf"}'`, "kdf"],
      ["UPDATE key_slots SET kind = 'passphrase'", "kind"],
    ];
    for (const [sql, column] of cases) {
      const raw = t.raw();
      const before = raw.prepare("SELECT * FROM key_slots").get() as Record<string, string>;
      raw.exec(sql);
      raw.close();
      assert.equal(
        codeOf(() => t.open()),
        "vault_integrity",
        column,
      );
      edit(`UPDATE key_slots SET ${column} = ?`, before[column] as string);
      t.open().close();
    }
  });

  it("catches an edited vault id", () => {
    edit("UPDATE meta SET value = 'another-id' WHERE key = 'vault_id'");
    assert.equal(
      codeOf(() => t.open()),
      "vault_integrity",
    );
  });

  it("says locked, naming the key file, when the slot it opens is gone", () => {
    edit("UPDATE key_slots SET id = 'renamed'");
    try {
      t.open();
      assert.fail("expected vault_locked");
    } catch (error) {
      assert.equal((error as HeptoraError).code, "vault_locked");
      assert.match((error as Error).message, /robot\.key/);
    }
  });
});

describe("tampering with the audit log through SQLite", () => {
  it("names the entry for a flipped bit in any of its columns", () => {
    const t = tempVault();
    try {
      const vault = t.open();
      for (let i = 0; i < 5; i++) vault.appendAudit({ type: "secret.read", name: "SAP_USER" });
      for (const column of ["entry", "mac", "prev_mac", "at", "type", "name"]) {
        const raw = t.raw();
        const before = raw.prepare(`SELECT ${column} AS v FROM audit WHERE seq = 3`).get() as {
          v: string;
        };
        flipBlobBit(raw, "audit", column, "seq = ?", [3], 10);
        const result = vault.verifyAudit();
        assert.equal(result.ok, false, column);
        assert.deepEqual(
          result.problems.map((p) => [p.seq, p.kind]),
          [[3, "edited"]],
          column,
        );
        raw.prepare(`UPDATE audit SET ${column} = ? WHERE seq = 3`).run(before.v);
        raw.close();
        assert.equal(vault.verifyAudit().ok, true);
      }
    } finally {
      t.cleanup();
    }
  });
});
