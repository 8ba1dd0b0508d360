import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, before, describe, test } from "node:test";
import { HeptoraError } from "@heptora/protocol";
import { VAULT_FILE } from "@heptora/vault";
import { ANA, type ServiceFixture, serviceFixture } from "../support/service.ts";

const SAP_USER = "ana.sap-Ü";
const SAP_PASSWORD = "pa55:wörd/with+specials==";

function rejectsWith(code: string) {
  return (error: unknown) => {
    assert.ok(error instanceof HeptoraError, `expected a HeptoraError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return true;
  };
}

describe("robot service, signed in with values set", () => {
  let f: ServiceFixture;
  before(async () => {
    f = await serviceFixture();
    await f.service.login(ANA, "cli");
    await f.service.setSecret("SAP_USER", SAP_USER, "cli");
    await f.service.setSecret("SAP_PASSWORD", SAP_PASSWORD, "cli");
  });
  after(() => f.close());

  test("sign-in syncs the assigned processes only", () => {
    const list = f.service.listSecrets();
    assert.deepEqual(list.processes.map((p) => p.name).sort(), ["Invoice Processing", "Payroll"]);
    const status = f.service.status();
    assert.equal(status.signedIn, true);
    assert.equal(status.email, ANA.email);
    assert.equal(status.counts.processes, 2);
  });

  test("lists names grouped by process, set or not, with no value", () => {
    const list = f.service.listSecrets({ process: "invoice processing" });
    assert.equal(list.processes.length, 1);
    const vars = list.processes[0]?.variables ?? [];
    assert.deepEqual(
      vars.map((v) => [v.name, v.set]),
      [
        ["SAP_USER", true],
        ["SAP_PASSWORD", true],
        ["REGION", false],
      ],
    );
    assert.ok(!JSON.stringify(list).includes(SAP_PASSWORD));
  });

  test("a run reads a declared value, and the read is in the audit log before it returns", async () => {
    const grant = await f.service.issueRunToken({ process: "Invoice Processing" }, "cli");
    const answer = await f.service.readSecretForRun(grant.token, "SAP_PASSWORD");
    assert.deepEqual(answer, { name: "SAP_PASSWORD", value: SAP_PASSWORD });
    const [latest] = f.service.listAudit({ limit: 1 }).entries;
    assert.equal(latest?.type, "secret.read");
    assert.equal(latest?.name, "SAP_PASSWORD");
    assert.equal(latest?.actor, "run:Invoice Processing");
    f.service.revokeRunToken(grant.runId);
  });

  test("a typo is secret_not_declared naming the process and suggesting the close name", async () => {
    const grant = await f.service.issueRunToken({ process: "Invoice Processing" }, "cli");
    await assert.rejects(f.service.readSecretForRun(grant.token, "SAP_USR"), (error) => {
      rejectsWith("secret_not_declared")(error);
      const e = error as HeptoraError;
      assert.equal(
        e.message,
        "Process 'Invoice Processing' does not declare 'SAP_USR'. Did you mean 'SAP_USER'?",
      );
      return true;
    });
    f.service.revokeRunToken(grant.runId);
  });

  test("another process's name is not declared, and nothing hints at the other process", async () => {
    const grant = await f.service.issueRunToken({ process: "Invoice Processing" }, "cli");
    await assert.rejects(f.service.readSecretForRun(grant.token, "PAYROLL_KEY"), (error) => {
      rejectsWith("secret_not_declared")(error);
      assert.ok(!JSON.stringify((error as HeptoraError).toBody()).includes("Payroll"));
      return true;
    });
    const denied = f.service.listAudit({ limit: 1, type: "access.denied" }).entries[0];
    assert.equal(denied?.name, "PAYROLL_KEY");
    assert.equal(denied?.outcome, "denied");
    f.service.revokeRunToken(grant.runId);
  });

  test("a declared name without a value is secret_value_missing, naming the secret", async () => {
    const grant = await f.service.issueRunToken({ process: "Invoice Processing" }, "cli");
    await assert.rejects(f.service.readSecretForRun(grant.token, "REGION"), (error) => {
      rejectsWith("secret_value_missing")(error);
      assert.equal(
        (error as HeptoraError).message,
        "REGION has no value on this robot: set it in the Secrets window.",
      );
      assert.match(String((error as HeptoraError).hint), /heptora secrets set REGION/);
      return true;
    });
    f.service.revokeRunToken(grant.runId);
  });

  test("a bad run token is invalid_run_token, audited, with no hint about the name", async () => {
    for (const [token, name] of [
      ["not-a-real-token", "SAP_PASSWORD"],
      ["not-a-real-token", "NO_SUCH_NAME"],
      [undefined, "SAP_PASSWORD"],
    ] as const) {
      await assert.rejects(f.service.readSecretForRun(token, name), (error) => {
        rejectsWith("invalid_run_token")(error);
        const body = (error as HeptoraError).toBody();
        assert.equal(body.error.hint, undefined);
        assert.equal(body.error.message, "The run token is not valid.");
        return true;
      });
    }
    const denied = f.service.listAudit({ limit: 3, type: "access.denied" }).entries;
    assert.equal(denied.length, 3);
    assert.ok(denied.every((e) => e.outcome === "denied" && e.reason?.includes("token")));
  });

  test("a run token stops working when its run ends", async () => {
    const grant = await f.service.issueRunToken({ process: "Invoice Processing" }, "cli");
    assert.equal(f.service.activeRuns, 1);
    assert.equal(f.service.revokeRunToken(grant.runId), true);
    assert.equal(f.service.activeRuns, 0);
    await assert.rejects(
      f.service.readSecretForRun(grant.token, "SAP_USER"),
      rejectsWith("invalid_run_token"),
    );
  });

  test("a token of one process cannot read a name only another process declares", async () => {
    const payroll = await f.service.issueRunToken({ process: "Payroll" }, "cli");
    assert.equal((await f.service.readSecretForRun(payroll.token, "SAP_USER")).value, SAP_USER);
    await assert.rejects(
      f.service.readSecretForRun(payroll.token, "SAP_PASSWORD"),
      rejectsWith("secret_not_declared"),
    );
    f.service.revokeRunToken(payroll.runId);
  });

  test("the grant carries the secret values to mask and the --env values", async () => {
    const grant = await f.service.issueRunToken(
      { process: "Invoice Processing", env: ["SAP_USER"] },
      "cli",
    );
    assert.deepEqual(grant.env, { SAP_USER });
    assert.ok(grant.mask.includes(SAP_USER));
    assert.ok(grant.mask.includes(SAP_PASSWORD));
    assert.ok(grant.mask.includes(grant.token));
    assert.equal(grant.token.length, 43, "256 bits in base64url");
    assert.deepEqual(grant.names.sort(), ["REGION", "SAP_PASSWORD", "SAP_USER"]);
    f.service.revokeRunToken(grant.runId);
    await assert.rejects(
      f.service.issueRunToken({ process: "Invoice Processing", env: ["PAYROLL_KEY"] }, "cli"),
      rejectsWith("secret_not_declared"),
    );
    await assert.rejects(
      f.service.issueRunToken({ process: "Invoice Processing", env: ["REGION"] }, "cli"),
      rejectsWith("secret_value_missing"),
    );
    assert.equal(f.service.activeRuns, 0);
  });

  test("an unknown process is process_not_assigned with a suggestion", async () => {
    await assert.rejects(
      f.service.issueRunToken({ process: "Invoice Procesing" }, "cli"),
      (error) => {
        rejectsWith("process_not_assigned")(error);
        assert.equal((error as HeptoraError).hint, "Did you mean 'Invoice Processing'?");
        return true;
      },
    );
    await assert.rejects(
      f.service.issueRunToken({ process: "Bob's Process" }, "cli"),
      rejectsWith("process_not_assigned"),
    );
  });

  test("set refuses a name no assigned process declares, suggesting the close one", async () => {
    await assert.rejects(f.service.setSecret("SAP_PASWORD", "x", "cli"), (error) => {
      rejectsWith("secret_not_declared")(error);
      assert.match((error as HeptoraError).message, /Did you mean 'SAP_PASSWORD'\?$/);
      return true;
    });
    await assert.rejects(
      f.service.setSecret("BOB_SECRET", "x", "cli"),
      rejectsWith("secret_not_declared"),
    );
    await assert.rejects(f.service.setSecret("sap password", "x", "cli"), (error) => {
      rejectsWith("invalid_secret_name")(error);
      assert.match((error as HeptoraError).message, /Did you mean 'SAP_PASSWORD'\?/);
      return true;
    });
    await assert.rejects(f.service.setSecret("SAP_USER", "", "cli"));
  });

  test("reveal is audited with its actor; history and restore undo an overwrite", async () => {
    await f.service.setSecret("SAP_USER", "mistake", "window");
    const history = f.service.history("SAP_USER");
    assert.ok(history.versions.length >= 2);
    const previous = history.versions.find((v) => !v.current);
    assert.ok(previous !== undefined);
    await f.service.restoreSecret("SAP_USER", previous.version, "cli");
    const revealed = await f.service.revealSecret("SAP_USER", "window");
    assert.equal(revealed.value, SAP_USER);
    const [entry] = f.service.listAudit({ limit: 1 }).entries;
    assert.equal(entry?.type, "secret.reveal");
    assert.equal(entry?.actor, "window");
    await assert.rejects(
      f.service.restoreSecret("SAP_USER", 999, "cli"),
      rejectsWith("version_not_found"),
    );
  });

  test("no value and no value-derived encoding ever reaches the platform", async () => {
    await f.service.syncNow();
    const sent = f.platform.requests.map((r) => `${r.path} ${r.authorization ?? ""} ${r.body}`);
    for (const value of [SAP_USER, SAP_PASSWORD]) {
      for (const form of [
        value,
        Buffer.from(value).toString("base64"),
        Buffer.from(value).toString("hex"),
        encodeURIComponent(value),
      ]) {
        assert.ok(!sent.some((s) => s.includes(form)), `found a form of a value: ${form}`);
      }
    }
    const report = f.platform.statusReports.at(-1)?.body as {
      secrets: { name: string; set: boolean; updatedAt?: string }[];
    };
    assert.ok(report.secrets.some((s) => s.name === "SAP_USER" && s.set === true));
    assert.ok(report.secrets.some((s) => s.name === "REGION" && s.set === false));
    for (const s of report.secrets) {
      assert.deepEqual(
        Object.keys(s).filter((k) => !["name", "set", "updatedAt"].includes(k)),
        [],
      );
    }
  });

  test("the audit chain verifies", () => {
    const result = f.service.verifyAudit();
    assert.equal(result.ok, true, JSON.stringify(result.problems));
    assert.ok(result.count > 10);
  });

  test("a locked vault answers vault_locked, and a run goes on after the unlock", async () => {
    const grant = await f.service.issueRunToken({ process: "Invoice Processing" }, "cli");
    f.service.lock();
    try {
      await assert.rejects(
        f.service.readSecretForRun(grant.token, "SAP_USER"),
        rejectsWith("vault_locked"),
      );
      assert.throws(() => f.service.listSecrets(), rejectsWith("vault_locked"));
      assert.equal(f.service.status().locked, true);
    } finally {
      f.service.unlock(f.vault);
    }
    assert.equal((await f.service.readSecretForRun(grant.token, "SAP_USER")).value, SAP_USER);
    f.service.revokeRunToken(grant.runId);
  });
  // Last in this group: it damages SAP_USER's stored value.
  test("a value changed on disk is refused to the run, never served, and not logged as read", async () => {
    const grant = await f.service.issueRunToken({ process: "Invoice Processing" }, "cli");
    const raw = new DatabaseSync(join(f.temp.dataDir, VAULT_FILE));
    raw.exec(`UPDATE secret_versions SET ciphertext =
      (SELECT ciphertext FROM secret_versions WHERE name = 'SAP_PASSWORD' ORDER BY version DESC)
      WHERE name = 'SAP_USER'`);
    raw.close();
    const reads = f.service.listAudit({ limit: 1000, type: "secret.read" }).entries.length;
    await assert.rejects(f.service.readSecretForRun(grant.token, "SAP_USER"), (error) => {
      rejectsWith("vault_integrity")(error);
      assert.ok(!JSON.stringify((error as HeptoraError).toBody()).includes(SAP_PASSWORD));
      return true;
    });
    assert.equal(f.service.listAudit({ limit: 1000, type: "secret.read" }).entries.length, reads);
    f.service.revokeRunToken(grant.runId);
  });
});

describe("robot service, sync", () => {
  let f: ServiceFixture;
  before(async () => {
    f = await serviceFixture();
  });
  after(() => f.close());

  test("without sign-in, management calls that need the platform say robot_not_signed_in", async () => {
    await assert.rejects(f.service.syncNow(), rejectsWith("robot_not_signed_in"));
    await assert.rejects(f.service.logout("cli"), rejectsWith("robot_not_signed_in"));
    await assert.rejects(
      f.service.setSecret("SAP_USER", "x", "cli"),
      rejectsWith("robot_not_signed_in"),
    );
    await assert.rejects(
      f.service.issueRunToken({ process: "Invoice Processing" }, "cli"),
      rejectsWith("robot_not_signed_in"),
    );
  });

  test("a wrong password is refused and audited; the robot stays signed out", async () => {
    await assert.rejects(
      f.service.login({ email: ANA.email, password: "wrong" }, "cli"),
      rejectsWith("invalid_credentials"),
    );
    assert.equal(f.service.status().signedIn, false);
    const [entry] = f.service.listAudit({ limit: 1 }).entries;
    assert.equal(entry?.type, "login");
    assert.equal(entry?.outcome, "failed");
  });

  test("the cursor brings only changes: a new variable, then an unassigned process", async () => {
    await f.service.login(ANA, "cli");
    f.platform.updateProcess(f.invoiceId, {
      variables: [{ name: "SAP_USER" }, { name: "SAP_PASSWORD" }, { name: "SAP_CLIENT" }],
    });
    const first = await f.service.syncNow();
    assert.equal(first.full, false);
    assert.equal(first.changed, 1);
    const last = f.platform.requests
      .filter((r) => r.path.startsWith("/api/v1/robot/definitions"))
      .at(-1);
    assert.match(last?.path ?? "", /cursor=/);
    assert.ok(
      f.service
        .listSecrets({ process: "Invoice Processing" })
        .processes[0]?.variables.some((v) => v.name === "SAP_CLIENT"),
    );
    f.platform.updateProcess(f.payrollId, { assignees: [] });
    const second = await f.service.syncNow();
    assert.equal(second.removed, 1);
    assert.deepEqual(
      f.service.listSecrets().processes.map((p) => p.name),
      ["Invoice Processing"],
    );
  });

  test("saving a name the platform removed meanwhile says so, instead of suggesting another", async () => {
    await f.service.login(ANA, "cli");
    f.platform.updateProcess(f.invoiceId, {
      variables: [{ name: "SAP_USER" }, { name: "SAP_PASSWORD" }, { name: "SAP_TOKEN" }],
    });
    await f.service.syncNow();
    await f.service.setSecret("SAP_TOKEN", "first-token", "window");
    f.platform.updateProcess(f.invoiceId, {
      variables: [{ name: "SAP_USER" }, { name: "SAP_PASSWORD" }],
    });
    await f.service.syncNow();
    await assert.rejects(f.service.setSecret("SAP_TOKEN", "second-token", "window"), (error) => {
      rejectsWith("secret_not_declared")(error);
      assert.equal(
        (error as HeptoraError).message,
        "SAP_TOKEN was removed from Invoice Processing on the platform.",
      );
      return true;
    });
    await assert.rejects(
      f.service.setSecret("SAP_PASWORD", "x", "window"),
      /Did you mean/,
      "a typo still gets a suggestion",
    );
    f.platform.updateProcess(f.invoiceId, {
      variables: [{ name: "SAP_USER" }, { name: "SAP_PASSWORD" }, { name: "SAP_TOKEN" }],
    });
    await f.service.syncNow();
    await f.service.setSecret("SAP_TOKEN", "back-again", "window");
  });

  test("offline: sync fails with platform_unreachable and runs go on from the cache", async () => {
    await f.service.setSecret("SAP_USER", "offline-user", "cli");
    f.platform.failWith = 0;
    try {
      await assert.rejects(f.service.syncNow(), rejectsWith("platform_unreachable"));
      f.platform.failWith = 503;
      await assert.rejects(f.service.syncNow(), rejectsWith("platform_unreachable"));
      assert.notEqual(f.service.status().sync.lastError, null);
      const grant = await f.service.issueRunToken({ process: "Invoice Processing" }, "cli");
      assert.equal(
        (await f.service.readSecretForRun(grant.token, "SAP_USER")).value,
        "offline-user",
      );
      f.service.revokeRunToken(grant.runId);
    } finally {
      f.platform.failWith = undefined;
    }
    await f.service.syncNow();
    assert.equal(f.service.status().sync.lastError, null);
  });

  test("a 401 from the platform signs the robot out; values stay", async () => {
    const grant = await f.service.issueRunToken({ process: "Invoice Processing" }, "cli");
    f.platform.revokeAllTokens();
    await assert.rejects(f.service.syncNow(), rejectsWith("robot_not_signed_in"));
    assert.equal(f.service.status().signedIn, false);
    assert.match(String(f.service.status().signedOutReason), /^The platform signed this robot out/);
    assert.equal(f.service.status().signedOutCause, "refused");
    assert.equal(f.service.activeRuns, 0);
    await assert.rejects(
      f.service.readSecretForRun(grant.token, "SAP_USER"),
      rejectsWith("invalid_run_token"),
    );
    assert.equal(f.vault.getSecret(ANA.email, "SAP_USER")?.value, "offline-user");
  });

  test("logout revokes at the platform and forgets the token; values stay", async () => {
    await f.service.login(ANA, "cli");
    assert.equal(f.service.status().signedOutReason, null, "a sign-in clears the reason");
    const result = await f.service.logout("cli");
    assert.deepEqual(result, { signedOut: true, revokedAtPlatform: true });
    assert.equal(f.service.status().signedOutReason, "Signed out on this machine.");
    assert.equal(f.platform.logouts.length, 1);
    assert.equal(f.service.status().signedIn, false);
    assert.equal(f.vault.getSecret(ANA.email, "SAP_USER")?.value, "offline-user");
    assert.equal(f.service.listSecrets().processes.length, 0);
  });

  test("logout while the platform is down still forgets the token, and says so", async () => {
    await f.service.login(ANA, "cli");
    f.platform.failWith = 0;
    try {
      const result = await f.service.logout("cli");
      assert.deepEqual(result, { signedOut: true, revokedAtPlatform: false });
    } finally {
      f.platform.failWith = undefined;
    }
    assert.equal(f.service.status().signedIn, false);
  });
});

describe("robot service, sign-outs that say why", () => {
  let f: ServiceFixture;
  before(async () => {
    f = await serviceFixture();
  });
  after(() => f.close());

  const cases = [
    [
      "revoked",
      "An administrator revoked this robot's sign-in on the web app. Sign in again to go on.",
    ],
    [
      "password_changed",
      "You were signed out because your password was changed on the web app. Sign in with the new password.",
    ],
    ["account_deactivated", "Your account was deactivated on the web app. Ask an administrator."],
    ["expired", "The robot's sign-in expired. Sign in again."],
  ] as const;

  for (const [reason, sentence] of cases) {
    test(`a token refused as ${reason} says why, in status, the audit log and after a restart`, async () => {
      await f.service.login(ANA, "cli");
      f.platform.revokeAllTokens(reason);
      await assert.rejects(f.service.syncNow(), (error) => {
        rejectsWith("robot_not_signed_in")(error);
        assert.equal((error as HeptoraError).message, sentence);
        return true;
      });
      const status = f.service.status();
      assert.equal(status.signedIn, false);
      assert.equal(status.signedOutReason, sentence);
      assert.equal(status.signedOutCause, reason);
      const [logout] = f.service.listAudit({ limit: 1, type: "logout" }).entries;
      assert.equal(logout?.reason, reason);
      assert.equal(logout?.actor, "platform");

      f.restart();
      assert.equal(f.service.status().signedOutReason, sentence, "kept across a restart");
      assert.equal(f.service.status().signedOutCause, reason);
    });
  }

  test("a sign-in clears the reason, for good", async () => {
    await f.service.login(ANA, "cli");
    assert.equal(f.service.status().signedOutReason, null);
    await f.service.logout("cli");
    assert.equal(f.service.status().signedOutCause, "signed_out");
    assert.equal(
      f.service.listAudit({ limit: 1, type: "logout" }).entries[0]?.reason,
      "signed_out",
    );
    await f.service.login(ANA, "cli");
    f.restart();
    assert.equal(f.service.status().signedOutReason, null);
    assert.equal(f.service.status().signedOutCause, null);
  });
});
