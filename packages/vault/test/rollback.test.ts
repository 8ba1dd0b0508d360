/**
 * Rolling parts of the vault back to an older genuine state (docs/adr/0074): rows copied from an
 * earlier copy of the file keep their genuine MACs and ciphertexts, so only the vault-wide state
 * (integrity record) and the rollback checkpoint beside the key file can tell. Each attack is made
 * through a raw SQLite connection or by copying files, as someone who can write the vault file but
 * has no key would.
 */
import assert from "node:assert/strict";
import { copyFileSync, existsSync, rmSync } from "node:fs";
import type { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, it } from "node:test";
import { HeptoraError } from "@heptora/protocol";
import type { Vault } from "../src/index.ts";
import { ANA, copyV3Fixture, type TempVault, tempVault } from "./support/temp-vault.ts";

const OLD = "0ld-Passw0rd-that-was-replaced";
const NEW = "N3w-Passw0rd-current";

function refusal(work: () => unknown, name: string): HeptoraError {
  try {
    work();
  } catch (error) {
    assert.ok(error instanceof HeptoraError, String(error));
    assert.equal(error.code, "vault_integrity");
    assert.ok(error.message.includes(`'${name}'`), error.message);
    const body = JSON.stringify(error.toBody());
    assert.equal(body.includes(OLD) || body.includes(NEW), false);
    return error;
  }
  assert.fail("expected vault_integrity");
}

type Row = Record<string, unknown>;

function secretRow(raw: DatabaseSync, name: string): Row {
  return raw.prepare("SELECT * FROM secrets WHERE name = ?").get(name) as Row;
}

function putBackSecretRow(raw: DatabaseSync, row: Row): void {
  raw
    .prepare(
      `UPDATE secrets SET current_version = ?, latest_version = ?, updated_at = ?, gen = ?, mac = ?
        WHERE person = ? AND name = ?`,
    )
    .run(
      row.current_version as number | null,
      row.latest_version as number,
      row.updated_at as string,
      row.gen as number,
      row.mac as string,
      row.person as string,
      row.name as string,
    );
}

const PROCESS = (names: string[]) => ({
  cursor: `c${names.length}`,
  full: true,
  processes: [
    {
      id: "inv",
      name: "Invoices",
      description: "",
      variables: names.map((name) => ({ name, secret: true, description: "" })),
    },
  ],
  removedProcessIds: [],
});

describe("rolling the vault back to an older genuine state", () => {
  let t: TempVault;
  let vault: Vault;
  beforeEach(() => {
    t = tempVault();
    vault = t.open();
  });
  afterEach(() => t.cleanup());

  it("refuses a current version rolled back to an older genuine row, naming it, and audits the refusal", () => {
    vault.setSecret(ANA, "SAP_PASSWORD", OLD);
    vault.setSecret(ANA, "SAP_USER", "ana");
    const raw = t.raw();
    const older = secretRow(raw, "SAP_PASSWORD");
    vault.setSecret(ANA, "SAP_PASSWORD", NEW);
    // Version 1 is still kept (history): its ciphertext authenticates on its own.
    putBackSecretRow(raw, older);
    raw.close();
    refusal(() => vault.getSecret(ANA, "SAP_PASSWORD"), "SAP_PASSWORD");
    const [entry] = vault.listAudit({ limit: 1 });
    assert.equal(entry?.type, "secret.read_refused");
    assert.equal(entry?.name, "SAP_PASSWORD");
    assert.equal(JSON.stringify(entry).includes(OLD), false);
    // A fresh open (the robot restarted) says the same, and says why.
    vault.close();
    const again = t.open();
    refusal(() => again.getSecret(ANA, "SAP_PASSWORD"), "SAP_PASSWORD");
    const report = again.integrity();
    assert.equal(report.ok, false);
    assert.match(report.problems.join(" "), /older state/);
  });

  it("refuses an unset value brought back from an older row", () => {
    vault.setSecret(ANA, "SAP_PASSWORD", OLD);
    const raw = t.raw();
    const older = secretRow(raw, "SAP_PASSWORD");
    assert.equal(vault.unsetSecret(ANA, "SAP_PASSWORD"), true);
    putBackSecretRow(raw, older);
    raw.close();
    refusal(() => vault.getSecret(ANA, "SAP_PASSWORD"), "SAP_PASSWORD");
  });

  it("refuses an older process definition put back, and the runs' reads with it", async () => {
    vault.applyDefinitions(PROCESS(["SAP_USER"]));
    vault.setSecret(ANA, "SAP_PASSWORD", NEW);
    const raw = t.raw();
    const older = raw.prepare("SELECT * FROM processes WHERE id = 'inv'").get() as Row;
    // The process stops declaring SAP_USER and declares SAP_PASSWORD instead.
    vault.applyDefinitions(PROCESS(["SAP_PASSWORD"]));
    raw
      .prepare("UPDATE processes SET sealed = ?, gen = ?, mac = ? WHERE id = 'inv'")
      .run(older.sealed as Uint8Array, older.gen as number, older.mac as string);
    raw.close();
    assert.throws(() => vault.definitions(), { code: "vault_integrity" });
    await assert.rejects(
      vault.readForRun({
        name: "SAP_PASSWORD",
        processId: "inv",
        process: "Invoices",
        actor: "run:1",
        person: ANA,
      }),
      { code: "vault_integrity" },
    );
  });

  it("accepts the vault as it is after the person's own write, and records that it did", () => {
    vault.setSecret(ANA, "SAP_PASSWORD", OLD);
    const raw = t.raw();
    const older = secretRow(raw, "SAP_PASSWORD");
    vault.setSecret(ANA, "SAP_PASSWORD", NEW);
    putBackSecretRow(raw, older);
    raw.close();
    refusal(() => vault.getSecret(ANA, "SAP_PASSWORD"), "SAP_PASSWORD");
    vault.setSecret(ANA, "SAP_PASSWORD", "set again by Ana");
    assert.equal(vault.getSecret(ANA, "SAP_PASSWORD")?.value, "set again by Ana");
    assert.ok(vault.listAudit({ limit: 5 }).some((e) => e.type === "vault.tampered"));
    assert.equal(vault.verifyAudit().ok, true);
  });

  it("detects an old audit head put back after later entries were deleted", () => {
    for (const type of ["login", "sync", "logout"]) vault.appendAudit({ type });
    const raw = t.raw();
    const head = raw.prepare("SELECT seq, mac, seal FROM audit_head").get() as Row;
    for (const type of ["login", "secret.set", "logout"]) vault.appendAudit({ type });
    vault.close();
    raw.exec("DELETE FROM audit WHERE seq > 3");
    raw
      .prepare("UPDATE audit_head SET seq = ?, mac = ?, seal = ?")
      .run(head.seq as number, head.mac as string, head.seal as string);
    raw.close();

    const again = t.open();
    const verification = again.verifyAudit();
    assert.equal(verification.ok, false);
    assert.deepEqual(
      verification.problems.map((p) => [p.seq, p.kind]),
      [[4, "truncated"]],
    );
    assert.match(verification.problems[0]?.message ?? "", /Entries 4 to 6 were removed/);
    assert.match(again.integrity().problems.join(" "), /older than what this machine last saw/);
    // The next write records it in the log itself.
    again.appendAudit({ type: "login" });
    const [tampered] = again.listAudit({ type: "audit.tampered" });
    assert.match(tampered?.reason ?? "", /Entries 4 to 6 were removed/);
  });

  it("detects a whole vault file restored from an older copy", () => {
    vault.setSecret(ANA, "SAP_PASSWORD", OLD);
    vault.close();
    const copy = `${t.root}/vault-copy.db`;
    copyFileSync(t.dbPath, copy);
    const later = t.open();
    later.setSecret(ANA, "SAP_PASSWORD", NEW);
    later.appendAudit({ type: "login" });
    later.close();
    rmSync(`${t.dbPath}-wal`, { force: true });
    rmSync(`${t.dbPath}-shm`, { force: true });
    copyFileSync(copy, t.dbPath);

    const restored = t.open();
    const report = restored.integrity();
    assert.equal(report.ok, false);
    assert.match(report.problems.join(" "), /restored from an older copy/);
    // Still said at the next start, even after more writes.
    restored.appendAudit({ type: "login" });
    restored.close();
    assert.match(t.open().integrity().problems.join(" "), /restored from an older copy/);
  });

  it("detects a deleted vault file at the next open", () => {
    vault.setSecret(ANA, "SAP_PASSWORD", OLD);
    const id = vault.id;
    vault.close();
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${t.dbPath}${suffix}`, { force: true });
    const fresh = t.open();
    assert.notEqual(fresh.id, id);
    const report = fresh.integrity();
    assert.equal(report.ok, false);
    assert.match(report.problems.join(" "), new RegExp(`deleted or replaced.*${id}`));
    fresh.close();
    assert.match(t.open().integrity().problems.join(" "), /deleted or replaced/);
  });

  it("is quiet about a vault nobody touched, across opens", () => {
    vault.setSecret(ANA, "SAP_PASSWORD", NEW);
    vault.applyDefinitions(PROCESS(["SAP_PASSWORD"]));
    vault.unsetSecret(ANA, "SAP_PASSWORD");
    vault.restoreSecret(ANA, "SAP_PASSWORD", 1);
    vault.close();
    assert.ok(existsSync(`${t.keyFile}.checkpoint`));
    const again = t.open();
    assert.deepEqual(again.integrity(), { ok: true, problems: [] });
    assert.equal(again.getSecret(ANA, "SAP_PASSWORD")?.value, NEW);
    assert.equal(again.verifyAudit().ok, true);
  });

  it("protects a vault from before at its first open: an unset value brought back is refused", () => {
    vault.close();
    t.cleanup();
    t = tempVault();
    copyV3Fixture(t);
    const upgraded = t.open();
    assert.deepEqual(upgraded.integrity(), { ok: true, problems: [] });
    upgraded.claimUnowned(ANA);
    upgraded.setSecret(ANA, "OLD", OLD);
    const raw = t.raw();
    const older = secretRow(raw, "OLD");
    upgraded.unsetSecret(ANA, "OLD");
    putBackSecretRow(raw, older);
    raw.close();
    refusal(() => upgraded.getSecret(ANA, "OLD"), "OLD");
  });
});
