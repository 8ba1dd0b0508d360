/**
 * `--trust-proxy ADDRESSES` (ADR 0084): X-Forwarded-For, X-Forwarded-Host and X-Request-Id are
 * believed only from the configured proxies, and the client address is the right-most hop that
 * is not one of them, so a client behind the proxy cannot buy a fresh sign-in budget by writing
 * its own X-Forwarded-For in front of the one the proxy appends.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from "../support/app.ts";
import { dialects } from "../support/dialects.ts";

const PROXY = "10.0.0.9";
const CLIENT = "203.0.113.5";

function login(t: TestApp, from: string, password: string, headers: Record<string, string> = {}) {
  return t.app.inject({
    method: "POST",
    url: "/api/v1/auth/login",
    remoteAddress: from,
    headers: { host: "platform.test", "content-type": "application/json", ...headers },
    payload: JSON.stringify({ email: ADMIN_EMAIL, password }),
  });
}

for (const dialect of dialects()) {
  describe(`behind a trusted reverse proxy, on ${dialect.name}`, () => {
    it("throttles the real client however it forges X-Forwarded-For in front of the proxy's hop", async () => {
      const t = await startTestApp(dialect, { trustProxy: [PROXY] });
      try {
        await t.admin();
        for (let i = 1; i <= 5; i++) {
          // What the proxy forwards: the client's own header, then the address it saw.
          const forwarded = { "x-forwarded-for": `198.51.100.${i}, ${CLIENT}` };
          assert.equal((await login(t, PROXY, "guess", forwarded)).statusCode, 401);
        }
        const forged = { "x-forwarded-for": `198.51.100.99, ${CLIENT}` };
        const stopped = await login(t, PROXY, ADMIN_PASSWORD, forged);
        assert.equal(stopped.statusCode, 429);
        assert.equal(stopped.json().error.code, "too_many_attempts");
        // Another client through the same proxy is not held back.
        const other = { "x-forwarded-for": "198.51.100.7" };
        assert.equal((await login(t, PROXY, ADMIN_PASSWORD, other)).statusCode, 200);
      } finally {
        await t.close();
      }
    });

    it("ignores X-Forwarded-For from an address that is not a configured proxy", async () => {
      const t = await startTestApp(dialect, { trustProxy: [PROXY] });
      try {
        await t.admin();
        for (let i = 1; i <= 5; i++) {
          const forged = { "x-forwarded-for": `198.51.100.${i}` };
          assert.equal((await login(t, "192.0.2.44", "guess", forged)).statusCode, 401);
        }
        const forged = { "x-forwarded-for": "198.51.100.99" };
        assert.equal((await login(t, "192.0.2.44", ADMIN_PASSWORD, forged)).statusCode, 429);
      } finally {
        await t.close();
      }
    });

    it("takes a CIDR range and an IPv4 peer seen as ::ffff:a.b.c.d", async () => {
      const t = await startTestApp(dialect, { trustProxy: ["10.0.0.0/24"] });
      try {
        await t.admin();
        for (let i = 0; i < 5; i++) {
          const forwarded = { "x-forwarded-for": CLIENT };
          assert.equal((await login(t, "::ffff:10.0.0.20", "guess", forwarded)).statusCode, 401);
        }
        const someoneElse = { "x-forwarded-for": "198.51.100.8" };
        assert.equal(
          (await login(t, "::ffff:10.0.0.20", ADMIN_PASSWORD, someoneElse)).statusCode,
          200,
        );
      } finally {
        await t.close();
      }
    });
  });

  describe(`request ids, on ${dialect.name}`, () => {
    const get = (t: TestApp, from: string, requestId?: string) =>
      t.app.inject({
        method: "GET",
        url: "/api/v1/setup",
        remoteAddress: from,
        headers: {
          host: "platform.test",
          ...(requestId !== undefined && { "x-request-id": requestId }),
        },
      });

    it("answers every request with its own X-Request-Id, errors included", async () => {
      const t = await startTestApp(dialect);
      try {
        const ok = await get(t, CLIENT);
        const missing = await t.request("GET", "/api/v1/nowhere");
        const ids = [ok, missing].map((r) => String(r.headers["x-request-id"]));
        for (const id of ids) assert.match(id, /^req_[0-9a-f]{16}$/);
        assert.notEqual(ids[0], ids[1]);
      } finally {
        await t.close();
      }
    });

    it("keeps a well-formed X-Request-Id only from a trusted proxy", async () => {
      const direct = await startTestApp(dialect);
      const proxied = await startTestApp(dialect, { trustProxy: [PROXY] });
      try {
        const id = "7f3c2a9e-haproxy-0042";
        assert.equal((await get(proxied, PROXY, id)).headers["x-request-id"], id);
        // From anyone else, or ill-formed, the platform's own id.
        for (const [t, from, sent] of [
          [direct, PROXY, id],
          [proxied, CLIENT, id],
          [proxied, PROXY, "has spaces and \u00e9"],
          [proxied, PROXY, "x".repeat(200)],
        ] as const) {
          assert.match(
            String((await get(t, from, sent)).headers["x-request-id"]),
            /^req_[0-9a-f]{16}$/,
          );
        }
      } finally {
        await direct.close();
        await proxied.close();
      }
    });
  });

  describe(`X-Forwarded-Host behind a trusted proxy, on ${dialect.name}`, () => {
    it("is believed from the proxy only", async () => {
      const publicUrl = "https://heptora.example.com";
      const t = await startTestApp(dialect, { publicUrl, trustProxy: [PROXY] });
      try {
        const from = (remoteAddress: string) =>
          t.app.inject({
            method: "GET",
            url: "/api/v1/setup",
            remoteAddress,
            headers: { host: "10.0.0.2:8080", "x-forwarded-host": "heptora.example.com" },
          });
        assert.equal((await from(PROXY)).statusCode, 200);
        assert.equal((await from("192.0.2.44")).statusCode, 421);
      } finally {
        await t.close();
      }
    });
  });
}
