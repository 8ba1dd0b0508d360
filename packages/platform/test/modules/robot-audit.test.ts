/**
 * The robots' audit checkpoints (issue 12, docs/adr/0074): each status report may carry where the
 * robot's audit log stands (vault id, last seq, a hash of that entry's MAC); a report behind the
 * one before flags the robot in GET /robots for good. On every dialect.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestApp, type TestApp } from "../support/app.ts";
import { dialects } from "../support/dialects.ts";

const ANA_PASSWORD = "ana's long password";
const HEAD_A = "a".repeat(64);
const HEAD_B = "b".repeat(64);

for (const dialect of dialects()) {
  describe(`robot audit checkpoints on ${dialect.name}`, () => {
    let t: TestApp;
    let admin: Awaited<ReturnType<TestApp["admin"]>>;
    let ana: Awaited<ReturnType<TestApp["member"]>>;

    const signIn = async (machineId: string) => {
      const login = await t.request("POST", "/api/v1/robot/login", {
        body: { email: "ana@example.com", password: ANA_PASSWORD, robotName: machineId, machineId },
      });
      assert.equal(login.statusCode, 200, login.body);
      return login.json() as { robotId: string; token: string };
    };
    const report = (token: string, audit: unknown) =>
      t.request("POST", "/api/v1/robot/status", {
        body: { secrets: [], audit },
        headers: { authorization: `Bearer ${token}` },
      });
    const robotOf = async (who: typeof admin, robotId: string) => {
      const list = await who.request("GET", "/api/v1/robots");
      assert.equal(list.statusCode, 200, list.body);
      return (list.json().robots as { id: string; auditLog: unknown }[]).find(
        (r) => r.id === robotId,
      );
    };

    before(async () => {
      t = await startTestApp(dialect);
      admin = await t.admin();
      ana = await t.member(admin, "ana@example.com", ANA_PASSWORD);
    });
    after(() => t.close());

    it("keeps the checkpoint of each report and shows it on the robots list", async () => {
      const { robotId, token } = await signIn("machine-forward");
      assert.equal((await robotOf(admin, robotId))?.auditLog, null);
      assert.equal((await report(token, { vaultId: "v1", seq: 10, head: HEAD_A })).statusCode, 204);
      assert.equal((await report(token, { vaultId: "v1", seq: 12, head: HEAD_B })).statusCode, 204);
      const robot = (await robotOf(admin, robotId)) as {
        auditLog: { seq: number; wentBackwards: unknown };
      };
      assert.equal(robot.auditLog.seq, 12);
      assert.equal(robot.auditLog.wentBackwards, null);
    });

    it("flags a robot whose audit log went backwards, for good, and says it at the next sign-in too", async () => {
      const { robotId, token } = await signIn("machine-restored");
      await report(token, { vaultId: "v2", seq: 40, head: HEAD_A });
      // The vault file was restored from an older copy: fewer entries.
      assert.equal((await report(token, { vaultId: "v2", seq: 25, head: HEAD_B })).statusCode, 204);
      await report(token, { vaultId: "v2", seq: 60, head: HEAD_A });
      // Signing in again on the same machine keeps the robot, and the flag.
      const again = await signIn("machine-restored");
      assert.equal(again.robotId, robotId);
      const robot = (await robotOf(ana, robotId)) as {
        auditLog: { seq: number; wentBackwards: { at: string; message: string } | null };
      };
      assert.equal(robot.auditLog.seq, 60);
      assert.match(robot.auditLog.wentBackwards?.message ?? "", /went backwards.*40.*25/);
    });

    it("flags the same entry with another hash, and another vault on the same robot", async () => {
      const same = await signIn("machine-rewritten");
      await report(same.token, { vaultId: "v3", seq: 7, head: HEAD_A });
      await report(same.token, { vaultId: "v3", seq: 7, head: HEAD_B });
      const rewritten = (await robotOf(admin, same.robotId)) as {
        auditLog: { wentBackwards: { message: string } | null };
      };
      assert.match(rewritten.auditLog.wentBackwards?.message ?? "", /entry 7 is not the one/);

      const replaced = await signIn("machine-replaced");
      await report(replaced.token, { vaultId: "v4", seq: 30, head: HEAD_A });
      await report(replaced.token, { vaultId: "v5", seq: 2, head: HEAD_B });
      const robot = (await robotOf(admin, replaced.robotId)) as {
        auditLog: { wentBackwards: { message: string } | null };
      };
      assert.match(robot.auditLog.wentBackwards?.message ?? "", /vault was replaced/);
    });

    it("refuses a malformed checkpoint with 400 and stores nothing", async () => {
      const { robotId, token } = await signIn("machine-bad");
      for (const audit of [
        { vaultId: "v6", seq: -1, head: HEAD_A },
        { vaultId: "v6", seq: 1, head: "not-a-hash" },
        { vaultId: "v6", seq: 1, head: HEAD_A, mac: "x" },
        { vaultId: "../v6", seq: 1, head: HEAD_A },
      ]) {
        const response = await report(token, audit);
        assert.equal(response.statusCode, 400, JSON.stringify(audit));
        assert.equal(response.json().error.code, "validation_failed");
      }
      assert.equal((await robotOf(admin, robotId))?.auditLog, null);
    });
  });
}
