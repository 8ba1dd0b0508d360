/**
 * Values per person on a machine (docs/adr/0066): one name holds one value per person, the person
 * is bound into each value's associated data, audit entries name the person, forgetPerson removes
 * a person's values unopened, and a vault made before (schema 3) migrates: its values go unclaimed
 * until claimUnowned gives them to a person, re-sealed.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { SCHEMA_VERSION } from "../src/store/migrations.ts";
import { ANA, codeOf, copyV3Fixture, type TempVault, tempVault } from "./support/temp-vault.ts";

const MARIA = "maria@example.com";

describe("values per person", () => {
  let t: TempVault;
  beforeEach(() => {
    t = tempVault();
  });
  afterEach(() => t.cleanup());

  it("keeps one value per person for the same name, each seeing only their own", () => {
    const vault = t.open();
    vault.setSecret(ANA, "SAP_USER", "ana-user");
    vault.setSecret(MARIA, "SAP_USER", "maria-user");
    vault.setSecret(MARIA, "SAP_PASSWORD", "maria-pw");
    assert.equal(vault.getSecret(ANA, "SAP_USER")?.value, "ana-user");
    assert.equal(vault.getSecret(MARIA, "SAP_USER")?.value, "maria-user");
    assert.equal(vault.getSecret(ANA, "SAP_PASSWORD"), undefined);
    assert.deepEqual(
      vault.listSecrets(ANA).map((s) => s.name),
      ["SAP_USER"],
    );
    assert.deepEqual(
      vault.listSecrets(MARIA).map((s) => s.name),
      ["SAP_PASSWORD", "SAP_USER"],
    );
    assert.equal(vault.getSecret(" Ana@Example.COM ", "SAP_USER")?.value, "ana-user");
    assert.equal(vault.history(ANA, "SAP_USER").length, 1);
    assert.deepEqual(vault.people(), [ANA, MARIA]);
    assert.equal(
      codeOf(() => vault.getSecret("", "SAP_USER")),
      "validation_failed",
    );
  });

  it("refuses a value whose row was moved to another person (vault_integrity)", () => {
    const vault = t.open();
    vault.setSecret(ANA, "SAP_USER", "ana-user");
    const db = t.raw();
    // The versions follow (ON UPDATE CASCADE), as a careful attacker would make them.
    db.exec(`UPDATE secrets SET person = '${MARIA}' WHERE person = '${ANA}'`);
    db.close();
    assert.equal(
      codeOf(() => vault.getSecret(MARIA, "SAP_USER")),
      "vault_integrity",
    );
    assert.equal(vault.getSecret(ANA, "SAP_USER"), undefined);
  });

  it("names the person in audit entries, a run's read included", async () => {
    const vault = t.open();
    vault.applyDefinitions({
      cursor: "c1",
      full: true,
      processes: [
        {
          id: "inv",
          name: "Invoices",
          description: "",
          variables: [{ name: "SAP_USER", secret: true, description: "" }],
        },
      ],
      removedProcessIds: [],
    });
    vault.setSecret(ANA, "SAP_USER", "ana-user", { actor: "cli" });
    const request = { name: "SAP_USER", processId: "inv", process: "Invoices", actor: "run" };
    const read = await vault.readForRun({ ...request, person: ANA });
    assert.equal(read.outcome === "ok" && read.secret.value, "ana-user");
    const other = await vault.readForRun({ ...request, person: MARIA });
    assert.equal(other.outcome, "value_missing");
    const entries = vault.listAudit({ limit: 3 });
    assert.deepEqual(
      entries.map((e) => [e.type, e.person]),
      [
        ["access.denied", MARIA],
        ["secret.read", ANA],
        ["secret.set", ANA],
      ],
    );
    assert.equal(vault.verifyAudit().ok, true);
  });

  it("forgets a person's values and history without opening them, audited with a count", () => {
    const vault = t.open();
    vault.setSecret(ANA, "SAP_USER", "ana-user");
    vault.setSecret(MARIA, "SAP_USER", "maria-user");
    vault.setSecret(MARIA, "SAP_USER", "maria-user-2");
    vault.setSecret(MARIA, "SAP_PASSWORD", "maria-pw");
    assert.equal(vault.listSecrets(MARIA).length, 2);
    assert.equal(vault.forgetPerson(MARIA, { actor: "cli" }), 2);
    assert.deepEqual(vault.listSecrets(MARIA), []);
    assert.equal(vault.getSecret(MARIA, "SAP_USER"), undefined);
    assert.deepEqual(vault.history(MARIA, "SAP_USER"), []);
    assert.equal(vault.getSecret(ANA, "SAP_USER")?.value, "ana-user");
    const db = t.raw();
    const left = db
      .prepare("SELECT count(*) AS n FROM secret_versions WHERE person = ?")
      .get(MARIA) as { n: number };
    db.close();
    assert.equal(left.n, 0);
    const [entry] = vault.listAudit({ limit: 1 });
    assert.equal(entry?.type, "person.forgotten");
    assert.equal(entry?.person, MARIA);
    assert.equal(entry?.details?.count, 2);
    assert.equal(vault.forgetPerson(MARIA), 0);
  });

  it("migrates a vault made by the schema-3 code: values unclaimed until claimed, then re-sealed", () => {
    copyV3Fixture(t);
    const vault = t.open();
    const db = t.raw();
    assert.equal(
      (db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version,
      SCHEMA_VERSION,
    );
    assert.deepEqual(vault.listSecrets(ANA), []);
    assert.deepEqual(vault.people(), []);
    assert.equal(vault.getSetting("robot.email"), "Ana@Example.com");

    assert.equal(vault.claimUnowned("Ana@Example.com", { actor: "robot" }), 3);
    assert.deepEqual(
      vault.listSecrets(ANA).map((s) => [s.name, s.set]),
      [
        ["OLD", false],
        ["SAP_PASSWORD", true],
        ["SAP_USER", true],
      ],
    );
    assert.equal(vault.getSecret(ANA, "SAP_USER")?.value, "ana");
    assert.equal(vault.getSecret(ANA, "SAP_PASSWORD")?.value, "second");
    assert.equal(vault.restoreSecret(ANA, "SAP_PASSWORD", 1).version, 3);
    assert.equal(vault.getSecret(ANA, "SAP_PASSWORD")?.value, "first");
    assert.equal(vault.getSecret(MARIA, "SAP_USER"), undefined);
    assert.deepEqual(vault.people(), [ANA]);
    const unclaimed = db.prepare("SELECT count(*) AS n FROM secret_versions WHERE person = ''");
    assert.equal((unclaimed.get() as { n: number }).n, 0);
    // Re-sealed bound to the person: moved to someone else, a row no longer opens.
    db.exec(`UPDATE secrets SET person = '${MARIA}' WHERE name = 'SAP_USER'`);
    db.close();
    assert.equal(
      codeOf(() => vault.getSecret(MARIA, "SAP_USER")),
      "vault_integrity",
    );
    assert.equal(vault.claimUnowned(MARIA), 0);
    const [entry] = vault.listAudit({ type: "person.claimed" });
    assert.equal(entry?.person, ANA);
    assert.equal(entry?.details?.count, 3);
    assert.equal(vault.verifyAudit().ok, true);
  });
});
