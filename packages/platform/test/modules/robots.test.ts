import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type DefinitionsResponse, DefinitionsResponseSchema } from "@heptora/protocol";
import { SIGN_OUT_RETENTION_MS } from "../../src/modules/robots/robots.repo.ts";
import { type Browser, startTestApp, type TestApp } from "../support/app.ts";
import { dialects } from "../support/dialects.ts";

const ANA_PASSWORD = "ana's long password";

for (const dialect of dialects()) {
  describe(`robot API and robots on ${dialect.name}`, () => {
    let t: TestApp;
    let admin: Browser;
    let ana: Browser;
    let invoiceId: string;
    let payrollId: string;
    let robotId: string;
    let token: string;

    const robot = (method: "GET" | "POST", url: string, body?: unknown, bearer = token) =>
      t.request(method, url, {
        ...(body !== undefined && { body }),
        headers: { authorization: `Bearer ${bearer}` },
      });
    const sync = async (cursor?: string): Promise<DefinitionsResponse> => {
      const query = cursor === undefined ? "" : `?cursor=${cursor}`;
      const response = await robot("GET", `/api/v1/robot/definitions${query}`);
      assert.equal(response.statusCode, 200, response.body);
      return DefinitionsResponseSchema.parse(response.json());
    };
    const robotLogin = (machineId: string, password = ANA_PASSWORD) =>
      t.request("POST", "/api/v1/robot/login", {
        body: { email: "ana@example.com", password, robotName: "ana-laptop", machineId },
      });

    before(async () => {
      t = await startTestApp(dialect);
      admin = await t.admin();
      ana = await t.member(admin, "ana@example.com", ANA_PASSWORD);
      const invoice = await admin.request("POST", "/api/v1/processes", {
        name: "Invoice Processing",
        description: "SAP",
      });
      invoiceId = invoice.json().id;
      for (const name of ["SAP_USER", "SAP_PASSWORD"]) {
        await admin.request("POST", `/api/v1/processes/${invoiceId}/variables`, {
          name,
          secret: name === "SAP_PASSWORD",
        });
      }
      payrollId = (await admin.request("POST", "/api/v1/processes", { name: "Payroll" })).json().id;
      await admin.request("POST", `/api/v1/processes/${payrollId}/variables`, {
        name: "BANK_TOKEN",
        secret: true,
      });
      await admin.request("PUT", `/api/v1/processes/${invoiceId}/assignees`, {
        userIds: [ana.user.id],
      });
      const login = await robotLogin("machine-1");
      assert.equal(login.statusCode, 200, login.body);
      ({ robotId, token } = login.json());
    });
    after(() => t.close());

    it("signs a robot in with the user's credentials and a prefixed bearer token", async () => {
      assert.match(token, /^hptr_[A-Za-z0-9_-]{43}$/);
      const wrong = await robotLogin("machine-1", "not ana's password");
      assert.equal(wrong.statusCode, 401);
      assert.equal(wrong.json().error.code, "invalid_credentials");
      const stored = await t.db.all<{ token_hash: string }>("SELECT token_hash FROM robots");
      assert.ok(stored.every((r) => r.token_hash !== token && /^[0-9a-f]{64}$/.test(r.token_hash)));
    });

    it("gives the full definitions of the processes assigned to the robot's user", async () => {
      const full = await sync();
      assert.equal(full.full, true);
      assert.deepEqual(full.removed, { processes: [] });
      const ids = full.processes[0]?.variables.map((v) => v.id) ?? [];
      assert.ok(ids.every((id) => typeof id === "string" && id.length > 0));
      assert.equal(new Set(ids).size, 2);
      assert.deepEqual(full.processes, [
        {
          id: invoiceId,
          name: "Invoice Processing",
          description: "SAP",
          variables: [
            { id: ids[0], name: "SAP_USER", secret: false, description: "" },
            { id: ids[1], name: "SAP_PASSWORD", secret: true, description: "" },
          ],
        },
      ]);
    });

    it("carries a renamed variable's id under its new name in the next sync", async () => {
      const { cursor, processes } = await sync();
      const before = processes[0]?.variables.find((v) => v.name === "SAP_PASSWORD");
      assert.ok(before?.id);
      const renamed = await admin.request(
        "PATCH",
        `/api/v1/processes/${invoiceId}/variables/SAP_PASSWORD`,
        { name: "SAP_PASSWORT" },
      );
      assert.equal(renamed.statusCode, 200);
      const changed = await sync(cursor);
      const after = changed.processes[0]?.variables.find((v) => v.id === before.id);
      assert.equal(after?.name, "SAP_PASSWORT");
      await admin.request("PATCH", `/api/v1/processes/${invoiceId}/variables/SAP_PASSWORT`, {
        name: "SAP_PASSWORD",
      });
      const back = await sync(changed.cursor);
      assert.equal(
        back.processes[0]?.variables.find((v) => v.id === before.id)?.name,
        "SAP_PASSWORD",
      );
    });

    it("answers a sync with nothing new with an empty change set", async () => {
      const { cursor } = await sync();
      const again = await sync(cursor);
      assert.deepEqual(again, { cursor, full: false, processes: [], removed: { processes: [] } });
    });

    it("sends only processes changed since the cursor, complete, and the removals", async () => {
      const { cursor: c1 } = await sync();
      await admin.request("PATCH", `/api/v1/processes/${invoiceId}/variables/SAP_USER`, {
        description: "Login",
      });
      await admin.request("PATCH", `/api/v1/processes/${payrollId}`, { description: "unseen" });
      const changed = await sync(c1);
      assert.equal(changed.full, false);
      assert.deepEqual(
        changed.processes.map((p) => [p.id, p.variables.length]),
        [[invoiceId, 2]],
      );
      assert.equal(changed.processes[0]?.variables[0]?.description, "Login");

      await admin.request("PUT", `/api/v1/processes/${payrollId}/assignees`, {
        userIds: [ana.user.id],
      });
      const assigned = await sync(changed.cursor);
      assert.deepEqual(
        assigned.processes.map((p) => p.name),
        ["Payroll"],
      );

      await admin.request("PUT", `/api/v1/processes/${payrollId}/assignees`, { userIds: [] });
      const unassigned = await sync(assigned.cursor);
      assert.deepEqual(unassigned.processes, []);
      assert.deepEqual(unassigned.removed.processes, [payrollId]);

      // Assigned again after its removal: it comes back and is no longer "removed".
      await admin.request("PUT", `/api/v1/processes/${payrollId}/assignees`, {
        userIds: [ana.user.id],
      });
      const back = await sync(c1);
      assert.deepEqual(back.processes.map((p) => p.name).sort(), ["Invoice Processing", "Payroll"]);
      assert.deepEqual(back.removed.processes, []);

      await admin.request("DELETE", `/api/v1/processes/${payrollId}`);
      const deleted = await sync(back.cursor);
      assert.deepEqual(deleted.processes, []);
      assert.deepEqual(deleted.removed.processes, [payrollId]);
    });

    it("answers an unknown cursor with a full sync and a malformed one with 400", async () => {
      const ahead = await sync("999999999");
      assert.equal(ahead.full, true);
      assert.equal(ahead.processes.length, 1);
      const bad = await robot("GET", "/api/v1/robot/definitions?cursor=abc");
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.code, "validation_failed");
    });

    it("takes a status report of names only; any other field is a 400 and stores nothing", async () => {
      const smuggled = await robot("POST", "/api/v1/robot/status", {
        secrets: [{ name: "SAP_PASSWORD", set: true, value: "hunter2-secret" }],
      });
      assert.equal(smuggled.statusCode, 400);
      assert.doesNotMatch(smuggled.body, /hunter2-secret/);
      const extraTop = await robot("POST", "/api/v1/robot/status", {
        secrets: [],
        values: { SAP_PASSWORD: "x" },
      });
      assert.equal(extraTop.statusCode, 400);
      const stored = await t.db.all("SELECT * FROM robot_secrets");
      assert.deepEqual(stored, []);

      const report = await robot("POST", "/api/v1/robot/status", {
        secrets: [
          { name: "SAP_PASSWORD", set: true, updatedAt: "2025-06-01T08:00:00.000Z" },
          { name: "SAP_USER", set: false },
        ],
      });
      assert.equal(report.statusCode, 204);
      const detail = await admin.request("GET", `/api/v1/robots/${robotId}`);
      assert.equal(detail.statusCode, 200);
      const body = detail.json();
      assert.equal(body.owner.email, "ana@example.com");
      assert.deepEqual(body.processes, [
        {
          id: invoiceId,
          name: "Invoice Processing",
          variables: [
            { name: "SAP_USER", secret: false, set: false, updatedAt: null },
            {
              name: "SAP_PASSWORD",
              secret: true,
              set: true,
              updatedAt: "2025-06-01T08:00:00.000Z",
            },
          ],
        },
      ]);
    });

    it("lists robots: admins see all, members their own", async () => {
      const list = (await admin.request("GET", "/api/v1/robots")).json();
      assert.equal(list.robots.length, 1);
      const [r] = list.robots;
      assert.equal(r.id, robotId);
      assert.equal(r.name, "ana-laptop");
      assert.equal(r.machineId, "machine-1");
      assert.deepEqual(r.owner, { id: ana.user.id, email: "ana@example.com" });
      assert.equal(r.online, true);
      assert.equal(typeof r.lastSeenAt, "string");
      assert.ok(Array.isArray(r.secrets));
      assert.equal((await ana.request("GET", "/api/v1/robots")).json().robots.length, 1);
      const bob = await t.member(admin, "bob@example.com");
      assert.deepEqual((await bob.request("GET", "/api/v1/robots")).json(), { robots: [] });
      const notHis = await bob.request("DELETE", `/api/v1/robots/${robotId}`);
      assert.equal(notHis.statusCode, 404);
      assert.equal(notHis.json().error.code, "robot_not_found");
    });

    it("keeps robot tokens and web sessions apart", async () => {
      const web = await robot("GET", "/api/v1/processes");
      assert.equal(web.statusCode, 401);
      const cookieOnRobotApi = await ana.request("GET", "/api/v1/robot/definitions");
      assert.equal(cookieOnRobotApi.statusCode, 401);
      assert.equal(cookieOnRobotApi.json().error.code, "invalid_robot_token");
    });

    it("reuses the robot on a new sign-in from the same machine and rotates its token", async () => {
      const again = await robotLogin("machine-1");
      assert.equal(again.json().robotId, robotId);
      const old = await robot("GET", "/api/v1/robot/definitions");
      assert.equal(old.statusCode, 401);
      assert.equal(old.json().error.code, "invalid_robot_token");
      assert.equal(old.json().error.details, undefined);
      token = again.json().token;
      assert.equal((await robot("GET", "/api/v1/robot/definitions")).statusCode, 200);
    });

    it("refuses a revoked robot's token at once, and a signed-out one", async () => {
      const revoked = await admin.request("DELETE", `/api/v1/robots/${robotId}`);
      assert.equal(revoked.statusCode, 204);
      const refused = await robot("GET", "/api/v1/robot/definitions");
      assert.equal(refused.statusCode, 401);
      assert.equal(refused.json().error.code, "invalid_robot_token");
      assert.deepEqual(refused.json().error.details, { reason: "revoked" });
      assert.deepEqual((await admin.request("GET", "/api/v1/robots")).json(), { robots: [] });

      const other = (await robotLogin("machine-2")).json();
      const out = await robot("POST", "/api/v1/robot/logout", undefined, other.token);
      assert.equal(out.statusCode, 204);
      const after = await robot("GET", "/api/v1/robot/definitions", undefined, other.token);
      assert.equal(after.statusCode, 401);
      // The robot signed itself out: no reason to give it.
      assert.equal(after.json().error.details, undefined);
    });

    it("forgets why a token ended after 90 days, and still refuses it", async () => {
      const first = (await robotLogin("machine-3")).json();
      await admin.request("DELETE", `/api/v1/robots/${first.robotId}`);
      t.clock.advance(SIGN_OUT_RETENTION_MS + 60_000);
      const fresh = await t.admin();
      const second = (await robotLogin("machine-4")).json();
      await fresh.request("DELETE", `/api/v1/robots/${second.robotId}`);
      const old = await robot("GET", "/api/v1/robot/definitions", undefined, first.token);
      assert.equal(old.statusCode, 401);
      assert.equal(old.json().error.details, undefined);
      const recent = await robot("GET", "/api/v1/robot/definitions", undefined, second.token);
      assert.deepEqual(recent.json().error.details, { reason: "revoked" });
    });
  });
}

for (const dialect of dialects()) {
  describe(`a robot shared by two people on ${dialect.name}`, () => {
    let t: TestApp;
    let admin: Browser;
    let ana: Browser;
    let bob: Browser;

    const login = (email: string, password: string) =>
      t.request("POST", "/api/v1/robot/login", {
        body: { email, password, robotName: "shared-pc", machineId: "machine-shared" },
      });
    const report = (token: string, body: unknown) =>
      t.request("POST", "/api/v1/robot/status", {
        body,
        headers: { authorization: `Bearer ${token}` },
      });

    before(async () => {
      t = await startTestApp(dialect);
      admin = await t.admin();
      ana = await t.member(admin, "ana@example.com", ANA_PASSWORD);
      bob = await t.member(admin, "bob@example.com", "bob's long password");
      const invoice = (
        await admin.request("POST", "/api/v1/processes", { name: "Invoice" })
      ).json();
      await admin.request("POST", `/api/v1/processes/${invoice.id}/variables`, {
        name: "SAP_USER",
      });
      await admin.request("POST", `/api/v1/processes/${invoice.id}/variables`, {
        name: "SAP_PASSWORD",
        secret: true,
      });
      await admin.request("PUT", `/api/v1/processes/${invoice.id}/assignees`, {
        userIds: [ana.user.id, bob.user.id],
      });
    });
    after(() => t.close());

    it("keeps each person's report, names the person by the token, never by the body", async () => {
      const first = await login("ana@example.com", ANA_PASSWORD);
      assert.equal(first.statusCode, 200, first.body);
      const { robotId, token: anaToken } = first.json();

      // The person is the token's owner: a `user` field, or a value, is a 400 and stores nothing.
      const claimed = await report(anaToken, {
        secrets: [{ name: "SAP_USER", set: true }],
        user: bob.user.id,
      });
      assert.equal(claimed.statusCode, 400);
      const inEntry = await report(anaToken, {
        secrets: [{ name: "SAP_USER", set: true, user: { id: bob.user.id } }],
      });
      assert.equal(inEntry.statusCode, 400);
      const smuggled = await report(anaToken, {
        secrets: [{ name: "SAP_PASSWORD", set: true, value: "hunter2-secret" }],
      });
      assert.equal(smuggled.statusCode, 400);
      assert.doesNotMatch(smuggled.body, /hunter2-secret/);
      assert.deepEqual(await t.db.all("SELECT * FROM robot_secrets"), []);

      const anaReport = await report(anaToken, {
        secrets: [
          { name: "SAP_PASSWORD", set: true, updatedAt: "2025-06-01T08:00:00.000Z" },
          { name: "SAP_USER", set: true, updatedAt: "2025-06-01T08:00:00.000Z" },
        ],
      });
      assert.equal(anaReport.statusCode, 204);

      // bob signs in on the same machine: the same robot, now his; ana's token stops working.
      const second = await login("bob@example.com", "bob's long password");
      assert.equal(second.statusCode, 200, second.body);
      assert.equal(second.json().robotId, robotId);
      const bobToken: string = second.json().token;
      assert.equal((await report(anaToken, { secrets: [] })).statusCode, 401);
      const bobReport = await report(bobToken, {
        secrets: [
          { name: "SAP_PASSWORD", set: false },
          { name: "SAP_USER", set: true, updatedAt: "2025-07-01T09:00:00.000Z" },
        ],
      });
      assert.equal(bobReport.statusCode, 204);

      const anaSecrets = [
        { name: "SAP_PASSWORD", set: true, updatedAt: "2025-06-01T08:00:00.000Z" },
        { name: "SAP_USER", set: true, updatedAt: "2025-06-01T08:00:00.000Z" },
      ];
      const bobSecrets = [
        { name: "SAP_PASSWORD", set: false, updatedAt: null },
        { name: "SAP_USER", set: true, updatedAt: "2025-07-01T09:00:00.000Z" },
      ];
      const list = (await admin.request("GET", "/api/v1/robots")).json();
      assert.equal(list.robots.length, 1);
      const [r] = list.robots;
      assert.equal(r.id, robotId);
      assert.deepEqual(r.owner, { id: bob.user.id, email: "bob@example.com" });
      // `secrets` stays the current owner's report.
      assert.deepEqual(r.secrets, bobSecrets);
      assert.deepEqual(
        r.coverage.map((c: { user: unknown; secrets: unknown }) => [c.user, c.secrets]),
        [
          [{ id: ana.user.id, email: "ana@example.com" }, anaSecrets],
          [{ id: bob.user.id, email: "bob@example.com" }, bobSecrets],
        ],
      );
      assert.ok(
        r.coverage.every((c: { reportedAt: string }) => !Number.isNaN(Date.parse(c.reportedAt))),
      );

      // The detail has the same coverage; its variables are the current owner's.
      const detail = (await admin.request("GET", `/api/v1/robots/${robotId}`)).json();
      assert.deepEqual(detail.coverage, r.coverage);
      assert.deepEqual(
        detail.processes[0].variables.map((v: { name: string; set: boolean }) => [v.name, v.set]),
        [
          ["SAP_USER", true],
          ["SAP_PASSWORD", false],
        ],
      );

      // A member sees their own coverage only; ana no longer owns the robot.
      const bobsView = (await bob.request("GET", "/api/v1/robots")).json();
      assert.deepEqual(
        bobsView.robots[0].coverage.map((c: { user: { email: string } }) => c.user.email),
        ["bob@example.com"],
      );
      assert.deepEqual((await ana.request("GET", "/api/v1/robots")).json(), { robots: [] });

      // ana again: her report replaces only hers.
      const again = (await login("ana@example.com", ANA_PASSWORD)).json();
      assert.equal(again.robotId, robotId);
      await report(again.token, { secrets: [{ name: "SAP_USER", set: false }] });
      const after = (await admin.request("GET", "/api/v1/robots")).json().robots[0];
      assert.equal(after.owner.email, "ana@example.com");
      assert.deepEqual(after.secrets, [{ name: "SAP_USER", set: false, updatedAt: null }]);
      assert.deepEqual(
        after.coverage.map((c: { secrets: unknown }) => c.secrets),
        [[{ name: "SAP_USER", set: false, updatedAt: null }], bobSecrets],
      );
    });
  });
}
