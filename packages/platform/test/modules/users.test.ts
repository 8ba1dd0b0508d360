import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ADMIN_EMAIL, type Browser, startTestApp, type TestApp } from "../support/app.ts";
import { dialects } from "../support/dialects.ts";

for (const dialect of dialects()) {
  describe(`users on ${dialect.name}`, () => {
    let t: TestApp;
    let admin: Browser;
    let ana: Browser;
    before(async () => {
      t = await startTestApp(dialect);
      admin = await t.admin();
      ana = await t.member(admin, "ana@example.com");
    });
    after(() => t.close());

    it("lets an admin list and create users, never showing a password hash", async () => {
      const created = await admin.request("POST", "/api/v1/users", {
        email: "Bob@Example.com",
        role: "member",
        password: "bob's long password",
      });
      assert.equal(created.statusCode, 201);
      const bob = created.json();
      assert.deepEqual(Object.keys(bob).sort(), [
        "active",
        "createdAt",
        "email",
        "id",
        "role",
        "status",
      ]);
      assert.equal(bob.status, "active");
      assert.equal(bob.email, "bob@example.com");
      const list = await admin.request("GET", "/api/v1/users");
      assert.equal(list.statusCode, 200);
      const emails = list.json().users.map((u: { email: string }) => u.email);
      assert.deepEqual(emails, [ADMIN_EMAIL, "ana@example.com", "bob@example.com"]);
      assert.doesNotMatch(list.body, /argon2|password/i);
    });

    it("refuses a duplicate email with 409 email_taken and a short password with weak_password", async () => {
      const dup = await admin.request("POST", "/api/v1/users", {
        email: "ANA@example.com",
        role: "admin",
        password: "another long password",
      });
      assert.equal(dup.statusCode, 409);
      assert.equal(dup.json().error.code, "email_taken");
      const weak = await admin.request("POST", "/api/v1/users", {
        email: "weak@example.com",
        role: "member",
        password: "short",
      });
      assert.equal(weak.statusCode, 400);
      assert.equal(weak.json().error.code, "weak_password");
    });

    it("invites a user created without a password by mail", async () => {
      const created = await admin.request("POST", "/api/v1/users", {
        email: "invited@example.com",
        role: "member",
      });
      assert.equal(created.statusCode, 201);
      assert.equal(created.json().status, "invited");
      assert.equal(created.json().active, true);
      const statusOf = async (email: string) => {
        const list = (await admin.request("GET", "/api/v1/users")).json();
        return list.users.find((u: { email: string }) => u.email === email)?.status;
      };
      assert.equal(await statusOf("invited@example.com"), "invited");
      const mail = await t.mailer.next();
      assert.equal(mail.to, "invited@example.com");
      const token = /reset-password\?token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
      assert.ok(token);
      const confirm = await t.request("POST", "/api/v1/auth/password-reset/confirm", {
        body: { token, password: "my chosen password" },
      });
      assert.equal(confirm.statusCode, 204);
      const invited = await t.login("invited@example.com", "my chosen password");
      assert.equal(invited.user.role, "member");
      assert.equal(await statusOf("invited@example.com"), "active");
      const off = await admin.request("PATCH", `/api/v1/users/${created.json().id}`, {
        active: false,
      });
      assert.equal(off.json().status, "deactivated");
    });

    it("keeps members out of user management with 403 insufficient_permissions", async () => {
      const list = await ana.request("GET", "/api/v1/users");
      assert.equal(list.statusCode, 403);
      assert.equal(list.json().error.code, "insufficient_permissions");
      const create = await ana.request("POST", "/api/v1/users", {
        email: "eve@example.com",
        role: "admin",
        password: "eve's long password",
      });
      assert.equal(create.statusCode, 403);
    });

    it("promotes a member, and deactivation ends their sessions and signs their robots out", async () => {
      const carl = await t.member(admin, "carl@example.com");
      const robot = await t.request("POST", "/api/v1/robot/login", {
        body: {
          email: "carl@example.com",
          password: "carl@example.com long password",
          robotName: "r",
          machineId: "m",
        },
      });
      assert.equal(robot.statusCode, 200);
      const promoted = await admin.request("PATCH", `/api/v1/users/${carl.user.id}`, {
        role: "admin",
      });
      assert.equal(promoted.statusCode, 200);
      assert.equal(promoted.json().role, "admin");
      assert.equal((await carl.request("GET", "/api/v1/users")).statusCode, 200);
      const off = await admin.request("PATCH", `/api/v1/users/${carl.user.id}`, { active: false });
      assert.equal(off.statusCode, 200);
      assert.equal(off.json().active, false);
      assert.equal((await carl.request("GET", "/api/v1/auth/session")).statusCode, 401);
      const relogin = await t.request("POST", "/api/v1/auth/login", {
        body: { email: "carl@example.com", password: "carl@example.com long password" },
      });
      // The right password: told the account is deactivated, on the web and on a robot.
      assert.equal(relogin.statusCode, 403);
      assert.equal(relogin.json().error.code, "account_deactivated");
      assert.match(relogin.json().error.message, /deactivated.*administrator/);
      const robotRelogin = await t.request("POST", "/api/v1/robot/login", {
        body: {
          email: "carl@example.com",
          password: "carl@example.com long password",
          robotName: "r",
          machineId: "m",
        },
      });
      assert.equal(robotRelogin.json().error.code, "account_deactivated");
      // A wrong password reveals nothing.
      const wrong = await t.request("POST", "/api/v1/auth/login", {
        body: { email: "carl@example.com", password: "not carl's password at all" },
      });
      assert.equal(wrong.statusCode, 401);
      assert.equal(wrong.json().error.code, "invalid_credentials");
      const sync = await t.request("GET", "/api/v1/robot/definitions", {
        headers: { authorization: `Bearer ${robot.json().token}` },
      });
      assert.equal(sync.statusCode, 401);
      assert.equal(sync.json().error.code, "invalid_robot_token");
      assert.deepEqual(sync.json().error.details, { reason: "account_deactivated" });
    });

    it("keeps at least one active admin", async () => {
      const self = await admin.request("PATCH", `/api/v1/users/${admin.user.id}`, {
        role: "member",
      });
      assert.equal(self.statusCode, 409);
      assert.equal(self.json().error.code, "last_admin");
    });

    it("ends a user's web sessions on request", async () => {
      const dana = await t.member(admin, "dana@example.com");
      const ended = await admin.request("DELETE", `/api/v1/users/${dana.user.id}/sessions`);
      assert.equal(ended.statusCode, 204);
      assert.equal((await dana.request("GET", "/api/v1/auth/session")).statusCode, 401);
      const missing = await admin.request("DELETE", "/api/v1/users/no-such-user/sessions");
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().error.code, "user_not_found");
    });
  });
}
