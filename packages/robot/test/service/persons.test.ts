/**
 * Values per person on a machine (docs/adr/0066): the robot serves the signed-in person's values
 * only, in the Secrets window, the CLI and runs; another person's stay sealed until they sign in
 * again.
 */
import assert from "node:assert/strict";
import { chmodSync, copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { HeptoraError } from "@heptora/protocol";
import { openVault, VAULT_FILE } from "@heptora/vault";
import { createRobotService } from "../../src/service/robot-service.ts";
import { ANA, BOB, type ServiceFixture, serviceFixture } from "../support/service.ts";
import { makeTempDir } from "../support/temp.ts";

const rejectsWith = (code: string) => (error: unknown) =>
  error instanceof HeptoraError && error.code === code;

describe("robot service, values per person", () => {
  let f: ServiceFixture;
  before(async () => {
    f = await serviceFixture();
    f.platform.addProcess({
      name: "Shared Process",
      variables: [{ name: "SAP_USER" }],
      assignees: [ANA.email, BOB.email],
    });
  });
  after(() => f.close());

  test("ana's values stay hers when bob signs in on the same robot, and come back for her", async () => {
    await f.service.login(ANA, "cli");
    await f.service.setSecret("SAP_USER", "ana-user", "cli");
    await f.service.logout("cli");
    await assert.rejects(
      f.service.revealSecret("SAP_USER", "cli"),
      rejectsWith("robot_not_signed_in"),
    );
    await assert.rejects(
      f.service.setSecret("SAP_USER", "x", "cli"),
      rejectsWith("robot_not_signed_in"),
    );

    await f.service.login(BOB, "cli");
    const shared = f.service.listSecrets().processes.find((p) => p.name === "Shared Process");
    assert.equal(shared?.variables.find((v) => v.name === "SAP_USER")?.set, false);
    const grant = await f.service.issueRunToken({ process: "Shared Process" }, "cli");
    await assert.rejects(
      f.service.readSecretForRun(grant.token, "SAP_USER"),
      rejectsWith("secret_value_missing"),
    );
    await f.service.setSecret("SAP_USER", "bob-user", "cli");
    assert.deepEqual(await f.service.readSecretForRun(grant.token, "SAP_USER"), {
      name: "SAP_USER",
      value: "bob-user",
    });
    const [read] = f.service.listAudit({ limit: 1 }).entries;
    assert.equal(read?.person, BOB.email);
    await f.service.logout("cli");

    await f.service.login(ANA, "cli");
    assert.equal((await f.service.revealSecret("SAP_USER", "cli")).value, "ana-user");
    const again = await f.service.issueRunToken({ process: "Shared Process" }, "cli");
    assert.deepEqual(await f.service.readSecretForRun(again.token, "SAP_USER"), {
      name: "SAP_USER",
      value: "ana-user",
    });
    assert.equal(f.vault.getSecret(BOB.email, "SAP_USER")?.value, "bob-user");
  });

  test("forget-person removes another person's stranded values, audited, never the signed-in one", async () => {
    // Ana is signed in (previous test); bob's value is stranded here.
    await assert.rejects(
      f.service.forgetPerson(` ${ANA.email.toUpperCase()}`, "cli"),
      rejectsWith("validation_failed"),
    );
    assert.deepEqual(await f.service.forgetPerson(BOB.email, "cli"), {
      email: BOB.email,
      removed: 1,
    });
    assert.equal(f.vault.getSecret(BOB.email, "SAP_USER"), undefined);
    assert.equal(f.vault.history(BOB.email, "SAP_USER").length, 0);
    assert.equal((await f.service.revealSecret("SAP_USER", "cli")).value, "ana-user");
    const [entry] = f.service.listAudit({ limit: 1, type: "person.forgotten" }).entries;
    assert.equal(entry?.person, BOB.email);
    assert.equal(entry?.actor, "cli");
    assert.equal(entry?.details?.count, 1);
    assert.ok(!JSON.stringify(entry).includes("bob-user"));
  });
});

describe("robot service on a vault made before values per person", () => {
  test("the values kept from before go to the last person signed in, at start", () => {
    const temp = makeTempDir();
    const fixture = join(import.meta.dirname, "../../../vault/test/fixtures/v3-vault");
    mkdirSync(temp.dataDir, { recursive: true, mode: 0o700 });
    mkdirSync(dirname(temp.keyFile), { recursive: true, mode: 0o700 });
    copyFileSync(join(fixture, "data", VAULT_FILE), join(temp.dataDir, VAULT_FILE));
    copyFileSync(join(fixture, "robot.key"), temp.keyFile);
    chmodSync(temp.keyFile, 0o600);
    const vault = openVault({ dataDir: temp.dataDir, keyFile: temp.keyFile });
    const logs: string[] = [];
    const service = createRobotService({
      vault,
      platformFor: () => {
        throw new Error("no platform in this test");
      },
      config: {
        dataDir: temp.dataDir,
        socketPath: join(temp.dataDir, "robot.sock"),
        platformUrl: undefined,
        syncIntervalMs: 30_000,
      },
      hostname: "test-host",
      log: (line) => logs.push(line),
    });
    try {
      // The fixture's robot.email is "Ana@Example.com": the person is the normalised email.
      assert.equal(vault.getSecret(ANA.email, "SAP_USER")?.value, "ana");
      assert.equal(vault.getSecret(ANA.email, "SAP_PASSWORD")?.value, "second");
      assert.deepEqual(logs, ["3 value(s) kept from before are now Ana@Example.com's."]);
      assert.ok(!logs.join("\n").includes("second"));
    } finally {
      service.close();
      vault.close();
      temp.remove();
    }
  });
});
