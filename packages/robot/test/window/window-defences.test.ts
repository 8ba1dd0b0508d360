/**
 * The Secrets window's defences, over plain HTTP against a real window server (real robot
 * service and vault, fake platform, injected clock): Host, Origin, CSRF token, one-time links,
 * idle sessions, security headers, body limit, sign-in throttling, and the audit of refusals.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ANA } from "../support/service.ts";
import {
  type Answer,
  keyOfPage,
  send,
  type WindowFixture,
  windowFixture,
} from "./window-client.ts";

let w: WindowFixture;
let port: number;

before(async () => {
  w = await windowFixture();
  port = w.window.port;
});
after(() => w.close());

function assertRefused(answer: Answer, status: number, code: string): void {
  assert.equal(answer.status, status, answer.text);
  assert.equal(answer.json().error?.code, code);
}

function deniedReasons(): string[] {
  return w.fx.service
    .listAudit({ limit: 1000, type: "access.denied" })
    .entries.filter((e) => e.actor === "window")
    .map((e) => String(e.reason));
}

describe("Host header (DNS rebinding)", () => {
  test("refuses a foreign host with 421 host_rejected, before any session check", async () => {
    for (const host of [`evil.example:${port}`, `127.0.0.1:${port + 1}`, "127.0.0.1", "[::1]"]) {
      const answer = await send(port, "GET", "/api/status", { headers: { host } });
      assertRefused(answer, 421, "host_rejected");
      assert.equal(answer.headers["cache-control"], "no-store");
    }
    const page = await send(port, "GET", "/", { headers: { host: `rebind.example:${port}` } });
    assertRefused(page, 421, "host_rejected");
    assert.ok(!page.text.includes("<script"), "no page is served to a foreign host");
    assert.ok(deniedReasons().some((r) => r.includes("another host")));
  });

  test("answers 127.0.0.1:<port> and localhost:<port>", async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`]) {
      const answer = await send(port, "GET", "/", { headers: { host } });
      assert.equal(answer.status, 200, host);
    }
  });
});

describe("one-time links", () => {
  test("a link signs in once: cookie HttpOnly, SameSite=Strict, Path=/, no Domain; the key in the page", async () => {
    const { url, expiresAt } = w.window.openLink();
    assert.match(url, new RegExp(`^http://127\\.0\\.0\\.1:${port}/session/open\\?t=[\\w-]{43}$`));
    assert.ok(Date.parse(expiresAt) > 0);
    const path = url.slice(url.indexOf("/session"));
    const first = await send(port, "GET", path);
    assert.equal(first.status, 200);
    assert.equal(first.headers.location, undefined);
    assert.equal(first.headers["cache-control"], "no-store");
    const key = keyOfPage(first.text);
    assert.match(String(key), /^[\w-]{43}$/, "the request key is in the page's body");
    assert.match(first.text, /<meta name="heptora-next" content="\/">/);
    const cookie = first.headers["set-cookie"]?.[0] ?? "";
    assert.match(cookie, new RegExp(`^heptora_window_${port}=[\\w-]{43}; `));
    const attributes = cookie.split(";").map((part) => part.trim().toLowerCase());
    for (const wanted of ["httponly", "samesite=strict", "path=/"]) {
      assert.ok(attributes.includes(wanted), `${wanted} in ${cookie}`);
    }
    assert.ok(!attributes.some((a) => a.startsWith("domain=")), "no Domain attribute");

    assert.ok(!cookie.includes(key as string), "the key is not in the cookie");
    const session = await send(port, "GET", "/api/session", {
      headers: { cookie: cookie.split(";")[0] as string, "x-window-key": key as string },
    });
    assert.equal(session.status, 200);
    assert.match(String(session.json().csrfToken), /^[\w-]{43}$/);
  });

  test("a reused link signs in nobody", async () => {
    const path = w.window.openLink().url.replace(/^http:\/\/[^/]+/, "");
    assert.equal((await send(port, "GET", path)).status, 200);
    const again = await send(port, "GET", path);
    assert.equal(again.status, 403);
    assert.equal(again.headers["set-cookie"], undefined);
    assert.equal(keyOfPage(again.text), undefined);
    assert.equal(again.headers["cache-control"], "no-store");
    assert.ok(deniedReasons().some((r) => r.includes("used again")));
  });

  test("a link older than 2 minutes signs in nobody", async () => {
    const path = w.window.openLink().url.replace(/^http:\/\/[^/]+/, "");
    w.advance(2 * 60 * 1000);
    const late = await send(port, "GET", path);
    assert.equal(late.status, 403);
    assert.equal(late.headers["set-cookie"], undefined);
    assert.ok(deniedReasons().some((r) => r.includes("expired one-time")));
  });

  test("a link just inside its 2 minutes still works", async () => {
    const path = w.window.openLink().url.replace(/^http:\/\/[^/]+/, "");
    w.advance(2 * 60 * 1000 - 1);
    assert.equal((await send(port, "GET", path)).status, 200);
  });

  test("a made-up or malformed token signs in nobody", async () => {
    for (const t of ["A".repeat(43), "short", "%00%00", ""]) {
      const answer = await send(port, "GET", `/session/open?t=${t}`);
      assert.equal(answer.status, 403, t);
      assert.equal(answer.headers["set-cookie"], undefined);
    }
  });
});

describe("sessions, Origin and CSRF token", () => {
  test("the API needs a session: 401 unauthenticated without the cookie", async () => {
    assertRefused(await send(port, "GET", "/api/secrets"), 401, "unauthenticated");
    const forged = await send(port, "GET", "/api/secrets", {
      headers: { cookie: `heptora_window_${port}=${"x".repeat(43)}` },
    });
    assertRefused(forged, 401, "unauthenticated");
  });

  test("a cross-origin POST is refused even with a valid cookie and token", async () => {
    const session = await w.signIn();
    for (const origin of [`http://127.0.0.1:${port + 1}`, "http://evil.example", "null"]) {
      const answer = await send(port, "POST", "/api/sync", {
        headers: {
          cookie: session.cookie,
          origin,
          "x-csrf-token": session.csrf,
          "content-type": "application/json",
        },
        body: "{}",
      });
      assertRefused(answer, 403, "csrf_rejected");
    }
    const noOrigin = await send(port, "PUT", "/api/secrets/SAP_USER", {
      headers: { cookie: session.cookie, "x-csrf-token": session.csrf },
      body: JSON.stringify({ value: "x" }),
    });
    assertRefused(noOrigin, 403, "csrf_rejected");
    assert.ok(deniedReasons().some((r) => r.includes("another origin")));
  });

  test("a POST without the CSRF token, or with another one, is refused and changes nothing", async () => {
    const session = await w.signIn();
    await w.fx.service.login(ANA, "cli");
    const origin = `http://127.0.0.1:${port}`;
    for (const token of [undefined, "wrong-token-wrong-token-wrong-token-0000000"]) {
      const answer = await send(port, "PUT", "/api/secrets/SAP_USER", {
        headers: {
          cookie: session.cookie,
          "x-window-key": session.key,
          origin,
          "content-type": "application/json",
          ...(token === undefined ? {} : { "x-csrf-token": token }),
        },
        body: JSON.stringify({ value: "forged" }),
      });
      assertRefused(answer, 403, "csrf_rejected");
    }
    assert.equal(w.fx.vault.getSecret(ANA.email, "SAP_USER"), undefined);
    assert.ok(deniedReasons().some((r) => r.includes("CSRF")));
    // The same call with the token goes through.
    const ok = await w.call(session, "PUT", "/api/secrets/SAP_USER", { value: "ana-sap" });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(w.fx.vault.getSecret(ANA.email, "SAP_USER")?.value, "ana-sap");
  });

  test("a session ends after 15 minutes without activity; activity keeps it alive", async () => {
    const session = await w.signIn();
    w.advance(14 * 60 * 1000);
    assert.equal((await w.call(session, "GET", "/api/status")).status, 200);
    w.advance(14 * 60 * 1000);
    assert.equal((await w.call(session, "GET", "/api/status")).status, 200);
    w.advance(15 * 60 * 1000);
    assertRefused(await w.call(session, "GET", "/api/status"), 401, "session_expired");
    assertRefused(await w.call(session, "GET", "/api/status"), 401, "unauthenticated");
  });
});

describe("headers", () => {
  test("every API answer is no-store, with CSP, no-referrer and nosniff", async () => {
    const session = await w.signIn();
    const answers = [
      await w.call(session, "GET", "/api/status"),
      await w.call(session, "GET", "/api/secrets"),
      await w.call(session, "POST", "/api/secrets/SAP_USER/reveal", {}),
      await w.call(session, "GET", "/api/nothing-here"),
      await send(port, "GET", "/api/status"),
    ];
    for (const answer of answers) {
      assert.equal(answer.headers["cache-control"], "no-store");
      assertStrictHeaders(answer);
    }
  });

  test("the page is no-store with a strict CSP; assets are cacheable", async () => {
    for (const path of ["/", "/secrets", "/index.html"]) {
      const page = await send(port, "GET", path);
      assert.equal(page.status, 200);
      assert.equal(page.headers["cache-control"], "no-store");
      assert.match(String(page.headers["content-type"]), /^text\/html/);
      assertStrictHeaders(page);
    }
    const asset = await send(port, "GET", "/assets/app.js");
    assert.equal(asset.status, 200);
    assert.match(String(asset.headers["content-type"]), /^text\/javascript/);
    assertStrictHeaders(asset);
  });

  test("paths outside the build are not served", async () => {
    const outside = [
      "/assets/../../keys/robot.key",
      "/assets/%2e%2e/%2e%2e/data/vault.db",
      "/assets/..%2f..%2fkeys%2frobot.key",
      "/.env",
      "/x.key",
    ];
    for (const path of outside) {
      const answer = await send(port, "GET", path);
      assert.equal(answer.status, 404, path);
    }
  });
});

function assertStrictHeaders(answer: Answer): void {
  const csp = String(answer.headers["content-security-policy"]);
  for (const directive of [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ]) {
    assert.ok(csp.includes(directive), `${directive} in ${csp}`);
  }
  assert.ok(!csp.includes("unsafe-inline") && !csp.includes("unsafe-eval"));
  assert.equal(answer.headers["referrer-policy"], "no-referrer");
  assert.equal(answer.headers["x-content-type-options"], "nosniff");
}

describe("inputs", () => {
  test("bodies are validated: bad input is 400 with a code and changes nothing", async () => {
    const session = await w.signIn();
    const empty = await w.call(session, "PUT", "/api/secrets/SAP_PASSWORD", { value: "" });
    assertRefused(empty, 400, "validation_failed");
    const extra = await w.call(session, "PUT", "/api/secrets/SAP_PASSWORD", {
      value: "x",
      admin: true,
    });
    assertRefused(extra, 400, "validation_failed");
    const badName = await w.call(session, "PUT", "/api/secrets/sap_password", { value: "x" });
    assertRefused(badName, 400, "invalid_secret_name");
    assert.match(String(badName.json().error?.message), /SAP_PASSWORD/);
    const notJson = await send(port, "PUT", "/api/secrets/SAP_PASSWORD", {
      headers: {
        cookie: session.cookie,
        "x-window-key": session.key,
        origin: `http://127.0.0.1:${port}`,
        "x-csrf-token": session.csrf,
        "content-type": "application/json",
      },
      body: "{nope",
    });
    assertRefused(notJson, 400, "invalid_json");
    assert.equal(w.fx.vault.getSecret(ANA.email, "SAP_PASSWORD"), undefined);
  });

  test("a body over the limit is 413 body_too_large", async () => {
    const session = await w.signIn();
    const answer = await w.call(session, "PUT", "/api/secrets/SAP_PASSWORD", {
      value: "x".repeat(600 * 1024),
    });
    assertRefused(answer, 413, "body_too_large");
  });
});
