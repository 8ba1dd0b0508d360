/**
 * The session cookie alone opens nothing (issue 12, docs/adr/0073). Browsers send a cookie of
 * 127.0.0.1 to every port of 127.0.0.1, so a program listening on another local port that the
 * window's browser is lured to receives it and can replay it, with whatever headers it likes.
 * Every API request also needs the session's request key, which only the page that used the
 * one-time link got, in the body of that answer.
 */
import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, describe, test } from "node:test";
import { ANA } from "../support/service.ts";
import { send, type WindowFixture, type WindowLogin, windowFixture } from "./window-client.ts";

const VALUE = "Replay-Target-Value-93";

describe("a replayed session cookie", () => {
  let w: WindowFixture;
  let port: number;
  let page: WindowLogin;

  before(async () => {
    w = await windowFixture();
    port = w.window.port;
    page = await w.signIn();
    await w.fx.service.login(ANA, "cli");
    await w.fx.service.setSecret("SAP_PASSWORD", VALUE, "cli");
  });
  after(() => w.close());

  /** What a replaying listener can send: the cookie, the right Host and Origin, any CSRF token. */
  function replay(method: string, path: string, extra: Record<string, string> = {}) {
    return send(port, method, path, {
      headers: {
        cookie: page.cookie,
        origin: `http://127.0.0.1:${port}`,
        "x-csrf-token": page.csrf,
        "content-type": "application/json",
        ...extra,
      },
      ...(method === "GET" || method === "DELETE"
        ? {}
        : { body: JSON.stringify({ value: "replayed" }) }),
    });
  }

  function assertRefused(answer: { status: number; text: string }, what: string) {
    assert.equal(answer.status, 401, `${what}: ${answer.text}`);
    assert.equal(JSON.parse(answer.text).error.code, "unauthenticated", what);
    assert.ok(!answer.text.includes(VALUE), `${what} leaks the value`);
    assert.ok(!answer.text.includes("SAP_PASSWORD"), `${what} leaks a name`);
  }

  test("cannot list names, read status or the CSRF token, reveal, set, unset or export", async () => {
    const extras: Record<string, string>[] = [
      {},
      { "x-window-key": "A".repeat(43) },
      { "x-window-key": "" },
    ];
    for (const extra of extras) {
      const label = JSON.stringify(extra);
      assertRefused(await replay("GET", "/api/secrets", extra), `list ${label}`);
      assertRefused(await replay("GET", "/api/status", extra), `status ${label}`);
      assertRefused(await replay("GET", "/api/session", extra), `session ${label}`);
      assertRefused(await replay("GET", "/api/audit", extra), `audit ${label}`);
      assertRefused(await replay("GET", "/api/audit/export?format=json", extra), `export ${label}`);
      assertRefused(
        await replay("POST", "/api/secrets/SAP_PASSWORD/reveal", extra),
        `reveal ${label}`,
      );
      assertRefused(await replay("PUT", "/api/secrets/SAP_PASSWORD", extra), `set ${label}`);
      assertRefused(await replay("DELETE", "/api/secrets/SAP_PASSWORD", extra), `unset ${label}`);
    }
    assert.equal(w.fx.vault.getSecret(ANA.email, "SAP_PASSWORD")?.value, VALUE, "unchanged");
    const audit = (type: string) =>
      w.fx.service.listAudit({ limit: 1000, type }).entries.filter((e) => e.actor === "window");
    assert.deepEqual(audit("secret.reveal"), [], "no reveal by the window was recorded");
    assert.ok(
      audit("access.denied").some((e) => String(e.reason).includes("request key")),
      "the replay is audited",
    );
  });

  test("cannot open the event stream", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port,
          path: "/api/events",
          setHost: false,
          headers: { host: `127.0.0.1:${port}`, cookie: page.cookie, accept: "text/event-stream" },
        },
        (res) => {
          res.destroy();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end();
    });
    assert.equal(status, 401);
  });

  test("does not keep an idle session alive", async () => {
    const session = await w.signIn();
    w.advance(14 * 60 * 1000);
    await send(port, "GET", "/api/status", { headers: { cookie: session.cookie } });
    w.advance(2 * 60 * 1000);
    const answer = await w.call(session, "GET", "/api/status");
    assert.equal(answer.status, 401);
    assert.equal(answer.json().error?.code, "session_expired");
  });

  test("the page, with its key, still does all of it", async () => {
    page = await w.signIn();
    const list = await w.call(page, "GET", "/api/secrets");
    assert.equal(list.status, 200, list.text);
    assert.match(list.text, /SAP_PASSWORD/);
    const reveal = await w.call(page, "POST", "/api/secrets/SAP_PASSWORD/reveal", {});
    assert.equal(reveal.status, 200, reveal.text);
    assert.equal(reveal.json().value, VALUE);
    const key = await w.call(page, "GET", "/api/session");
    assert.equal(key.status, 200);
  });
});
