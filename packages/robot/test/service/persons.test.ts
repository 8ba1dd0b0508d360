/**
 * Values per person on a machine (docs/adr/0066): the robot serves the signed-in person's values
 * only, in the Secrets window, the CLI and runs; another person's stay sealed until they sign in
 * again.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { HeptoraError } from "@heptora/protocol";
import { ANA, BOB, type ServiceFixture, serviceFixture } from "../support/service.ts";

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
});
