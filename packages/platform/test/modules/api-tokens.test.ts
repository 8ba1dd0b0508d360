/**
 * Admin API tokens through the HTTP API (docs/adr/0072): created by an admin's web session,
 * shown once, used as `Authorization: Bearer` without cookie, Origin or CSRF token, scoped
 * (read / admin), revocable, audited, stored only as their SHA-256.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import {
  ApiTokenListResponseSchema,
  type AuditEvent,
  CreatedApiTokenSchema,
} from "@heptora/protocol";
import { buildApp } from "../../src/app.ts";
import { loggerOptions } from "../../src/http/logging.ts";
import {
  type Browser,
  HOST,
  memoryMailer,
  ORIGIN,
  startTestApp,
  type TestApp,
} from "../support/app.ts";
import { dialects } from "../support/dialects.ts";

const MINUTE = 60_000;

for (const dialect of dialects()) {
  describe(`admin API tokens on ${dialect.name}`, () => {
    let t: TestApp;
    let admin: Browser;

    /** A plain HTTP client with only the bearer token: no cookie, Origin or CSRF token. */
    const withToken = (
      token: string,
      method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
      url: string,
      body?: unknown,
    ) =>
      t.request(method, url, {
        ...(body !== undefined && { body }),
        headers: { authorization: `Bearer ${token}` },
      });

    const create = async (name: string, scope: "read" | "admin", by = admin) => {
      const response = await by.request("POST", "/api/v1/tokens", { name, scope });
      assert.equal(response.statusCode, 201, response.body);
      return CreatedApiTokenSchema.parse(response.json());
    };
    const list = async () => {
      const response = await admin.request("GET", "/api/v1/tokens");
      assert.equal(response.statusCode, 200, response.body);
      return ApiTokenListResponseSchema.parse(response.json()).tokens;
    };
    const audit = async (query: string): Promise<AuditEvent[]> => {
      const response = await admin.request("GET", `/api/v1/audit${query}`);
      assert.equal(response.statusCode, 200, response.body);
      return response.json().events;
    };
    const processNames = async () =>
      (await admin.request("GET", "/api/v1/processes"))
        .json()
        .processes.map((p: { name: string }) => p.name);

    before(async () => {
      t = await startTestApp(dialect);
      admin = await t.admin();
    });
    after(() => t.close());

    it("shows a new token once, recognisable by its hpt_ prefix, and lists it without the token", async () => {
      const created = await create("  CI deploy  ", "read");
      assert.deepEqual(Object.keys(created).sort(), ["id", "name", "scope", "token"]);
      assert.equal(created.name, "CI deploy");
      assert.equal(created.scope, "read");
      assert.match(created.token, /^hpt_[A-Za-z0-9_-]{43}$/);
      const listed = (await list()).find((token) => token.id === created.id);
      assert.ok(listed);
      assert.equal(listed.name, "CI deploy");
      assert.equal(listed.scope, "read");
      assert.equal(listed.lastUsedAt, null);
      assert.equal(listed.createdAt, new Date(t.clock.now()).toISOString());
      assert.equal(listed.createdBy.id, admin.user.id);
      const body = (await admin.request("GET", "/api/v1/tokens")).body;
      assert.ok(!body.includes(created.token), "the list never shows a token");
    });

    it("lets a read token GET the admin API with no cookie, Origin or CSRF token; last use is written at most once a minute", async () => {
      const { id, token } = await create("nightly report", "read");
      for (const url of ["/api/v1/processes", "/api/v1/users", "/api/v1/robots", "/api/v1/audit"]) {
        const response = await withToken(token, "GET", url);
        assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
      }
      const firstUse = new Date(t.clock.now()).toISOString();
      const lastUsed = async () => (await list()).find((x) => x.id === id)?.lastUsedAt;
      assert.equal(await lastUsed(), firstUse);
      t.clock.advance(30_000);
      await withToken(token, "GET", "/api/v1/processes");
      assert.equal(await lastUsed(), firstUse, "not rewritten within a minute");
      t.clock.advance(MINUTE);
      await withToken(token, "GET", "/api/v1/processes");
      assert.equal(await lastUsed(), new Date(t.clock.now()).toISOString());
    });

    it("refuses every write with a read token with 403 api_token_read_only, and nothing changes", async () => {
      const { token } = await create("read only", "read");
      const before = await processNames();
      const attempts = [
        await withToken(token, "POST", "/api/v1/processes", { name: "Sneaky" }),
        await withToken(token, "POST", "/api/v1/users", { email: "x@example.com", role: "admin" }),
      ];
      for (const refused of attempts) {
        assert.equal(refused.statusCode, 403, refused.body);
        assert.equal(refused.json().error.code, "api_token_read_only");
        assert.match(refused.json().error.hint, /admin scope/);
      }
      assert.deepEqual(await processNames(), before);
      const users = (await admin.request("GET", "/api/v1/users")).json().users;
      assert.ok(!users.some((u: { email: string }) => u.email === "x@example.com"));
    });

    it("lets an admin token change things without CSRF or Origin, audited as the admin through that token", async () => {
      const { id, token } = await create("provisioning", "admin");
      const made = await withToken(token, "POST", "/api/v1/processes", {
        name: "Invoice Processing",
      });
      assert.equal(made.statusCode, 201, made.body);
      const processId = made.json().id;
      const variable = await withToken(token, "POST", `/api/v1/processes/${processId}/variables`, {
        name: "SAP_USER",
        secret: true,
      });
      assert.equal(variable.statusCode, 201, variable.body);
      const [event] = await audit(`?processId=${processId}&action=process.created`);
      assert.equal(event?.actor?.id, admin.user.id);
      assert.deepEqual(event?.details.apiToken, { id, name: "provisioning" });
    });

    it("never lets a token manage tokens or act on the session: 403 api_token_not_allowed", async () => {
      const { id, token } = await create("full power", "admin");
      const attempts = [
        await withToken(token, "GET", "/api/v1/tokens"),
        await withToken(token, "POST", "/api/v1/tokens", { name: "child", scope: "admin" }),
        await withToken(token, "DELETE", `/api/v1/tokens/${id}`),
        await withToken(token, "GET", "/api/v1/auth/session"),
      ];
      for (const refused of attempts) {
        assert.equal(refused.statusCode, 403, refused.body);
        assert.equal(refused.json().error.code, "api_token_not_allowed");
      }
      assert.ok(
        (await list()).some((x) => x.id === id),
        "still there",
      );
      assert.ok(!(await list()).some((x) => x.name === "child"));
    });

    it("revokes a token at once: its next use is 401 invalid_api_token (revoked); created and revoked are audited", async () => {
      const { id, token } = await create("to revoke", "admin");
      assert.equal((await withToken(token, "GET", "/api/v1/processes")).statusCode, 200);
      const revoked = await admin.request("DELETE", `/api/v1/tokens/${id}`);
      assert.equal(revoked.statusCode, 204);
      const refused = await withToken(token, "GET", "/api/v1/processes");
      assert.equal(refused.statusCode, 401);
      assert.equal(refused.json().error.code, "invalid_api_token");
      assert.equal(refused.json().error.details.reason, "revoked");
      assert.match(refused.json().error.hint, /'to revoke' was revoked/);
      assert.ok(!(await list()).some((x) => x.id === id), "gone from the list");
      const again = await admin.request("DELETE", `/api/v1/tokens/${id}`);
      assert.equal(again.statusCode, 404);
      assert.equal(again.json().error.code, "api_token_not_found");
      const created = await audit("?action=api_token.created");
      const revokedEvents = await audit("?action=api_token.revoked");
      assert.ok(created.some((e) => e.target?.id === id && e.details.scope === "admin"));
      assert.equal(revokedEvents.filter((e) => e.target?.id === id).length, 1);
      assert.equal(revokedEvents[0]?.actor?.id, admin.user.id);
    });

    it("counts a refused token's attempts without growing the audit: one event per token per hour", async () => {
      const { id, token } = await create("retried by a script", "read");
      await admin.request("DELETE", `/api/v1/tokens/${id}`);
      const refusedOf = async () =>
        (await audit("?action=api_token.refused&limit=500")).filter((e) => e.target?.id === id);
      for (let i = 0; i < 25; i++) {
        assert.equal((await withToken(token, "GET", "/api/v1/processes")).statusCode, 401);
      }
      const first = await refusedOf();
      assert.equal(first.length, 1);
      assert.equal(first[0]?.outcome, "denied");
      assert.deepEqual(first[0]?.details, {
        reason: "revoked",
        method: "GET",
        route: "/processes",
        refusals: 1,
      });
      t.clock.advance(60 * MINUTE);
      await withToken(token, "GET", "/api/v1/users");
      const second = await refusedOf();
      assert.equal(second.length, 2);
      assert.equal(second[0]?.details.refusals, 25, "the 24 uncounted ones and this one");
    });

    it("keeps robot tokens off the admin API and admin tokens off the robot API", async () => {
      const robotLogin = await t.request("POST", "/api/v1/robot/login", {
        body: {
          email: "admin@example.com",
          password: "correct horse battery staple",
          robotName: "build-agent",
          machineId: "machine-1",
        },
      });
      assert.equal(robotLogin.statusCode, 200, robotLogin.body);
      const robotToken: string = robotLogin.json().token;
      const onAdmin = await withToken(robotToken, "GET", "/api/v1/processes");
      assert.equal(onAdmin.statusCode, 401);
      assert.equal(onAdmin.json().error.code, "invalid_api_token");
      assert.match(onAdmin.json().error.hint, /robot API/);
      const { token } = await create("not a robot", "admin");
      const onRobot = await withToken(token, "GET", "/api/v1/robot/definitions");
      assert.equal(onRobot.statusCode, 401);
      assert.equal(onRobot.json().error.code, "invalid_robot_token");
      const status = await withToken(token, "POST", "/api/v1/robot/status", { secrets: [] });
      assert.equal(status.statusCode, 401);
      assert.equal(status.json().error.code, "invalid_robot_token");
    });

    it("refuses unknown or malformed bearer values with 401 invalid_api_token, even beside a session cookie", async () => {
      const { token } = await create("real one", "admin");
      const forged = `hpt_${"A".repeat(43)}`;
      const flipped = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
      for (const header of [
        `Bearer ${forged}`,
        `Bearer ${flipped}`,
        `Bearer hpt_${"x".repeat(250)}`,
        "Bearer",
        "bearer  ",
      ]) {
        const response = await t.request("GET", "/api/v1/processes", {
          headers: { authorization: header, cookie: admin.cookie },
        });
        assert.equal(response.statusCode, 401, `${header}: ${response.body}`);
        assert.equal(response.json().error.code, "invalid_api_token");
      }
      // Another scheme (a proxy's Basic credentials) leaves the web session in charge.
      const behindProxy = await t.request("GET", "/api/v1/processes", {
        headers: { authorization: "Basic YWRtaW46cGFzcw==", cookie: admin.cookie },
      });
      assert.equal(behindProxy.statusCode, 200);
    });

    it("lets only admins manage tokens; a token of an admin made member or deactivated stops working", async () => {
      const bobPassword = "bob's long password";
      const created = await admin.request("POST", "/api/v1/users", {
        email: "bob@example.com",
        role: "admin",
        password: bobPassword,
      });
      assert.equal(created.statusCode, 201);
      const bob = await t.login("bob@example.com", bobPassword);
      const { token } = await create("bob's script", "admin", bob);
      const ana = await t.member(admin, "ana@example.com");
      for (const [method, url, body] of [
        ["GET", "/api/v1/tokens", undefined],
        ["POST", "/api/v1/tokens", { name: "mine", scope: "read" }],
      ] as const) {
        const refused = await ana.request(method, url, body);
        assert.equal(refused.statusCode, 403);
        assert.equal(refused.json().error.code, "insufficient_permissions");
      }
      assert.equal((await withToken(token, "GET", "/api/v1/users")).statusCode, 200);

      await admin.request("PATCH", `/api/v1/users/${bob.user.id}`, { role: "member" });
      const demoted = await withToken(token, "GET", "/api/v1/processes");
      assert.equal(demoted.statusCode, 403);
      assert.equal(demoted.json().error.code, "insufficient_permissions");
      assert.match(demoted.json().error.message, /no longer an administrator/);

      await admin.request("PATCH", `/api/v1/users/${bob.user.id}`, { active: false });
      const deactivated = await withToken(token, "GET", "/api/v1/processes");
      assert.equal(deactivated.statusCode, 401);
      assert.equal(deactivated.json().error.code, "invalid_api_token");
      assert.equal(deactivated.json().error.details.reason, "account_deactivated");
    });

    it("refuses bad names and scopes with 400 saying what is wrong, and creates nothing", async () => {
      const count = (await list()).length;
      const cases: [unknown, RegExp][] = [
        [{ name: "   ", scope: "read" }, /Enter a name/],
        [{ name: "x".repeat(101), scope: "read" }, /too long/],
        [{ name: "deploy\u202Egnp.exe", scope: "read" }, /bidirectional/],
        [{ name: "de\u200Bploy", scope: "read" }, /zero-width/],
        [{ name: "two\nlines", scope: "read" }, /control characters/],
        [{ name: "ok", scope: "write" }, /must be \\"read\\" or \\"admin\\"/],
        [{ name: "ok" }, /must be \\"read\\" or \\"admin\\"/],
        [{ name: "ok", scope: "read", token: "hpt_chosen" }, /token/],
      ];
      for (const [body, message] of cases) {
        const response = await admin.request("POST", "/api/v1/tokens", body);
        assert.equal(response.statusCode, 400, JSON.stringify(body));
        assert.equal(response.json().error.code, "validation_failed");
        assert.match(JSON.stringify(response.json().error), message);
      }
      assert.equal((await list()).length, count);
    });

    it("holds at most 100 active tokens per organisation: 409 too_many_api_tokens", async () => {
      const existing = (await list()).length;
      for (let i = existing; i < 100; i++) await create(`bulk ${i}`, "read");
      const over = await admin.request("POST", "/api/v1/tokens", {
        name: "one more",
        scope: "read",
      });
      assert.equal(over.statusCode, 409);
      assert.equal(over.json().error.code, "too_many_api_tokens");
      const victim = (await list()).find((x) => x.name === "bulk 99");
      assert.ok(victim);
      await admin.request("DELETE", `/api/v1/tokens/${victim.id}`);
      await create("one more", "read");
      for (const x of await list()) await admin.request("DELETE", `/api/v1/tokens/${x.id}`);
    });

    it("stores only the token's SHA-256: never the token in any table or in the audit", async () => {
      const { token } = await create("hashed", "admin");
      await withToken(token, "POST", "/api/v1/processes", { name: "Payroll" });
      const tables = await t.db.all<{ name: string }>(
        t.db.dialect === "sqlite"
          ? "SELECT name FROM sqlite_master WHERE type = 'table'"
          : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()",
      );
      assert.ok(tables.some((x) => x.name === "api_tokens"));
      let everything = "";
      for (const { name } of tables) {
        everything += JSON.stringify(await t.db.all(`SELECT * FROM ${name}`));
      }
      const secretPart = token.slice("hpt_".length);
      assert.ok(!everything.includes(secretPart), "the token is in the database");
      const hash = createHash("sha256").update(token).digest("hex");
      assert.ok(everything.includes(hash), "its SHA-256 is");
      const auditText = JSON.stringify(await audit("?limit=500"));
      assert.ok(!auditText.includes(secretPart));
    });
  });
}

describe("admin API tokens in the platform's logs", () => {
  it("never writes a token to the log, even at debug level", async () => {
    const [dialect] = dialects();
    assert.ok(dialect);
    const t = await startTestApp(dialect);
    let logged = "";
    const stream = new Writable({
      write(chunk, _encoding, done) {
        logged += String(chunk);
        done();
      },
    });
    const app = buildApp({
      db: t.db,
      mailer: memoryMailer(),
      webDist: null,
      listenOrigins: () => [ORIGIN],
      logger: { ...(loggerOptions("debug") as object), stream },
    });
    try {
      const admin = await t.admin();
      const created = await admin.request("POST", "/api/v1/tokens", {
        name: "logged",
        scope: "read",
      });
      const { token, id } = CreatedApiTokenSchema.parse(created.json());
      const call = (authorization: string, method: "GET" | "POST", url: string) =>
        app.inject({ method, url, headers: { host: HOST, authorization } });
      assert.equal((await call(`Bearer ${token}`, "GET", "/api/v1/processes")).statusCode, 200);
      assert.equal((await call(`Bearer ${token}`, "POST", "/api/v1/processes")).statusCode, 403);
      await admin.request("DELETE", `/api/v1/tokens/${id}`);
      assert.equal((await call(`Bearer ${token}`, "GET", "/api/v1/processes")).statusCode, 401);
      assert.match(logged, /\/api\/v1\/processes/, "the requests were logged");
      assert.ok(!logged.includes(token.slice("hpt_".length)));
    } finally {
      await app.close();
      await t.close();
    }
  });
});
