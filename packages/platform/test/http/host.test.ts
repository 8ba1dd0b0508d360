/**
 * Host validation (ADR 0069): the platform answers only as itself. A page on another name that
 * resolves to the platform's address (DNS rebinding) gets 421 host_rejected for everything but
 * the probes, so it can neither run first-time setup nor read anything.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { listenOriginsFor, type RunningPlatform, startPlatform } from "../../src/start-platform.ts";
import { ADMIN_EMAIL, startTestApp, type TestApp } from "../support/app.ts";
import { dialects, type TestDatabase } from "../support/dialects.ts";
import { assertCatalogueError, raw } from "../support/raw-http.ts";

const SETUP = {
  organization: "Rebound",
  email: "mallory@evil.example",
  password: "a long enough password",
};

for (const dialect of dialects()) {
  describe(`Host validation of a platform listening on 127.0.0.1 (${dialect.name})`, () => {
    let database: TestDatabase;
    let platform: RunningPlatform;
    let outbox: string;
    before(async () => {
      database = await dialect.create();
      outbox = mkdtempSync(join(tmpdir(), "heptora-host-"));
      platform = await startPlatform({
        host: "127.0.0.1",
        port: 0,
        db: database.target,
        outbox,
        logLevel: "silent",
        webDist: null,
      });
    });
    after(async () => {
      await platform.close();
      await database.drop();
      rmSync(outbox, { recursive: true, force: true });
    });

    it("refuses a rebinding page's Host with 421 host_rejected: no setup, no reads, no pages", async () => {
      const evil = `evil.example:${platform.port}`;
      const headers = { host: evil, origin: `http://${evil}`, "content-type": "application/json" };
      const setup = await raw(platform.port, "POST", "/api/v1/setup", {
        headers,
        body: JSON.stringify(SETUP),
      });
      assertCatalogueError(setup, 421, "host_rejected");
      assert.match(setup.json().error.hint ?? "", new RegExp(`127\\.0\\.0\\.1:${platform.port}`));
      for (const path of ["/api/v1/setup", "/api/v1/openapi.json", "/", "/api/v1/nope"]) {
        assertCatalogueError(
          await raw(platform.port, "GET", path, { headers }),
          421,
          "host_rejected",
        );
      }
      // Nothing changed: the platform still waits for its real first administrator.
      const status = await raw(platform.port, "GET", "/api/v1/setup", {
        headers: { host: `127.0.0.1:${platform.port}` },
      });
      assert.equal(status.status, 200);
      assert.deepEqual(JSON.parse(status.body), { needed: true });
    });

    it("answers at 127.0.0.1, localhost and [::1] (a local port forward too), at no other name", async () => {
      const port = platform.port;
      for (const host of [
        `127.0.0.1:${port}`,
        `localhost:${port}`,
        `LOCALHOST:${port}`,
        `[::1]:${port}`,
      ]) {
        const answer = await raw(port, "GET", "/api/v1/setup", { headers: { host } });
        assert.equal(answer.status, 200, `${host}: ${answer.body}`);
      }
      // A local port forward (SSH tunnel) arrives with its own port: still a loopback name.
      const forwarded = await raw(port, "GET", "/api/v1/setup", {
        headers: { host: "localhost:9" },
      });
      assert.equal(forwarded.status, 200, forwarded.body);
      for (const host of [
        `10.0.0.1:${port}`,
        `127.0.0.1.evil.example:${port}`,
        `localhost.evil.example:${port}`,
        `user@127.0.0.1:${port}`,
      ]) {
        const answer = await raw(port, "GET", "/api/v1/setup", { headers: { host } });
        assertCatalogueError(answer, 421, "host_rejected");
      }
    });

    it("answers the probes for any Host, disclosing nothing: /healthz ok, /readyz ready", async () => {
      for (const host of [`10.1.2.3:${platform.port}`, `127.0.0.1:${platform.port}`]) {
        const health = await raw(platform.port, "GET", "/healthz", { headers: { host } });
        assert.equal(health.status, 200);
        assert.deepEqual(JSON.parse(health.body), { status: "ok" });
        const ready = await raw(platform.port, "GET", "/readyz", { headers: { host } });
        assert.equal(ready.status, 200);
        assert.deepEqual(JSON.parse(ready.body), { status: "ready" });
      }
    });
  });

  describe(`Host and Origin with a public URL (${dialect.name})`, () => {
    it("answers only at the public URL's host, accepts only its Origin, and mails links to it", async () => {
      const t = await startTestApp(dialect, { publicUrl: "https://heptora.example.com/" });
      try {
        await t.admin();
        const at = (host: string, origin?: string) =>
          t.request("POST", "/api/v1/auth/password-reset", {
            body: { email: ADMIN_EMAIL },
            headers: { host, ...(origin !== undefined && { origin }) },
          });
        // The test app's usual host is not the public URL's.
        assert.equal((await at("platform.test")).statusCode, 421);
        // With a public URL, not even a loopback name is answered: one origin only.
        assert.equal((await at("localhost:8080")).statusCode, 421);
        assert.equal((await at("evil.example", "https://evil.example")).statusCode, 421);
        // The right host with a foreign Origin: a cross-site write.
        const foreign = await at("heptora.example.com", "https://evil.example");
        assert.equal(foreign.statusCode, 403, foreign.body);
        assert.equal(foreign.json().error.code, "csrf_rejected");
        const own = await at("heptora.example.com:443", "https://heptora.example.com");
        assert.equal(own.statusCode, 202, own.body);
        const mail = await t.mailer.next();
        assert.match(mail.text, /https:\/\/heptora\.example\.com\/reset-password\?token=/);
      } finally {
        await t.close();
      }
    });
  });

  describe(`Host behind a reverse proxy (${dialect.name})`, () => {
    it("checks X-Forwarded-Host only with --trust-proxy, and then against the public URL", async () => {
      const publicUrl = "https://heptora.example.com";
      const proxied = await startTestApp(dialect, { publicUrl, trustProxy: ["127.0.0.1"] });
      const direct = await startTestApp(dialect, { publicUrl });
      try {
        const get = (t: TestApp, headers: Record<string, string>) =>
          t.request("GET", "/api/v1/setup", { headers });
        // nginx with proxy_set_header X-Forwarded-Host $host; upstream Host is its own.
        const upstream = { host: "127.0.0.1:8080" };
        const forwarded = { ...upstream, "x-forwarded-host": "heptora.example.com" };
        assert.equal((await get(proxied, forwarded)).statusCode, 200);
        assert.equal((await get(proxied, upstream)).statusCode, 421);
        const foreign = { ...upstream, "x-forwarded-host": "evil.example" };
        assert.equal((await get(proxied, foreign)).statusCode, 421);
        // Without --trust-proxy the header is anyone's to send: only Host counts.
        assert.equal((await get(direct, forwarded)).statusCode, 421);
        const spoofed = { host: "evil.example", "x-forwarded-host": "heptora.example.com" };
        assert.equal((await get(direct, spoofed)).statusCode, 421);
      } finally {
        await proxied.close();
        await direct.close();
      }
    });
  });

  describe(`readiness without a database (${dialect.name})`, () => {
    it("answers /readyz 503 service_unavailable while /healthz stays 200", async () => {
      const t = await startTestApp(dialect);
      try {
        await t.db.close();
        const ready = await t.request("GET", "/readyz");
        assert.equal(ready.statusCode, 503);
        assert.equal(ready.json().error.code, "service_unavailable");
        assert.doesNotMatch(ready.body, /sqlite|postgres|closed/i);
        assert.equal((await t.request("GET", "/healthz")).statusCode, 200);
      } finally {
        await t.close();
      }
    });
  });
}

describe("the origins a platform without a public URL answers as", () => {
  it("are the host listened on, the loopback names with it, and every interface on a wildcard", () => {
    assert.deepEqual(listenOriginsFor("127.0.0.1", 8080), [
      "http://127.0.0.1:8080",
      "http://localhost:8080",
      "http://[::1]:8080",
    ]);
    assert.deepEqual(listenOriginsFor("heptora.lan", 80), ["http://heptora.lan"]);
    const wildcard = listenOriginsFor("0.0.0.0", 8080);
    // Mailed links (the first origin) say localhost, not 0.0.0.0, which no browser can open.
    assert.equal(wildcard[0], "http://localhost:8080");
    assert.ok(wildcard.includes("http://127.0.0.1:8080"));
    assert.ok(!wildcard.some((origin) => origin.includes("0.0.0.0")));
  });
});
