/**
 * Variables keep their identity (issue 11): a sync that brings a cached variable id under a new
 * name moves every person's value and history to it, re-sealed under the new name and audited;
 * a person who already has the new name keeps both. `moveSecret` moves an undeclared value onto
 * a declared name that has none, and refuses anything else.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { CachedProcess, DefinitionsSync } from "../src/types.ts";
import { ANA, codeOf, type TempVault, tempVault } from "./support/temp-vault.ts";

const MARIA = "maria@example.com";

function invoices(password: string, extra: CachedProcess["variables"] = []): CachedProcess {
  return {
    id: "p-invoices",
    name: "Invoices",
    description: "",
    variables: [
      { id: "v-user", name: "SAP_USER", secret: false, description: "" },
      { id: "v-password", name: password, secret: true, description: "" },
      ...extra,
    ],
  };
}

function sync(cursor: string, processes: CachedProcess[], full = false): DefinitionsSync {
  return { cursor, full, processes, removedProcessIds: [] };
}

describe("renamed variables and moved values", () => {
  let t: TempVault;
  beforeEach(() => {
    t = tempVault();
  });
  afterEach(() => t.cleanup());

  it("moves every person's value and history to the new name, re-sealed, audited", () => {
    const vault = t.open();
    vault.applyDefinitions(sync("1", [invoices("SAP_PASWORD")], true));
    vault.setSecret(ANA, "SAP_PASWORD", "ana-1");
    vault.setSecret(ANA, "SAP_PASWORD", "ana-2");
    vault.setSecret(MARIA, "SAP_PASWORD", "maria-1");
    assert.deepEqual(
      vault.listSecrets(ANA).map((s) => s.name),
      ["SAP_PASWORD"],
    );

    const outcomes = vault.applyDefinitions(sync("2", [invoices("SAP_PASSWORD")]), {
      actor: "platform",
    });
    assert.deepEqual(outcomes, [{ from: "SAP_PASWORD", to: "SAP_PASSWORD", moved: 2, kept: 0 }]);
    assert.equal(vault.getSecret(ANA, "SAP_PASSWORD")?.value, "ana-2");
    assert.equal(vault.getSecret(MARIA, "SAP_PASSWORD")?.value, "maria-1");
    assert.equal(vault.getSecret(ANA, "SAP_PASWORD"), undefined);
    assert.deepEqual(
      vault.listSecrets(ANA).map((s) => s.name),
      ["SAP_PASSWORD"],
    );
    assert.deepEqual(
      vault.history(ANA, "SAP_PASSWORD").map((v) => [v.version, v.current]),
      [
        [2, true],
        [1, false],
      ],
    );
    // Older versions were re-sealed too: restoring one opens it under the new name.
    assert.equal(vault.restoreSecret(ANA, "SAP_PASSWORD", 1).version, 3);
    assert.equal(vault.getSecret(ANA, "SAP_PASSWORD")?.value, "ana-1");

    const renamed = vault.listAudit({ type: "secret.renamed" });
    assert.deepEqual(renamed.map((e) => [e.person, e.name, e.outcome, e.details]).sort(), [
      [ANA, "SAP_PASSWORD", "ok", { from: "SAP_PASWORD", to: "SAP_PASSWORD" }],
      [MARIA, "SAP_PASSWORD", "ok", { from: "SAP_PASWORD", to: "SAP_PASSWORD" }],
    ]);
    assert.equal(vault.verifyAudit().ok, true);
  });

  it("binds the moved value to the new name: moved back by hand, it does not open", () => {
    const vault = t.open();
    vault.applyDefinitions(sync("1", [invoices("SAP_PASWORD")], true));
    vault.setSecret(ANA, "SAP_PASWORD", "ana-1");
    vault.applyDefinitions(sync("2", [invoices("SAP_PASSWORD")]));
    const db = t.raw();
    db.exec("UPDATE secrets SET name = 'SAP_PASWORD' WHERE name = 'SAP_PASSWORD'");
    db.close();
    assert.equal(
      codeOf(() => vault.getSecret(ANA, "SAP_PASWORD")),
      "vault_integrity",
    );
  });

  it("keeps both when the new name already has a value for the person, and says so", () => {
    const vault = t.open();
    vault.applyDefinitions(sync("1", [invoices("SAP_PASWORD")], true));
    vault.setSecret(ANA, "SAP_PASWORD", "old");
    vault.setSecret(ANA, "SAP_PASSWORD", "new");
    vault.setSecret(MARIA, "SAP_PASWORD", "maria");
    const outcomes = vault.applyDefinitions(sync("2", [invoices("SAP_PASSWORD")]), {
      actor: "platform",
    });
    assert.deepEqual(outcomes, [{ from: "SAP_PASWORD", to: "SAP_PASSWORD", moved: 1, kept: 1 }]);
    assert.equal(vault.getSecret(ANA, "SAP_PASSWORD")?.value, "new");
    assert.equal(vault.getSecret(ANA, "SAP_PASWORD")?.value, "old");
    assert.equal(vault.getSecret(MARIA, "SAP_PASSWORD")?.value, "maria");
    const failed = vault.listAudit({ type: "secret.renamed" }).filter((e) => e.person === ANA);
    assert.equal(failed.length, 1);
    assert.equal(failed[0]?.outcome, "failed");
    assert.equal(failed[0]?.name, "SAP_PASWORD");
    assert.match(failed[0]?.reason ?? "", /both are kept/);
  });

  it("leaves a value alone while another process still declares the old name", () => {
    const vault = t.open();
    const payroll: CachedProcess = {
      id: "p-payroll",
      name: "Payroll",
      description: "",
      variables: [{ id: "v-other", name: "SAP_PASWORD", secret: true, description: "" }],
    };
    vault.applyDefinitions(sync("1", [invoices("SAP_PASWORD"), payroll], true));
    vault.setSecret(ANA, "SAP_PASWORD", "shared");
    assert.deepEqual(vault.applyDefinitions(sync("2", [invoices("SAP_PASSWORD")])), []);
    assert.equal(vault.getSecret(ANA, "SAP_PASWORD")?.value, "shared");
    assert.equal(vault.getSecret(ANA, "SAP_PASSWORD"), undefined);
  });

  it("renames on a full sync too, and not at all without ids", () => {
    const vault = t.open();
    vault.applyDefinitions(sync("1", [invoices("SAP_PASWORD")], true));
    vault.setSecret(ANA, "SAP_PASWORD", "v");
    vault.applyDefinitions(sync("9", [invoices("SAP_PASSWORD")], true));
    assert.equal(vault.getSecret(ANA, "SAP_PASSWORD")?.value, "v");
    const noIds = (p: CachedProcess): CachedProcess => ({
      ...p,
      variables: p.variables.map(({ id: _id, ...v }) => v),
    });
    vault.applyDefinitions(sync("10", [noIds(invoices("SAP_PASSWORD"))], true));
    vault.applyDefinitions(sync("11", [noIds(invoices("SAP_PASSWORT"))], true));
    assert.equal(vault.getSecret(ANA, "SAP_PASSWORD")?.value, "v");
  });

  it("moves an undeclared value and its history onto a declared name, audited", () => {
    const vault = t.open();
    vault.applyDefinitions(sync("1", [invoices("SAP_PASSWORD")], true));
    vault.setSecret(ANA, "OLD_PASSWORD", "one");
    vault.setSecret(ANA, "OLD_PASSWORD", "two");
    const info = vault.moveSecret(ANA, "OLD_PASSWORD", "SAP_PASSWORD", { actor: "cli" });
    assert.deepEqual([info.name, info.version, info.set], ["SAP_PASSWORD", 2, true]);
    assert.equal(vault.getSecret(ANA, "SAP_PASSWORD")?.value, "two");
    assert.equal(vault.getSecret(ANA, "OLD_PASSWORD"), undefined);
    assert.equal(vault.history(ANA, "SAP_PASSWORD").length, 2);
    assert.deepEqual(
      vault.listSecrets(ANA).map((s) => s.name),
      ["SAP_PASSWORD"],
    );
    const [entry] = vault.listAudit({ type: "secret.moved" });
    assert.deepEqual(
      [entry?.person, entry?.name, entry?.details],
      [ANA, "SAP_PASSWORD", { from: "OLD_PASSWORD", to: "SAP_PASSWORD" }],
    );
  });

  it("refuses to move a declared value, onto an undeclared name, a missing value or a set one", () => {
    const vault = t.open();
    vault.applyDefinitions(sync("1", [invoices("SAP_PASSWORD")], true));
    vault.setSecret(ANA, "OLD_PASSWORD", "old");
    vault.setSecret(ANA, "SAP_USER", "user");
    const move = (from: string, to: string) => codeOf(() => vault.moveSecret(ANA, from, to));
    assert.equal(move("SAP_USER", "SAP_PASSWORD"), "validation_failed");
    assert.equal(move("OLD_PASSWORD", "NOT_DECLARED"), "secret_not_declared");
    assert.equal(move("NO_SUCH_VALUE", "SAP_PASSWORD"), "secret_value_missing");
    assert.equal(move("OLD_PASSWORD", "SAP_USER"), "validation_failed");
    assert.equal(move("OLD_PASSWORD", "OLD_PASSWORD"), "validation_failed");
    assert.equal(vault.getSecret(ANA, "OLD_PASSWORD")?.value, "old");
    assert.equal(vault.getSecret(ANA, "SAP_USER")?.value, "user");
    assert.equal(vault.listAudit({ type: "secret.moved" }).length, 0);
  });
});
