import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type DefinitionsResponse, DefinitionsResponseSchema } from "@heptora/protocol";
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  type Browser,
  ORIGIN,
  startTestApp,
  type TestApp,
} from "./support/app.ts";
import { dialects, type TestDatabase } from "./support/dialects.ts";

/** The same signed-in browser, its requests sent to another instance. */
function via(instance: TestApp, browser: Browser): Browser {
  return {
    ...browser,
    request: (method, url, body) =>
      instance.request(method, url, {
        ...(body !== undefined && { body }),
        headers: { cookie: browser.cookie, origin: ORIGIN, "x-csrf-token": browser.csrfToken },
      }),
  };
}

for (const dialect of dialects()) {
  describe(`two instances on one ${dialect.name} database serve as one`, () => {
    let database: TestDatabase;
    let a: TestApp;
    let b: TestApp;
    before(async () => {
      database = await dialect.create();
      // Both start (and migrate) at the same time.
      [a, b] = await Promise.all([
        startTestApp(dialect, { database }),
        startTestApp(dialect, { database }),
      ]);
    });
    after(async () => {
      await a.close();
      await b.close();
      await database.drop();
    });

    it("honours a session signed in on one instance on the other", async () => {
      const onA = await a.admin();
      const onB = via(b, onA);
      assert.equal((await onB.request("GET", "/api/v1/auth/session")).statusCode, 200);
      const created = await onB.request("POST", "/api/v1/processes", { name: "Shared" });
      assert.equal(created.statusCode, 201);
      const seen = (await onA.request("GET", "/api/v1/processes")).json();
      assert.deepEqual(
        seen.processes.map((p: { name: string }) => p.name),
        ["Shared"],
      );
      assert.equal((await onB.request("POST", "/api/v1/auth/logout")).statusCode, 204);
      assert.equal((await onA.request("GET", "/api/v1/auth/session")).statusCode, 401);
    });

    it("counts sign-in failures across both instances", async () => {
      const attempt = (instance: TestApp, password: string) =>
        instance.app.inject({
          method: "POST",
          url: "/api/v1/auth/login",
          remoteAddress: "10.1.1.1",
          headers: { "content-type": "application/json" },
          payload: JSON.stringify({ email: ADMIN_EMAIL, password }),
        });
      for (const instance of [a, b, a, b, a]) {
        assert.equal((await attempt(instance, "wrong password")).statusCode, 401);
      }
      const locked = await attempt(b, ADMIN_PASSWORD);
      assert.equal(locked.statusCode, 429);
      assert.equal(locked.json().error.code, "too_many_attempts");
      // Both clocks move past the window: the account opens again on either instance.
      a.clock.advance(16 * 60_000);
      b.clock.advance(16 * 60_000);
      assert.equal((await attempt(b, ADMIN_PASSWORD)).statusCode, 200);
    });

    it("shows a change made through one instance in a robot's cursor sync through the other", async () => {
      const admin = await a.login(ADMIN_EMAIL, ADMIN_PASSWORD);
      const adminOnB = via(b, admin);
      const id = (await admin.request("POST", "/api/v1/processes", { name: "Payroll" })).json().id;
      await admin.request("PUT", `/api/v1/processes/${id}/assignees`, { userIds: [admin.user.id] });
      const login = await b.request("POST", "/api/v1/robot/login", {
        body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD, robotName: "r", machineId: "m" },
      });
      const { token } = login.json();
      const sync = async (instance: TestApp, cursor?: string): Promise<DefinitionsResponse> => {
        const response = await instance.request(
          "GET",
          `/api/v1/robot/definitions${cursor === undefined ? "" : `?cursor=${cursor}`}`,
          { headers: { authorization: `Bearer ${token}` } },
        );
        assert.equal(response.statusCode, 200, response.body);
        return DefinitionsResponseSchema.parse(response.json());
      };
      const full = await sync(a);
      assert.deepEqual(
        full.processes.map((p) => p.name),
        ["Payroll"],
      );
      const added = await adminOnB.request("POST", `/api/v1/processes/${id}/variables`, {
        name: "BANK_TOKEN",
        secret: true,
      });
      const changed = await sync(a, full.cursor);
      assert.deepEqual(changed.processes[0]?.variables, [
        { id: added.json().id, name: "BANK_TOKEN", secret: true, description: "" },
      ]);
      await admin.request("DELETE", `/api/v1/processes/${id}`);
      const removed = await sync(b, changed.cursor);
      assert.deepEqual(removed.removed.processes, [id]);
      assert.deepEqual(await sync(a, removed.cursor), {
        cursor: removed.cursor,
        full: false,
        processes: [],
        removed: { processes: [] },
      });

      // A password reset asked for on one instance is confirmed on the other.
      await a.request("POST", "/api/v1/auth/password-reset", { body: { email: ADMIN_EMAIL } });
      const mail = await a.mailer.next();
      const resetToken = /token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
      const confirmed = await b.request("POST", "/api/v1/auth/password-reset/confirm", {
        body: { token: resetToken, password: "a brand new password" },
      });
      assert.equal(confirmed.statusCode, 204);
    });

    it("loses no change when writers on both instances race a syncing robot", async () => {
      const admin = await a.login(ADMIN_EMAIL, "a brand new password");
      const adminOnB = via(b, admin);
      const id = (await admin.request("POST", "/api/v1/processes", { name: "Race" })).json().id;
      await admin.request("PUT", `/api/v1/processes/${id}/assignees`, { userIds: [admin.user.id] });
      const login = await a.request("POST", "/api/v1/robot/login", {
        body: {
          email: ADMIN_EMAIL,
          password: "a brand new password",
          robotName: "r",
          machineId: "m2",
        },
      });
      const { token } = login.json();
      const sync = async (instance: TestApp, cursor?: string) => {
        const query = cursor === undefined ? "" : `?cursor=${cursor}`;
        const response = await instance.request("GET", `/api/v1/robot/definitions${query}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        return DefinitionsResponseSchema.parse(response.json());
      };
      // The robot's view, built only from incremental answers.
      const view = new Map<string, string[]>();
      const apply = (answer: DefinitionsResponse) => {
        if (answer.full) view.clear();
        for (const p of answer.processes)
          view.set(
            p.id,
            p.variables.map((v) => v.name),
          );
        for (const removed of answer.removed.processes) view.delete(removed);
        return answer.cursor;
      };
      let cursor = apply(await sync(a));
      let done = false;
      const writes = Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          (i % 2 === 0 ? admin : adminOnB).request("POST", `/api/v1/processes/${id}/variables`, {
            name: `V_${i}`,
            secret: true,
          }),
        ),
      ).then((responses) => {
        done = true;
        return responses;
      });
      for (let round = 0; round < 500 && !done; round++) {
        cursor = apply(await sync(round % 2 === 0 ? a : b, cursor));
      }
      assert.ok((await writes).every((r) => r.statusCode === 201));
      apply(await sync(b, cursor));
      const truth = await sync(a);
      assert.deepEqual(
        view.get(id)?.sort(),
        truth.processes
          .find((p) => p.id === id)
          ?.variables.map((v) => v.name)
          .sort(),
      );
      assert.equal(view.get(id)?.length, 12);
    });
  });
}
