import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { CachedProcess, Vault } from "../src/index.ts";
import { codeOf, type TempVault, tempVault } from "./support/temp-vault.ts";

const invoices: CachedProcess = {
  id: "p-1",
  name: "Invoice Processing",
  description: "Books invoices in SAP",
  variables: [
    { name: "SAP_USER", secret: true, description: "" },
    { name: "SAP_URL", secret: false, description: "Where SAP lives" },
  ],
};
const payroll: CachedProcess = { id: "p-2", name: "Payroll", description: "", variables: [] };

describe("synced definitions", () => {
  let t: TempVault;
  let vault: Vault;
  beforeEach(() => {
    t = tempVault();
    vault = t.open();
  });
  afterEach(() => t.cleanup());

  it("starts empty, with no cursor", () => {
    assert.deepEqual(vault.definitions(), { cursor: null, processes: [] });
  });

  it("replaces everything on a full sync, sorted by process name", () => {
    vault.applyDefinitions({
      cursor: "c1",
      full: true,
      processes: [payroll, invoices],
      removedProcessIds: [],
    });
    assert.deepEqual(vault.definitions(), { cursor: "c1", processes: [invoices, payroll] });
    vault.applyDefinitions({
      cursor: "c2",
      full: true,
      processes: [payroll],
      removedProcessIds: [],
    });
    assert.deepEqual(vault.definitions(), { cursor: "c2", processes: [payroll] });
  });

  it("applies changes and removals on an incremental sync", () => {
    vault.applyDefinitions({
      cursor: "c1",
      full: true,
      processes: [invoices, payroll],
      removedProcessIds: [],
    });
    const renamed = { ...invoices, name: "Invoices", variables: [] };
    vault.applyDefinitions({
      cursor: "c2",
      full: false,
      processes: [renamed],
      removedProcessIds: ["p-2"],
    });
    assert.deepEqual(vault.definitions(), { cursor: "c2", processes: [renamed] });
  });

  it("survives a reopen (offline runs) and is seen by another instance", () => {
    vault.applyDefinitions({
      cursor: "c1",
      full: true,
      processes: [invoices],
      removedProcessIds: [],
    });
    const other = t.open();
    assert.deepEqual(other.definitions().processes, [invoices]);
    vault.applyDefinitions({
      cursor: "c2",
      full: false,
      processes: [payroll],
      removedProcessIds: [],
    });
    assert.equal(other.definitions().cursor, "c2");
    assert.equal(other.definitions().processes.length, 2);
  });

  it("rejects a malformed sync and changes nothing", () => {
    vault.applyDefinitions({
      cursor: "c1",
      full: true,
      processes: [invoices],
      removedProcessIds: [],
    });
    const bad = { ...payroll, variables: [{ name: "bad name", secret: true, description: "" }] };
    assert.equal(
      codeOf(() =>
        vault.applyDefinitions({
          cursor: "c2",
          full: true,
          processes: [bad],
          removedProcessIds: [],
        }),
      ),
      "invalid_secret_name",
    );
    assert.equal(
      codeOf(() =>
        vault.applyDefinitions({
          cursor: "c2",
          full: true,
          processes: [{ ...payroll, id: "" }],
          removedProcessIds: [],
        }),
      ),
      "validation_failed",
    );
    assert.deepEqual(vault.definitions(), { cursor: "c1", processes: [invoices] });
  });
});

describe("settings", () => {
  let t: TempVault;
  let vault: Vault;
  beforeEach(() => {
    t = tempVault();
    vault = t.open();
  });
  afterEach(() => t.cleanup());

  it("stores, replaces and forgets a setting", () => {
    assert.equal(vault.getSetting("robot.token"), null);
    vault.setSetting("robot.token", "t-1");
    vault.setSetting("robot.token", "t-2");
    assert.equal(vault.getSetting("robot.token"), "t-2");
    vault.setSetting("robot.token", null);
    assert.equal(vault.getSetting("robot.token"), null);
  });

  it("rejects a bad key or value", () => {
    assert.equal(
      codeOf(() => vault.setSetting("bad key!", "x")),
      "validation_failed",
    );
    assert.equal(
      codeOf(() => vault.setSetting("k", "x".repeat(70_000))),
      "validation_failed",
    );
  });
});
