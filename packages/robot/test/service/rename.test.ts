/**
 * Variables keep their identity (issue 11): a variable renamed on the platform moves the values
 * set under its old name, with their history, at the robot's next sync (audited secret.renamed),
 * a robot that was offline during the rename included; `moveSecret` puts a value no process
 * declares any more onto a declared name.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { HeptoraError } from "@heptora/protocol";
import { ANA, BOB, type ServiceFixture, serviceFixture } from "../support/service.ts";

const rejectsWith = (code: string, message?: RegExp) => (error: unknown) =>
  error instanceof HeptoraError &&
  error.code === code &&
  (message === undefined || message.test(error.message));

describe("robot service, renamed variables and moved values", () => {
  let f: ServiceFixture;
  let processId: string;
  before(async () => {
    f = await serviceFixture();
    processId = f.platform.addProcess({
      name: "Rename Process",
      variables: [{ name: "SAP_PASWORD" }, { name: "API_TOKN" }, { name: "CLIENT_ID" }],
      assignees: [ANA.email, BOB.email],
    });
  });
  after(() => f.close());

  test("a rename on the platform moves each person's value and history at the next sync", async () => {
    await f.service.login(BOB, "cli");
    await f.service.setSecret("SAP_PASWORD", "bob-pw", "cli");
    await f.service.logout("cli");
    await f.service.login(ANA, "cli");
    await f.service.setSecret("SAP_PASWORD", "ana-pw-1", "cli");
    await f.service.setSecret("SAP_PASWORD", "ana-pw-2", "cli");

    f.platform.renameVariable(processId, "SAP_PASWORD", "SAP_PASSWORD");
    await f.service.syncNow();

    const revealed = await f.service.revealSecret("SAP_PASSWORD", "cli");
    assert.deepEqual([revealed.value, revealed.version], ["ana-pw-2", 2]);
    assert.equal(f.service.history("SAP_PASSWORD").versions.length, 2);
    const listed = f.service.listSecrets({ process: "Rename Process" });
    assert.deepEqual(
      listed.processes[0]?.variables.map((v) => [v.name, v.set]),
      [
        ["SAP_PASSWORD", true],
        ["API_TOKN", false],
        ["CLIENT_ID", false],
      ],
    );
    assert.ok(!listed.undeclared.some((s) => s.name === "SAP_PASWORD"));
    // A window open since before the sync saves against the old name: told the new one.
    await assert.rejects(
      f.service.setSecret("SAP_PASWORD", "late", "cli"),
      rejectsWith(
        "secret_not_declared",
        /^SAP_PASWORD was renamed SAP_PASSWORD on the platform\.$/,
      ),
    );
    // Bob's value moved too, sealed for him.
    assert.equal(f.vault.getSecret(BOB.email, "SAP_PASSWORD")?.value, "bob-pw");
    const entries = f.service.listAudit({ type: "secret.renamed" }).entries;
    assert.deepEqual(entries.map((e) => [e.person, e.name, e.actor, e.outcome, e.details]).sort(), [
      [ANA.email, "SAP_PASSWORD", "platform", "ok", { from: "SAP_PASWORD", to: "SAP_PASSWORD" }],
      [BOB.email, "SAP_PASSWORD", "platform", "ok", { from: "SAP_PASWORD", to: "SAP_PASSWORD" }],
    ]);
    assert.ok(f.logs.some((line) => /SAP_PASWORD was renamed SAP_PASSWORD/.test(line)));
    assert.ok(!f.logs.some((line) => line.includes("ana-pw")));
  });

  test("a robot offline during renames catches up at its next sync", async () => {
    await f.service.setSecret("API_TOKN", "token", "cli");
    f.platform.failWith = 503;
    f.platform.renameVariable(processId, "API_TOKN", "API_TOKEN_");
    await assert.rejects(f.service.syncNow());
    f.platform.renameVariable(processId, "API_TOKEN_", "API_TOKEN");
    f.platform.updateProcess(f.payrollId, { variables: [{ name: "PAYROLL_KEY" }] });
    f.platform.failWith = undefined;
    await f.service.syncNow();
    assert.equal((await f.service.revealSecret("API_TOKEN", "cli")).value, "token");
    await assert.rejects(
      f.service.revealSecret("API_TOKN", "cli"),
      rejectsWith("secret_not_declared"),
    );
    const [entry] = f.service.listAudit({ type: "secret.renamed", limit: 1 }).entries;
    assert.deepEqual(entry?.details, { from: "API_TOKN", to: "API_TOKEN" });
  });

  test("a rename onto a name that has a value keeps both; the old one is undeclared", async () => {
    await f.service.setSecret("CLIENT_ID", "old-client", "cli");
    f.platform.updateProcess(processId, {
      variables: [
        { name: "SAP_PASSWORD" },
        { name: "API_TOKEN" },
        { name: "CLIENT_ID" },
        { name: "CLIENT" },
      ],
    });
    await f.service.syncNow();
    await f.service.setSecret("CLIENT", "new-client", "cli");
    f.platform.updateProcess(processId, {
      variables: [{ name: "SAP_PASSWORD" }, { name: "API_TOKEN" }, { name: "CLIENT_ID" }],
    });
    await f.service.syncNow();
    f.platform.renameVariable(processId, "CLIENT_ID", "CLIENT");
    await f.service.syncNow();
    assert.equal((await f.service.revealSecret("CLIENT", "cli")).value, "new-client");
    const undeclared = f.service.listSecrets().undeclared.map((s) => s.name);
    assert.ok(undeclared.includes("CLIENT_ID"));
    const [entry] = f.service.listAudit({ type: "secret.renamed", limit: 1 }).entries;
    assert.deepEqual([entry?.name, entry?.outcome], ["CLIENT_ID", "failed"]);
    assert.match(entry?.reason ?? "", /both are kept/);
  });

  test("moves an undeclared value onto a declared name that has none, and refuses the rest", async () => {
    // CLIENT_ID is undeclared now (previous test); CLIENT has a value.
    await assert.rejects(
      f.service.moveSecret("CLIENT_ID", "CLIENT", "cli"),
      rejectsWith("validation_failed", /'CLIENT' already has a value/),
    );
    await assert.rejects(
      f.service.moveSecret("CLIENT_ID", "CLIENT_IDS", "cli"),
      rejectsWith("secret_not_declared"),
    );
    await assert.rejects(
      f.service.moveSecret("API_TOKEN", "SAP_USER", "cli"),
      rejectsWith("validation_failed", /'API_TOKEN' is declared by a process/),
    );
    await f.service.unsetSecret("CLIENT", "cli");
    await assert.rejects(
      f.service.moveSecret("CLIENT_ID", "CLIENT", "cli"),
      rejectsWith("validation_failed"),
    );
    // A declared name with no value at all: the move goes through.
    const info = await f.service.moveSecret("CLIENT_ID", "PAYROLL_KEY", "cli");
    assert.deepEqual([info.name, info.set], ["PAYROLL_KEY", true]);
    assert.equal((await f.service.revealSecret("PAYROLL_KEY", "cli")).value, "old-client");
    assert.ok(!f.service.listSecrets().undeclared.some((s) => s.name === "CLIENT_ID"));
    const [entry] = f.service.listAudit({ type: "secret.moved", limit: 1 }).entries;
    assert.deepEqual(
      [entry?.person, entry?.actor, entry?.details],
      [ANA.email, "cli", { from: "CLIENT_ID", to: "PAYROLL_KEY" }],
    );
  });
});
