/**
 * `vault.readForRun`: a run's read in one call, the scope check, the value and its audit entry in
 * the group commit's transaction. The value comes back only with its entry committed; refusals
 * are audited too; a value that does not authenticate is refused to that read only.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { RunReadRequest, Vault } from "../src/index.ts";
import { ANA, type TempVault, tempVault } from "./support/temp-vault.ts";

const run = (name: string, processId = "inv"): RunReadRequest => ({
  name,
  processId,
  process: "Invoices",
  actor: "run:Invoices",
  person: ANA,
});

describe("readForRun", () => {
  let t: TempVault;
  let vault: Vault;
  beforeEach(() => {
    t = tempVault();
    vault = t.open();
    vault.applyDefinitions({
      cursor: "1",
      full: true,
      processes: [
        {
          id: "inv",
          name: "Invoices",
          description: "",
          variables: [
            { name: "SAP_USER", secret: false, description: "" },
            { name: "SAP_PASSWORD", secret: true, description: "" },
          ],
        },
        {
          id: "pay",
          name: "Payroll",
          description: "",
          variables: [{ name: "BANK_KEY", secret: true, description: "" }],
        },
      ],
      removedProcessIds: [],
    });
    vault.setSecret(ANA, "SAP_USER", "ana");
    vault.setSecret(ANA, "BANK_KEY", "k-123");
  });
  afterEach(() => t.cleanup());

  it("returns the value with its secret.read entry already committed", async () => {
    const read = await vault.readForRun(run("SAP_USER"));
    assert.equal(read.outcome, "ok");
    assert.equal(read.outcome === "ok" && read.secret.value, "ana");
    const raw = t.raw();
    const row = raw.prepare("SELECT type, name, entry FROM audit ORDER BY seq DESC").get() as {
      type: string;
      name: string;
      entry: string;
    };
    raw.close();
    assert.equal(row.type, "secret.read");
    assert.equal(row.name, "SAP_USER");
    assert.deepEqual(
      { ...JSON.parse(row.entry), at: undefined, seq: undefined },
      {
        type: "secret.read",
        name: "SAP_USER",
        process: "Invoices",
        actor: "run:Invoices",
        person: ANA,
        outcome: "ok",
        at: undefined,
        seq: undefined,
      },
    );
  });

  it("refuses a name the process does not declare, with its scope, and audits the refusal", async () => {
    const read = await vault.readForRun(run("BANK_KEY"));
    assert.equal(read.outcome, "not_declared");
    assert.deepEqual(read.outcome === "not_declared" && [...read.declared].sort(), [
      "SAP_PASSWORD",
      "SAP_USER",
    ]);
    const [entry] = vault.listAudit({ limit: 1 });
    assert.equal(entry?.type, "access.denied");
    assert.equal(entry?.name, "BANK_KEY");
    assert.equal(entry?.outcome, "denied");
  });

  it("refuses an invalid name without recording it, and a process it does not know", async () => {
    assert.equal((await vault.readForRun(run("not a name"))).outcome, "not_declared");
    assert.equal(vault.listAudit({ limit: 1 })[0]?.name, undefined);
    const unknown = await vault.readForRun(run("SAP_USER", "gone"));
    assert.equal(unknown.outcome === "not_declared" && unknown.declared.size, 0);
  });

  it("says value_missing for a declared name without a value, audited as failed", async () => {
    assert.equal((await vault.readForRun(run("SAP_PASSWORD"))).outcome, "value_missing");
    const [entry] = vault.listAudit({ limit: 1 });
    assert.equal(entry?.outcome, "failed");
    assert.equal(entry?.reason, "value not set");
  });

  it("follows definitions and values changed by another connection", async () => {
    const other = t.open();
    other.setSecret(ANA, "SAP_USER", "bea");
    const read = await vault.readForRun(run("SAP_USER"));
    assert.equal(read.outcome === "ok" && read.secret.value, "bea");
    other.applyDefinitions({ cursor: "2", full: true, processes: [], removedProcessIds: [] });
    assert.equal((await vault.readForRun(run("SAP_USER"))).outcome, "not_declared");
  });

  it("shares one transaction with recordAudit, in submission order", async () => {
    const [first, read, last] = await Promise.all([
      vault.recordAudit({ type: "login", actor: "cli" }),
      vault.readForRun(run("SAP_USER")),
      vault.recordAudit({ type: "logout", actor: "cli" }),
    ]);
    assert.equal(read.outcome, "ok");
    assert.deepEqual([first.seq, last.seq], [1, 3]);
    assert.equal(vault.listAudit({ limit: 3 })[1]?.type, "secret.read");
    assert.equal(vault.stats().auditBatches, 1);
    assert.equal(vault.verifyAudit().ok, true);
  });

  it("refuses a value that does not authenticate to that read only, with a secret.read_refused entry", async () => {
    const raw = t.raw();
    raw.exec(
      "UPDATE secret_versions SET ciphertext = substr(ciphertext, 1, 20) WHERE name = 'SAP_USER'",
    );
    raw.close();
    const before = vault.listAudit({ limit: 10 }).length;
    const [tampered, other] = await Promise.allSettled([
      vault.readForRun(run("SAP_USER")),
      vault.readForRun(run("BANK_KEY", "pay")),
    ]);
    assert.equal(tampered.status, "rejected");
    assert.equal(
      tampered.status === "rejected" && (tampered.reason as { code: string }).code,
      "vault_integrity",
    );
    assert.equal(other.status === "fulfilled" && other.value.outcome, "ok");
    const types = vault.listAudit({ limit: 10 }).map((e) => e.type);
    assert.equal(types.length, before + 2);
    assert.deepEqual(types.slice(0, 2).sort(), ["secret.read", "secret.read_refused"]);
  });

  it("rejects a request without a process or actor before it joins a batch", async () => {
    await assert.rejects(
      vault.readForRun({ ...run("SAP_USER"), actor: undefined as unknown as string }),
      { code: "validation_failed" },
    );
    assert.deepEqual(vault.listAudit(), []);
  });
});
