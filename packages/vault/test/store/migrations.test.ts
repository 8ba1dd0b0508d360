import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { SCHEMA_VERSION } from "../../src/store/migrations.ts";
import { codeOf, type TempVault, tempVault } from "../support/temp-vault.ts";

describe("vault schema", () => {
  let t: TempVault;
  beforeEach(() => {
    t = tempVault();
  });
  afterEach(() => t.cleanup());

  it("creates every table on first open and records the schema version", () => {
    t.open().close();
    const db = t.raw();
    const tables = (
      db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as {
        name: string;
      }[]
    ).map((r) => r.name);
    assert.deepEqual(tables, [
      "audit",
      "audit_head",
      "key_slots",
      "meta",
      "processes",
      "secret_versions",
      "secrets",
      "settings",
      "sync_state",
    ]);
    assert.equal(
      (db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version,
      SCHEMA_VERSION,
    );
    assert.equal(
      (db.prepare("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode,
      "wal",
    );
    db.close();
  });

  it("opens an existing vault without migrating it again", () => {
    const first = t.open();
    first.setSecret("SAP_USER", "ana");
    const id = first.id;
    first.close();
    const again = t.open();
    assert.equal(again.id, id);
    assert.equal(again.getSecret("SAP_USER")?.value, "ana");
  });

  it("migrates a vault of schema 1 and keeps its values", () => {
    const first = t.open();
    first.setSecret("SAP_USER", "ana");
    first.close();
    const db = t.raw();
    db.exec("DROP INDEX secrets_by_change; ALTER TABLE secrets DROP COLUMN change_seq");
    db.exec("PRAGMA user_version = 1");
    db.close();
    const again = t.open();
    assert.equal(again.getSecret("SAP_USER")?.value, "ana");
    again.setSecret("SAP_PASSWORD", "pw");
    assert.deepEqual(
      again.listSecrets().map((s) => s.name),
      ["SAP_PASSWORD", "SAP_USER"],
    );
  });

  it("refuses a vault written by a newer Heptora", () => {
    t.open().close();
    const db = t.raw();
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    assert.equal(
      codeOf(() => t.open()),
      "vault_locked",
    );
  });

  it("reports a file that is not a database as an integrity failure", () => {
    t.open().close();
    for (const suffix of ["-wal", "-shm"]) writeFileSync(join(t.dataDir, `vault.db${suffix}`), "");
    writeFileSync(t.dbPath, Buffer.alloc(8192, 0x5a));
    assert.equal(
      codeOf(() => t.open()),
      "vault_integrity",
    );
  });
});
