import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DEFAULT_THROTTLE } from "../../src/modules/auth/throttle.ts";
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  type Browser,
  cookieFrom,
  ORIGIN,
  startTestApp,
  type TestApp,
} from "../support/app.ts";
import { dialects } from "../support/dialects.ts";

for (const dialect of dialects()) {
  describe(`web sign-in and sessions on ${dialect.name}`, () => {
    let t: TestApp;
    let admin: Browser;
    before(async () => {
      t = await startTestApp(dialect);
      admin = await t.admin();
    });
    after(() => t.close());

    it("signs in with a session cookie that is HttpOnly, SameSite=Strict, Path=/", async () => {
      const response = await t.request("POST", "/api/v1/auth/login", {
        body: { email: " Admin@Example.com ", password: ADMIN_PASSWORD },
      });
      assert.equal(response.statusCode, 200);
      const body = response.json();
      assert.deepEqual(Object.keys(body).sort(), ["csrfToken", "user"]);
      assert.equal(body.user.email, ADMIN_EMAIL);
      assert.equal(body.user.role, "admin");
      const cookie = String(response.headers["set-cookie"]);
      assert.match(cookie, /^heptora_session=[A-Za-z0-9_-]{43};/);
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Strict/);
      assert.match(cookie, /Path=\//);
      assert.doesNotMatch(cookie, /Secure/);
      const session = await t.request("GET", "/api/v1/auth/session", {
        headers: { cookie: cookieFrom(response) },
      });
      assert.equal(session.statusCode, 200);
      assert.deepEqual(session.json(), body);
    });

    it("answers a wrong password and an unknown email alike", async () => {
      const wrong = await t.request("POST", "/api/v1/auth/login", {
        body: { email: ADMIN_EMAIL, password: "not the password" },
      });
      const unknown = await t.request("POST", "/api/v1/auth/login", {
        body: { email: "nobody@example.com", password: "not the password" },
      });
      assert.equal(wrong.statusCode, 401);
      assert.equal(unknown.statusCode, 401);
      assert.deepEqual(wrong.json(), unknown.json());
      assert.equal(wrong.json().error.code, "invalid_credentials");
    });

    it("stores only an Argon2id hash with OWASP parameters, never the password", async () => {
      const row = await t.db.get<{ password_hash: string }>(
        "SELECT password_hash FROM users WHERE email = $1",
        [ADMIN_EMAIL],
      );
      assert.match(row?.password_hash ?? "", /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      const sessions = await t.db.all<{ token_hash: string }>("SELECT token_hash FROM sessions");
      assert.ok(sessions.every((s) => /^[0-9a-f]{64}$/.test(s.token_hash)));
      assert.ok(!sessions.some((s) => admin.cookie.includes(s.token_hash)));
    });

    it("refuses a cookie write without the platform's Origin or the CSRF token", async () => {
      const body = JSON.stringify({ name: "Invoice Processing" });
      const base = { "content-type": "application/json", cookie: admin.cookie };
      const attempts: Record<string, string>[] = [
        { ...base, "x-csrf-token": admin.csrfToken },
        { ...base, "x-csrf-token": admin.csrfToken, origin: "http://evil.test" },
        { ...base, origin: ORIGIN },
        { ...base, origin: ORIGIN, "x-csrf-token": `${admin.csrfToken.slice(0, -2)}xx` },
      ];
      for (const headers of attempts) {
        const response = await t.request("POST", "/api/v1/processes", { body, headers });
        assert.equal(response.statusCode, 403, JSON.stringify(headers));
        assert.equal(response.json().error.code, "csrf_rejected");
      }
      const processes = await admin.request("GET", "/api/v1/processes");
      assert.deepEqual(processes.json(), { processes: [] });
      const ok = await admin.request("POST", "/api/v1/processes", { name: "Invoice Processing" });
      assert.equal(ok.statusCode, 201);
    });

    it("ends the session at sign-out", async () => {
      const browser = await t.login(ADMIN_EMAIL, ADMIN_PASSWORD);
      const out = await browser.request("POST", "/api/v1/auth/logout");
      assert.equal(out.statusCode, 204);
      assert.match(String(out.headers["set-cookie"]), /Max-Age=0/);
      const after = await browser.request("GET", "/api/v1/auth/session");
      assert.equal(after.statusCode, 401);
      assert.equal(after.json().error.code, "session_expired");
      const none = await t.request("GET", "/api/v1/auth/session");
      assert.equal(none.json().error.code, "unauthenticated");
    });

    it("ends a session after 12 hours without use", async () => {
      const browser = await t.login(ADMIN_EMAIL, ADMIN_PASSWORD);
      t.clock.advance(11 * 60 * 60_000);
      assert.equal((await browser.request("GET", "/api/v1/auth/session")).statusCode, 200);
      t.clock.advance(11 * 60 * 60_000); // used 11 h ago: still alive
      assert.equal((await browser.request("GET", "/api/v1/auth/session")).statusCode, 200);
      t.clock.advance(12 * 60 * 60_000 + 1);
      const expired = await browser.request("GET", "/api/v1/auth/session");
      assert.equal(expired.statusCode, 401);
      assert.equal(expired.json().error.code, "session_expired");
    });

    it("audits sign-ins that worked and that failed", async () => {
      const rows = await t.db.all<{ action: string; outcome: string; actor_email: string | null }>(
        "SELECT action, outcome, actor_email FROM audit_events WHERE action = 'auth.login'",
      );
      assert.ok(rows.some((r) => r.outcome === "ok" && r.actor_email === ADMIN_EMAIL));
      assert.ok(rows.some((r) => r.outcome === "failed" && r.actor_email === ADMIN_EMAIL));
      assert.ok(rows.some((r) => r.outcome === "failed" && r.actor_email === null));
    });
  });

  describe(`sign-in throttling on ${dialect.name}`, () => {
    it("refuses an address after 5 failures on an account, with Retry-After", async () => {
      const t = await startTestApp(dialect);
      try {
        await t.admin();
        const attempt = (password: string, ip = "10.0.0.1") =>
          t.app.inject({
            method: "POST",
            url: "/api/v1/auth/login",
            remoteAddress: ip,
            headers: { "content-type": "application/json" },
            payload: JSON.stringify({ email: ADMIN_EMAIL, password }),
          });
        for (let i = 0; i < 5; i++) assert.equal((await attempt("wrong password")).statusCode, 401);
        // The right password from the same address: that address waits.
        const locked = await attempt(ADMIN_PASSWORD);
        assert.equal(locked.statusCode, 429);
        assert.equal(locked.json().error.code, "too_many_attempts");
        const retryAfter = Number(locked.headers["retry-after"]);
        assert.ok(retryAfter > 0 && retryAfter <= 15 * 60, `Retry-After ${retryAfter}`);
        t.clock.advance(retryAfter * 1000);
        assert.equal((await attempt(ADMIN_PASSWORD)).statusCode, 200);
      } finally {
        await t.close();
      }
    });

    it("limits failures per client address across accounts", async () => {
      const t = await startTestApp(dialect, {
        throttle: { ...DEFAULT_THROTTLE, perAddress: 3 },
      });
      try {
        await t.admin();
        const attempt = (email: string, password: string) =>
          t.app.inject({
            method: "POST",
            url: "/api/v1/auth/login",
            remoteAddress: "10.9.9.9",
            headers: { "content-type": "application/json" },
            payload: JSON.stringify({ email, password }),
          });
        for (const email of ["a@example.com", "b@example.com", "c@example.com"]) {
          assert.equal((await attempt(email, "guess guess")).statusCode, 401);
        }
        const blocked = await attempt(ADMIN_EMAIL, ADMIN_PASSWORD);
        assert.equal(blocked.statusCode, 429);
        assert.ok(Number(blocked.headers["retry-after"]) > 0);
      } finally {
        await t.close();
      }
    });
  });

  describe(`first-run setup on ${dialect.name}`, () => {
    it("creates the first admin once, from the platform's own origin only", async () => {
      const t = await startTestApp(dialect);
      try {
        assert.deepEqual((await t.request("GET", "/api/v1/setup")).json(), { needed: true });
        const body = {
          email: "first@example.com",
          password: "a long enough password",
          organization: "Acme",
        };
        const noOrigin = await t.request("POST", "/api/v1/setup", { body });
        assert.equal(noOrigin.statusCode, 403);
        assert.equal(noOrigin.json().error.code, "csrf_rejected");
        const weak = await t.request("POST", "/api/v1/setup", {
          body: { ...body, password: "short" },
          headers: { origin: ORIGIN },
        });
        assert.equal(weak.statusCode, 400);
        assert.equal(weak.json().error.code, "weak_password");
        const created = await t.request("POST", "/api/v1/setup", {
          body,
          headers: { origin: ORIGIN },
        });
        assert.equal(created.statusCode, 201);
        assert.equal(created.json().user.role, "admin");
        const cookie = cookieFrom(created);
        const session = await t.request("GET", "/api/v1/auth/session", { headers: { cookie } });
        assert.equal(session.json().user.email, "first@example.com");
        const again = await t.request("POST", "/api/v1/setup", {
          body: { ...body, email: "second@example.com" },
          headers: { origin: ORIGIN },
        });
        assert.equal(again.statusCode, 409);
        assert.equal(again.json().error.code, "setup_already_done");
        assert.deepEqual((await t.request("GET", "/api/v1/setup")).json(), { needed: false });
      } finally {
        await t.close();
      }
    });
  });
}
