/**
 * Floods of unauthenticated refusals (issue 12, docs/adr/0071): 1000 bad sign-ins or reset
 * requests from one address leave a few audit entries whose counts add up to 1000.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AuditEvent } from "@heptora/protocol";
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from "../support/app.ts";
import { dialects } from "../support/dialects.ts";
import { resetRequest, robotSignIn, signIn } from "../support/from-address.ts";

const ATTACKER_ADDRESS = "10.66.0.1";

/** `total` requests, 50 at a time, as a flood arrives. */
async function flood(total: number, send: (i: number) => Promise<void>): Promise<void> {
  for (let start = 0; start < total; start += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, total - start) }, (_, k) => send(start + k)),
    );
  }
}

async function auditOf(t: TestApp, action: string): Promise<AuditEvent[]> {
  const admin = await t.login(ADMIN_EMAIL, ADMIN_PASSWORD);
  const response = await admin.request("GET", `/api/v1/audit?action=${action}&limit=500`);
  assert.equal(response.statusCode, 200, response.body);
  return (response.json() as { events: AuditEvent[] }).events;
}

for (const dialect of dialects()) {
  describe(`floods of refused requests leave a bounded audit that counts them, on ${dialect.name}`, () => {
    it("records 1000 bad sign-ins from one address as a few entries with their counts", async () => {
      const t = await startTestApp(dialect);
      try {
        await t.admin();
        await flood(1000, async (i) => {
          const answer = await (i % 2 === 0 ? signIn : robotSignIn)(
            t,
            ATTACKER_ADDRESS,
            ADMIN_EMAIL,
            "guess",
          );
          assert.ok([401, 429].includes(answer.statusCode), `attempt ${i}: ${answer.statusCode}`);
        });
        const fromAttacker = [
          ...(await auditOf(t, "auth.login")),
          ...(await auditOf(t, "robot.login")),
        ].filter((e) => e.ip === ATTACKER_ADDRESS);
        assert.ok(fromAttacker.length <= 4, `${fromAttacker.length} entries`);
        assert.equal(
          fromAttacker.reduce((sum, e) => sum + e.count, 0),
          1000,
        );
        const denied = fromAttacker.filter((e) => e.outcome === "denied");
        assert.ok(denied.every((e) => e.details.reason === "too_many_attempts"));
        assert.ok(denied.some((e) => e.count > 400 && e.lastAt >= e.at));
      } finally {
        await t.close();
      }
    });

    it("records 1000 reset requests from one address as a few entries with their counts", async () => {
      const t = await startTestApp(dialect);
      try {
        await t.admin();
        await flood(1000, async (i) => {
          const answer = await resetRequest(t, ATTACKER_ADDRESS, `nobody${i % 3}@example.com`);
          assert.ok([202, 429].includes(answer.statusCode), `request ${i}: ${answer.statusCode}`);
        });
        const fromAttacker = (await auditOf(t, "auth.password_reset_requested")).filter(
          (e) => e.ip === ATTACKER_ADDRESS,
        );
        assert.ok(fromAttacker.length <= 4, `${fromAttacker.length} entries`);
        assert.equal(
          fromAttacker.reduce((sum, e) => sum + e.count, 0),
          1000,
        );
      } finally {
        await t.close();
      }
    });
  });
}
