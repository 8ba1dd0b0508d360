import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { SCHEMA_VERSION } from "../../src/store/migrations.ts";
import { ANA, codeOf, copyV3Fixture, type TempVault, tempVault } from "../support/temp-vault.ts";

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
      "integrity",
      "key_slots",
      "meta",
      "processes",
      "run_records",
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
    first.setSecret(ANA, "SAP_USER", "ana");
    const id = first.id;
    first.close();
    const again = t.open();
    assert.equal(again.id, id);
    assert.equal(again.getSecret(ANA, "SAP_USER")?.value, "ana");
  });

  it("migrates a vault of schema 1 and keeps its values", () => {
    copyV3Fixture(t);
    const db = t.raw();
    db.exec("DROP INDEX secrets_by_change; ALTER TABLE secrets DROP COLUMN change_seq");
    db.exec("PRAGMA user_version = 1");
    db.close();
    const again = t.open();
    again.claimUnowned(ANA);
    assert.equal(again.getSecret(ANA, "SAP_USER")?.value, "ana");
    again.setSecret(ANA, "SAP_PASSWORD", "pw");
    assert.deepEqual(
      again
        .listSecrets(ANA)
        .filter((s) => s.set)
        .map((s) => s.name),
      ["SAP_PASSWORD", "SAP_USER"],
    );
  });

  it("migrates a vault of schema 2: audit listing by type and time still finds every entry", () => {
    const first = t.open();
    first.appendAudit({ type: "login" });
    first.appendAudit({ type: "secret.read", name: "A" });
    first.close();
    const db = t.raw();
    db.exec(`DROP INDEX audit_by_type_rare;
      CREATE INDEX audit_by_type ON audit (type, seq); CREATE INDEX audit_by_at ON audit (at);
      PRAGMA user_version = 2`);
    db.close();
    const again = t.open();
    again.appendAudit({ type: "secret.read", name: "A" });
    again.appendAudit({ type: "logout" });
    assert.deepEqual(
      again.listAudit({ type: "secret.read" }).map((e) => e.seq),
      [3, 2],
    );
    assert.deepEqual(
      again.listAudit({ type: "login" }).map((e) => e.seq),
      [1],
    );
    const [newest] = again.listAudit({ limit: 1 });
    assert.deepEqual(
      again
        .listAudit({ since: newest?.at })
        .map((e) => e.seq)
        .includes(4),
      true,
    );
    assert.equal(again.verifyAudit().ok, true);
  });

  it("lists any type but secret.read through an index (secret.read rows are not indexed)", () => {
    t.open().close();
    const db = t.raw();
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[])
        .map((r) => r.detail)
        .join("; ");
    assert.match(
      plan(
        "SELECT seq FROM audit WHERE type = ? AND type <> 'secret.read' ORDER BY seq DESC LIMIT 9",
      ),
      /audit_by_type_rare/,
    );
    assert.deepEqual(
      (
        db
          .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'audit'")
          .all() as { name: string }[]
      ).map((r) => r.name),
      ["audit_by_name", "audit_by_type_rare"],
    );
    db.close();
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
