/**
 * The platform holds exactly one organisation (issue 12, point 4; docs/security.md, "Abuse
 * resistance"). The audit listing has no organisation filter and `POST /users` answers
 * `email_taken` for any existing email; both are safe only because no second organisation can
 * exist. These tests pin that down, so that whoever adds organisations meets them first.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AuditEvent } from "@heptora/protocol";
import { createAdmin } from "../../src/create-admin.ts";
import { ADMIN_EMAIL, startTestApp } from "../support/app.ts";
import { dialects } from "../support/dialects.ts";

const OTHER_EMAIL = "boss@other.example.com";
const OTHER_PASSWORD = "another long password";

for (const dialect of dialects()) {
  describe(`one organisation per platform, on ${dialect.name}`, () => {
    it("create-admin with another --org joins the one organisation: same users, same audit", async () => {
      const t = await startTestApp(dialect);
      try {
        const first = await t.admin();
        await createAdmin(t.db, {
          email: OTHER_EMAIL,
          password: OTHER_PASSWORD,
          organization: "Other Corp",
        });
        const other = await t.login(OTHER_EMAIL, OTHER_PASSWORD);
        const seenByOther = (await other.request("GET", "/api/v1/users")).json().users;
        const seenByFirst = (await first.request("GET", "/api/v1/users")).json().users;
        assert.deepEqual(seenByOther, seenByFirst);
        assert.deepEqual(seenByOther.map((u: { email: string }) => u.email).sort(), [
          ADMIN_EMAIL,
          OTHER_EMAIL,
        ]);
        // So an email that is taken is one this admin can see anyway.
        const taken = await other.request("POST", "/api/v1/users", {
          email: ADMIN_EMAIL,
          role: "member",
        });
        assert.equal(taken.statusCode, 409);
        assert.equal(taken.json().error.code, "email_taken");
        const events: AuditEvent[] = (await other.request("GET", "/api/v1/audit")).json().events;
        assert.ok(events.some((e) => e.action === "auth.login" && e.actor?.email === ADMIN_EMAIL));
      } finally {
        await t.close();
      }
    });

    it("refuses a second organisation row in the database", async () => {
      const t = await startTestApp(dialect);
      try {
        await t.admin();
        await assert.rejects(
          t.db.run("INSERT INTO organizations (id, name, created_at) VALUES ($1, $2, $3)", [
            "org-2",
            "Second",
            0,
          ]),
        );
        const count = await t.db.get<{ n: number | string }>(
          "SELECT COUNT(*) AS n FROM organizations",
        );
        assert.equal(Number(count?.n), 1);
      } finally {
        await t.close();
      }
    });
  });
}
