/**
 * The person-facing routes are one table mounted twice: every entry answers through the socket
 * (management token, actor "cli") and through the Secrets window (session, Origin, CSRF, actor
 * "window"), reaching the same service method with the same input. And the router's rules.
 */
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { PersonRoute, personRoutes } from "../../src/http/person-routes.ts";
import { createRouter, defineRoute, segmentsAfter } from "../../src/http/route.ts";
import { socketRequest } from "../../src/lib/socket-request.ts";
import { newToken, tokenDigest } from "../../src/lib/tokens.ts";
import type { PersonFacingService, RobotService } from "../../src/service/robot-service.ts";
import { createLocalApi } from "../../src/socket/local-api.ts";
import { listenOnSocket } from "../../src/socket/socket-listener.ts";
import { startWindowServer, type WindowServer } from "../../src/window/window-server.ts";
import { makeTempDir, type TempDir } from "../support/temp.ts";
import { INDEX_HTML, keyOfPage, send, type WindowLogin } from "../window/window-client.ts";

interface Call {
  method: string;
  args: unknown[];
}

/** A service that records each call and answers with the method's name. */
function recordingService(calls: Call[]): PersonFacingService & Pick<RobotService, "changes"> {
  return new Proxy({} as PersonFacingService & Pick<RobotService, "changes">, {
    get(_target, method: string) {
      return (...args: unknown[]) => {
        calls.push({ method, args });
        return method === "listAudit" ? { entries: [] } : { called: method };
      };
    },
  });
}

/** One request per route: a concrete path and a valid body. */
const EXAMPLES: Record<string, { path: string; body?: unknown; method: string; args: unknown[] }> =
  {
    [PersonRoute.Status]: { path: "/status", method: "status", args: [] },
    [PersonRoute.Login]: {
      path: "/login",
      body: { email: "ana@example.com", password: "correct horse" },
      method: "login",
      args: [{ email: "ana@example.com", password: "correct horse" }, "ACTOR"],
    },
    [PersonRoute.Logout]: { path: "/logout", body: {}, method: "logout", args: ["ACTOR"] },
    [PersonRoute.Sync]: { path: "/sync", body: {}, method: "syncNow", args: [] },
    [PersonRoute.SecretsList]: {
      path: "/secrets?process=Payroll",
      method: "listSecrets",
      args: [{ process: "Payroll" }],
    },
    [PersonRoute.SecretsSet]: {
      path: "/secrets/SAP_USER",
      body: { value: "a-value" },
      method: "setSecret",
      args: ["SAP_USER", "a-value", "ACTOR"],
    },
    [PersonRoute.SecretsUnset]: {
      path: "/secrets/SAP_USER",
      method: "unsetSecret",
      args: ["SAP_USER", "ACTOR"],
    },
    [PersonRoute.SecretsReveal]: {
      path: "/secrets/SAP_USER/reveal",
      body: {},
      method: "revealSecret",
      args: ["SAP_USER", "ACTOR"],
    },
    [PersonRoute.SecretsHistory]: {
      path: "/secrets/SAP_USER/history",
      method: "history",
      args: ["SAP_USER"],
    },
    [PersonRoute.SecretsRestore]: {
      path: "/secrets/SAP_USER/restore",
      body: { version: 2 },
      method: "restoreSecret",
      args: ["SAP_USER", 2, "ACTOR"],
    },
    [PersonRoute.SecretsMove]: {
      path: "/secrets/SAP_PASWORD/move",
      body: { to: "SAP_PASSWORD" },
      method: "moveSecret",
      args: ["SAP_PASWORD", "SAP_PASSWORD", "ACTOR"],
    },
    [PersonRoute.PeopleForget]: {
      path: "/people/forget",
      body: { email: "maria@example.com" },
      method: "forgetPerson",
      args: ["maria@example.com", "ACTOR"],
    },
    [PersonRoute.AuditList]: {
      path: "/audit?limit=5&type=secret.read",
      method: "listAudit",
      args: [{ limit: 5, type: "secret.read" }],
    },
    [PersonRoute.AuditVerify]: { path: "/audit/verify", method: "verifyAudit", args: [] },
    [PersonRoute.RunsList]: { path: "/runs?limit=5", method: "listRuns", args: [{ limit: 5 }] },
    [PersonRoute.RunsShow]: {
      path: "/runs/0b7f0c1e-run",
      method: "showRun",
      args: ["0b7f0c1e-run"],
    },
    [PersonRoute.PeopleList]: { path: "/people", method: "listPeople", args: [] },
  };

describe("the person-facing routes on both servers", () => {
  const calls: Call[] = [];
  const service = recordingService(calls);
  const control = newToken();
  let temp: TempDir;
  let socketPath: string;
  let window: WindowServer;
  let session: WindowLogin;
  const closeSocket: Array<() => void> = [];

  before(async () => {
    temp = makeTempDir();
    mkdirSync(temp.dataDir, { recursive: true });
    socketPath = join(temp.dataDir, "robot.sock");
    const server = createServer(
      createLocalApi({ service: service as never, controlDigest: tokenDigest(control), log() {} }),
    );
    await listenOnSocket(server, socketPath);
    closeSocket.push(() => {
      server.closeAllConnections();
      server.close();
    });
    const dist = join(temp.path, "dist");
    mkdirSync(dist, { recursive: true });
    writeFileSync(join(dist, "index.html"), INDEX_HTML);
    window = await startWindowServer({
      service,
      recordAudit: async () => {},
      log() {},
      distDir: dist,
    });
    const link = new URL(window.openLink().url);
    const opened = await send(window.port, "GET", `${link.pathname}${link.search}`);
    const cookie = (opened.headers["set-cookie"]?.[0] ?? "").split(";")[0] as string;
    const key = keyOfPage(opened.text) ?? "";
    const answer = await send(window.port, "GET", "/api/session", {
      headers: { cookie, "x-window-key": key },
    });
    session = { cookie, key, csrf: answer.json().csrfToken as string };
  });
  after(async () => {
    for (const close of closeSocket) close();
    await window.close();
    temp.remove();
  });

  test("every route has an example here (a new route must be added to this test)", () => {
    const names = personRoutes(service).map((route) => route.name);
    assert.deepEqual(names.sort(), Object.keys(EXAMPLES).sort());
  });

  for (const route of personRoutes(recordingService([]))) {
    test(`${route.name} (${route.method} ${route.path}) reaches ${EXAMPLES[route.name]?.method} from the CLI and the window`, async () => {
      const example = EXAMPLES[route.name];
      assert.ok(example !== undefined);
      calls.length = 0;
      const viaSocket = await socketRequest({
        socketPath,
        method: route.method as "GET",
        path: `/v1/manage${example.path}`,
        token: control,
        body: example.body,
      });
      assert.equal(viaSocket.status, 200, JSON.stringify(viaSocket.body));
      const origin = `http://127.0.0.1:${window.port}`;
      const viaWindow = await send(window.port, route.method, `/api${example.path}`, {
        headers: {
          cookie: session.cookie,
          "x-window-key": session.key,
          origin,
          ...(route.method === "GET" ? {} : { "x-csrf-token": session.csrf }),
          ...(example.body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(example.body === undefined ? {} : { body: JSON.stringify(example.body) }),
      });
      assert.equal(viaWindow.status, 200, viaWindow.text);
      const expected = (actor: string) => ({
        method: example.method,
        args: example.args.map((arg) => (arg === "ACTOR" ? actor : arg)),
      });
      assert.deepEqual(
        calls.map(({ method, args }) => ({ method, args: JSON.parse(JSON.stringify(args)) })),
        [expected("cli"), expected("window")],
      );
    });
  }

  test("a body where none is expected, or a bad one, is refused the same way on both", async () => {
    calls.length = 0;
    const viaSocket = await socketRequest({
      socketPath,
      method: "POST",
      path: "/v1/manage/logout",
      token: control,
      body: { everything: true },
    });
    const viaWindow = await send(window.port, "POST", "/api/logout", {
      headers: {
        cookie: session.cookie,
        "x-window-key": session.key,
        origin: `http://127.0.0.1:${window.port}`,
        "x-csrf-token": session.csrf,
        "content-type": "application/json",
      },
      body: JSON.stringify({ everything: true }),
    });
    assert.equal(viaSocket.status, 400);
    assert.equal(viaWindow.status, 400);
    assert.deepEqual(
      (viaSocket.body as { error: unknown }).error,
      (viaWindow.json() as { error: unknown }).error,
    );
    assert.deepEqual(calls, []);
  });
});

describe("the router", () => {
  const route = (name: string, method: "GET" | "POST", path: string) =>
    defineRoute({ name, method, path, summary: name, handler: () => name });
  const router = createRouter([
    route("item", "GET", "/items/:id"),
    route("special", "GET", "/items/special"),
    route("create", "POST", "/items"),
  ]);

  test("matches parameters, and a literal segment wins over a parameter", () => {
    assert.deepEqual(router.match("GET", ["items", "42"]).params, { id: "42" });
    assert.equal(router.match("GET", ["items", "42"]).route.name, "item");
    assert.equal(router.match("GET", ["items", "special"]).route.name, "special");
  });

  test("answers method_not_allowed for a known path, route_not_found otherwise", () => {
    assert.throws(() => router.match("DELETE", ["items", "1"]), { code: "method_not_allowed" });
    assert.throws(() => router.match("GET", ["items"]), { code: "method_not_allowed" });
    assert.throws(() => router.match("GET", ["items", "1", "x"]), { code: "route_not_found" });
    assert.throws(() => router.match("GET", ["items", ""]), { code: "route_not_found" });
  });

  test("refuses two routes with one name", () => {
    assert.throws(() => createRouter([route("a", "GET", "/a"), route("a", "GET", "/b")]), /two/i);
  });

  test("splits a path after its prefix, decoding each segment", () => {
    assert.deepEqual(segmentsAfter("/api/secrets/A%20B", "/api"), ["secrets", "A B"]);
    assert.deepEqual(segmentsAfter("/api", "/api"), []);
    assert.equal(segmentsAfter("/apix/secrets", "/api"), undefined);
    assert.deepEqual(segmentsAfter("/api/%E0%A4%A", "/api"), ["%E0%A4%A"]);
  });
});
