/**
 * Abuse resistance through the HTTP API (issue 12, docs/adr/0071): someone who knows an email
 * cannot lock its owner out, guessing from many addresses or at many accounts still stops,
 * and reset requests are limited per address without telling accounts apart.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_THROTTLE } from "../../src/modules/auth/throttle.ts";
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from "../support/app.ts";
import { dialects } from "../support/dialects.ts";
import { resetRequest, robotSignIn, signIn } from "../support/from-address.ts";

const OWNER_ADDRESS = "10.0.0.1";
const ATTACKER_ADDRESS = "10.66.0.1";

for (const dialect of dialects()) {
  describe(`sign-in throttling cannot lock the owner out, on ${dialect.name}`, () => {
    it("lets the owner in from their address while an attacker at another address has failed many times", async () => {
      const t = await startTestApp(dialect);
      try {
        await t.admin();
        // The attacker fails, then keeps hammering through both sign-ins.
        for (let i = 0; i < 5; i++) {
          assert.equal((await signIn(t, ATTACKER_ADDRESS, ADMIN_EMAIL, "guess")).statusCode, 401);
        }
        for (let i = 0; i < 20; i++) {
          const refused = await (i % 2 === 0 ? signIn : robotSignIn)(
            t,
            ATTACKER_ADDRESS,
            ADMIN_EMAIL,
            ADMIN_PASSWORD,
          );
          assert.equal(refused.statusCode, 429);
          assert.equal(refused.json().error.code, "too_many_attempts");
          assert.ok(Number(refused.headers["retry-after"]) > 0);
        }
        // The owner, from their own address: web app and robot alike.
        assert.equal((await signIn(t, OWNER_ADDRESS, ADMIN_EMAIL, ADMIN_PASSWORD)).statusCode, 200);
        const robot = await robotSignIn(t, OWNER_ADDRESS, ADMIN_EMAIL, ADMIN_PASSWORD);
        assert.equal(robot.statusCode, 200, robot.body);
      } finally {
        await t.close();
      }
    });

    it("makes the attacker's address wait longer after each further failure (429 with Retry-After)", async () => {
      const t = await startTestApp(dialect);
      try {
        await t.admin();
        for (let i = 0; i < 5; i++) {
          assert.equal((await signIn(t, ATTACKER_ADDRESS, ADMIN_EMAIL, "guess")).statusCode, 401);
        }
        const waits: number[] = [];
        for (let round = 0; round < 3; round++) {
          const refused = await robotSignIn(t, ATTACKER_ADDRESS, ADMIN_EMAIL, "guess");
          assert.equal(refused.statusCode, 429);
          const wait = Number(refused.headers["retry-after"]);
          waits.push(wait);
          t.clock.advance(wait * 1000);
          assert.equal((await signIn(t, ATTACKER_ADDRESS, ADMIN_EMAIL, "guess")).statusCode, 401);
        }
        assert.deepEqual(waits, [30, 60, 120]);
      } finally {
        await t.close();
      }
    });

    it("stops guessing one account from many addresses, except from an address the owner signed in from", async () => {
      // A budget of 4 instead of 20 keeps the test quick (each guess is an Argon2 check).
      const t = await startTestApp(dialect, { throttle: { ...DEFAULT_THROTTLE, perAccount: 4 } });
      try {
        await t.admin();
        assert.equal((await signIn(t, OWNER_ADDRESS, ADMIN_EMAIL, ADMIN_PASSWORD)).statusCode, 200);
        // 4 addresses, one guess each: within the account's budget.
        for (let i = 1; i <= 4; i++) {
          const guess = await signIn(t, `10.77.0.${i}`, ADMIN_EMAIL, `guess ${i}`);
          assert.equal(guess.statusCode, 401, `guess from address ${i}`);
        }
        // The next new address waits, even with the right password.
        const refused = await robotSignIn(t, "10.77.1.1", ADMIN_EMAIL, ADMIN_PASSWORD);
        assert.equal(refused.statusCode, 429);
        assert.equal(refused.json().error.code, "too_many_attempts");
        assert.ok(Number(refused.headers["retry-after"]) > 0);
        assert.equal((await signIn(t, "10.77.1.2", ADMIN_EMAIL, "guess")).statusCode, 429);
        // The owner's own address is not slowed by the others' failures.
        assert.equal((await signIn(t, OWNER_ADDRESS, ADMIN_EMAIL, ADMIN_PASSWORD)).statusCode, 200);
      } finally {
        await t.close();
      }
    });

    it("stops one address guessing many accounts, counting an IPv6 /64 as one address", async () => {
      const t = await startTestApp(dialect, { throttle: { ...DEFAULT_THROTTLE, perAddress: 5 } });
      try {
        await t.admin();
        for (let i = 1; i <= 5; i++) {
          const guess = await signIn(
            t,
            `2001:db8:5:6::${i.toString(16)}`,
            `u${i}@example.com`,
            "x",
          );
          assert.equal(guess.statusCode, 401, `guess ${i}`);
        }
        const refused = await signIn(t, "2001:db8:5:6:ffff::1", ADMIN_EMAIL, ADMIN_PASSWORD);
        assert.equal(refused.statusCode, 429);
        assert.ok(Number(refused.headers["retry-after"]) > 0);
        // Another block is not affected.
        assert.equal(
          (await signIn(t, "2001:db8:5:7::1", ADMIN_EMAIL, ADMIN_PASSWORD)).statusCode,
          200,
        );
      } finally {
        await t.close();
      }
    });
  });

  describe(`the client address behind a proxy, on ${dialect.name}`, () => {
    const viaProxy = (t: TestApp, client: string, password: string) =>
      t.app.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        remoteAddress: "10.0.0.9",
        headers: { "content-type": "application/json", "x-forwarded-for": client },
        payload: JSON.stringify({ email: ADMIN_EMAIL, password }),
      });

    it("ignores X-Forwarded-For without --trust-proxy: a forged header buys no fresh budget", async () => {
      const t = await startTestApp(dialect);
      try {
        await t.admin();
        for (let i = 1; i <= 5; i++) {
          assert.equal((await viaProxy(t, `203.0.113.${i}`, "guess")).statusCode, 401);
        }
        assert.equal((await viaProxy(t, "203.0.113.99", "guess")).statusCode, 429);
      } finally {
        await t.close();
      }
    });

    it("with --trust-proxy, counts each forwarded client apart: the owner gets in past an attacker", async () => {
      const t = await startTestApp(dialect, { trustProxy: ["10.0.0.9"] });
      try {
        await t.admin();
        for (let i = 0; i < 5; i++) {
          assert.equal((await viaProxy(t, "203.0.113.5", "guess")).statusCode, 401);
        }
        assert.equal((await viaProxy(t, "203.0.113.5", ADMIN_PASSWORD)).statusCode, 429);
        assert.equal((await viaProxy(t, "198.51.100.7", ADMIN_PASSWORD)).statusCode, 200);
      } finally {
        await t.close();
      }
    });
  });

  describe(`password-reset requests are limited per address, on ${dialect.name}`, () => {
    it("answers 429 with Retry-After after 10 requests, the same for a known and an unknown email", async () => {
      const t = await startTestApp(dialect);
      try {
        await t.admin();
        for (let i = 0; i < 10; i++) {
          const email = i % 2 === 0 ? ADMIN_EMAIL : `nobody${i}@example.com`;
          assert.equal((await resetRequest(t, ATTACKER_ADDRESS, email)).statusCode, 202);
        }
        const known = await resetRequest(t, ATTACKER_ADDRESS, ADMIN_EMAIL);
        const unknown = await resetRequest(t, ATTACKER_ADDRESS, "nobody@example.com");
        for (const limited of [known, unknown]) {
          assert.equal(limited.statusCode, 429);
          assert.equal(limited.json().error.code, "too_many_attempts");
        }
        assert.equal(known.body, unknown.body);
        assert.equal(known.headers["retry-after"], unknown.headers["retry-after"]);
        assert.ok(Number(known.headers["retry-after"]) > 0);
        // Only 3 mails for the account, whatever the number of requests.
        assert.equal(t.mailer.sent.filter((m) => m.to === ADMIN_EMAIL).length, 3);
        // Another address is not limited.
        assert.equal((await resetRequest(t, OWNER_ADDRESS, ADMIN_EMAIL)).statusCode, 202);
        t.clock.advance(15 * 60_000);
        assert.equal(
          (await resetRequest(t, ATTACKER_ADDRESS, "nobody@example.com")).statusCode,
          202,
        );
      } finally {
        await t.close();
      }
    });
  });
}
