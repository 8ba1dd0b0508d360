import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Browser, ORIGIN, startTestApp, type TestApp } from "../support/app.ts";
import { dialects } from "../support/dialects.ts";

const tokenIn = (text: string) => /\/reset-password\?token=([A-Za-z0-9_-]+)/.exec(text)?.[1];

for (const dialect of dialects()) {
  describe(`password reset on ${dialect.name}`, () => {
    let t: TestApp;
    let admin: Browser;
    before(async () => {
      t = await startTestApp(dialect);
      admin = await t.admin();
      await t.member(admin, "ana@example.com", "ana's first password");
    });
    after(() => t.close());

    const requestReset = (email: string) =>
      t.request("POST", "/api/v1/auth/password-reset", { body: { email } });
    const confirm = (token: string | undefined, password: string) =>
      t.request("POST", "/api/v1/auth/password-reset/confirm", { body: { token, password } });

    it("answers 202 for any email and mails a link only to a known one", async () => {
      const unknown = await requestReset("nobody@example.com");
      assert.equal(unknown.statusCode, 202);
      assert.equal(unknown.body, "");
      const known = await requestReset("ana@example.com");
      assert.equal(known.statusCode, 202);
      const mail = await t.mailer.next();
      assert.equal(mail.to, "ana@example.com");
      assert.match(mail.text, new RegExp(`${ORIGIN}/reset-password\\?token=[A-Za-z0-9_-]{43}`));
      assert.equal(t.mailer.sent.length, 1);
    });

    it("sets the new password once and ends every session, robot tokens included", async () => {
      const browser = await t.login("ana@example.com", "ana's first password");
      const robot = await t.request("POST", "/api/v1/robot/login", {
        body: {
          email: "ana@example.com",
          password: "ana's first password",
          robotName: "r",
          machineId: "m",
        },
      });
      await requestReset("ana@example.com");
      const token = tokenIn((await t.mailer.next()).text);
      assert.ok(token);
      const stored = await t.db.all<{ token_hash: string }>(
        "SELECT token_hash FROM password_reset_tokens",
      );
      assert.ok(stored.every((row) => row.token_hash !== token));

      const weak = await confirm(token, "short");
      assert.equal(weak.statusCode, 400);
      assert.equal(weak.json().error.code, "weak_password");

      assert.equal((await confirm(token, "ana's second password")).statusCode, 204);
      assert.equal((await browser.request("GET", "/api/v1/auth/session")).statusCode, 401);
      const sync = await t.request("GET", "/api/v1/robot/definitions", {
        headers: { authorization: `Bearer ${robot.json().token}` },
      });
      assert.equal(sync.statusCode, 401);
      assert.equal(sync.json().error.code, "invalid_robot_token");
      assert.deepEqual(sync.json().error.details, { reason: "password_changed" });
      const old = await t.request("POST", "/api/v1/auth/login", {
        body: { email: "ana@example.com", password: "ana's first password" },
      });
      assert.equal(old.statusCode, 401);
      await t.login("ana@example.com", "ana's second password");

      const reused = await confirm(token, "ana's third password");
      assert.equal(reused.statusCode, 400);
      assert.equal(reused.json().error.code, "invalid_reset_token");
    });

    it("sends at most 3 reset mails per account in 30 minutes, answering 202 all the same", async () => {
      t.clock.advance(31 * 60_000);
      const before = t.mailer.sent.length;
      for (let i = 0; i < 4; i++) {
        assert.equal((await requestReset("ana@example.com")).statusCode, 202);
      }
      await t.mailer.next();
      await t.mailer.next();
      await t.mailer.next();
      assert.equal(t.mailer.sent.length, before + 3);
      t.clock.advance(31 * 60_000);
    });

    it("refuses a token after 30 minutes, and an unknown one", async () => {
      await requestReset("ana@example.com");
      const token = tokenIn((await t.mailer.next()).text);
      t.clock.advance(30 * 60_000 + 1);
      const late = await confirm(token, "too late a password");
      assert.equal(late.statusCode, 400);
      assert.equal(late.json().error.code, "invalid_reset_token");
      const unknown = await confirm("x".repeat(43), "any long password");
      assert.equal(unknown.json().error.code, "invalid_reset_token");
    });
  });
}
