import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AuditListResponseSchema } from "@heptora/protocol";
import { ADMIN_PASSWORD, type Browser, startTestApp, type TestApp } from "../support/app.ts";
import { dialects } from "../support/dialects.ts";

for (const dialect of dialects()) {
  describe(`platform audit on ${dialect.name}`, () => {
    let t: TestApp;
    let admin: Browser;
    let ana: Browser;
    let processId: string;
    let robotToken: string;
    let robotId: string;
    const ANA_PASSWORD = "ana's long password";

    const events = async (query = "") => {
      const response = await admin.request("GET", `/api/v1/audit${query}`);
      assert.equal(response.statusCode, 200, response.body);
      return AuditListResponseSchema.parse(response.json());
    };

    before(async () => {
      t = await startTestApp(dialect);
      admin = await t.admin();
      ana = await t.member(admin, "ana@example.com", ANA_PASSWORD);
      processId = (await admin.request("POST", "/api/v1/processes", { name: "Invoices" })).json()
        .id;
      await admin.request("POST", `/api/v1/processes/${processId}/variables`, {
        name: "SAP_PASSWORD",
        secret: true,
      });
      await admin.request("PUT", `/api/v1/processes/${processId}/assignees`, {
        userIds: [ana.user.id],
      });
      await t.request("POST", "/api/v1/auth/login", {
        body: { email: "ana@example.com", password: "wrong password" },
      });
      const robot = await t.request("POST", "/api/v1/robot/login", {
        body: {
          email: "ana@example.com",
          password: ANA_PASSWORD,
          robotName: "r1",
          machineId: "m1",
        },
      });
      ({ token: robotToken, robotId } = robot.json());
      await admin.request("DELETE", `/api/v1/robots/${robotId}`);
    });
    after(() => t.close());

    it("records sign-ins and changes, newest first, with actor, target and outcome", async () => {
      const { events: all } = await events();
      const actions = all.map((e) => `${e.action}:${e.outcome}`);
      for (const expected of [
        "auth.login:ok",
        "auth.login:failed",
        "user.created:ok",
        "process.created:ok",
        "variable.created:ok",
        "process.assignees_changed:ok",
        "robot.login:ok",
        "robot.revoked:ok",
      ]) {
        assert.ok(actions.includes(expected), `missing ${expected} in ${actions.join(", ")}`);
      }
      assert.equal(all[0]?.action, "robot.revoked");
      const created = all.find((e) => e.action === "process.created");
      assert.deepEqual(created?.actor, { id: admin.user.id, email: admin.user.email });
      assert.deepEqual(created?.target, { type: "process", id: processId, name: "Invoices" });
      assert.equal(typeof created?.ip, "string");
    });

    it("filters by process, robot, actor and action, and pages with before", async () => {
      const byProcess = await events(`?processId=${processId}`);
      assert.deepEqual(byProcess.events.map((e) => e.action).reverse(), [
        "process.created",
        "variable.created",
        "process.assignees_changed",
      ]);
      const byRobot = await events(`?robotId=${robotId}`);
      assert.deepEqual(
        byRobot.events.map((e) => e.action),
        ["robot.revoked", "robot.login"],
      );
      const byActor = await events(`?actorId=${ana.user.id}&action=auth.login`);
      assert.ok(byActor.events.length >= 2);
      assert.ok(byActor.events.every((e) => e.actor?.id === ana.user.id));
      const page1 = await events("?limit=2");
      assert.equal(page1.events.length, 2);
      assert.ok(page1.nextBefore);
      const page2 = await events(`?limit=2&before=${page1.nextBefore}`);
      assert.ok(Number(page2.events[0]?.id) < Number(page1.events[1]?.id));
      const future = await events("?from=2100-01-01T00:00:00.000Z");
      assert.deepEqual(future.events, []);
    });

    it("never holds a password or token", async () => {
      const { events: all } = await events("?limit=500");
      const text = JSON.stringify(all);
      for (const secret of [ADMIN_PASSWORD, ANA_PASSWORD, "wrong password", robotToken]) {
        assert.ok(!text.includes(secret));
      }
      const rows = JSON.stringify(await t.db.all("SELECT * FROM audit_events"));
      assert.ok(!rows.includes(robotToken) && !rows.includes(ANA_PASSWORD));
    });

    it("is for admins only, and records the refusal", async () => {
      const refused = await ana.request("GET", "/api/v1/audit");
      assert.equal(refused.statusCode, 403);
      const { events: denied } = await events("?action=access.denied");
      assert.equal(denied[0]?.outcome, "denied");
      assert.equal(denied[0]?.actor?.id, ana.user.id);
    });
  });
}
