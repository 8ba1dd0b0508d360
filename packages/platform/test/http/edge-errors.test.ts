/**
 * Every error at the edge of the HTTP server is a catalogue error with the security headers,
 * including the ones the web framework and Node's HTTP parser raise (ADR 0069), and none of the
 * client's mistakes is logged with a stack.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { dialects } from "../support/dialects.ts";
import { type ListeningApp, listenTestApp } from "../support/listening-app.ts";
import { assertCatalogueError, raw } from "../support/raw-http.ts";

for (const dialect of dialects()) {
  describe(`errors at the edge of the HTTP server (${dialect.name})`, () => {
    let t: ListeningApp;
    let host: { host: string };
    before(async () => {
      t = await listenTestApp(dialect);
      host = { host: `127.0.0.1:${t.port}` };
    });
    after(() => t.close());

    it("answers a wrong method on a known path with 405 method_not_allowed and Allow", async () => {
      const cases: [string, string, string][] = [
        ["QUERY", "/api/v1/processes", "GET, HEAD, POST"],
        ["PUT", "/api/v1/processes", "GET, HEAD, POST"],
        ["GET", "/api/v1/processes/p1/variables/SAP_USER", "DELETE, PATCH"],
        ["DELETE", "/api/v1/setup", "GET, HEAD, POST"],
        ["OPTIONS", "/api/v1/auth/login", "POST"],
        ["POST", "/healthz", "GET, HEAD"],
        ["POST", "/", "GET, HEAD"],
      ];
      for (const [method, path, allow] of cases) {
        const answer = await raw(t.port, method, path, { headers: host });
        assertCatalogueError(answer, 405, "method_not_allowed");
        assert.equal(answer.headers.allow, allow, `${method} ${path}`);
      }
      // QUERY with a body type is refused the same way, before its body is read.
      const typed = await raw(t.port, "QUERY", "/api/v1/processes", {
        headers: { ...host, "content-type": "application/json" },
        body: "{}",
      });
      assertCatalogueError(typed, 405, "method_not_allowed");
    });

    it("answers any method on an unknown API path with 404 route_not_found", async () => {
      for (const method of ["GET", "POST", "QUERY", "PROPFIND"]) {
        const answer = await raw(t.port, method, "/api/v1/nope", { headers: host });
        assertCatalogueError(answer, 404, "route_not_found");
      }
    });

    it("answers a method Node's parser does not know with 400 malformed_request", async () => {
      const answer = await raw(t.port, "FOO", "/api/v1/processes", { headers: host });
      assertCatalogueError(answer, 400, "malformed_request");
      assert.match(answer.json().error.message, /method/);
    });

    it("answers broken percent-encoding in the path or the query with 400 invalid_url", async () => {
      for (const path of [
        "/api/v1/processes/%E0%A4%A",
        "/api/v1/processes/%zz",
        "/%zz",
        "/api/v1/robot/definitions?cursor=%E0%A4%A",
        "/api/v1/audit?action=%FF",
      ]) {
        const answer = await raw(t.port, "GET", path, { headers: host });
        assertCatalogueError(answer, 400, "invalid_url");
      }
    });

    it("refuses a JSON body that is not UTF-8 with 400 invalid_json and stores nothing", async () => {
      const admin = await t.setup();
      const headers = {
        ...host,
        origin: t.origin,
        cookie: admin.cookie,
        "x-csrf-token": admin.csrfToken,
        "content-type": "application/json",
      };
      const latin1 = Buffer.from('{"name":"Caf\u00e9 orders"}', "latin1");
      const answer = await raw(t.port, "POST", "/api/v1/processes", { headers, body: latin1 });
      assertCatalogueError(answer, 400, "invalid_json");
      assert.match(answer.json().error.message, /UTF-8/);
      const list = await raw(t.port, "GET", "/api/v1/processes", { headers });
      assert.deepEqual(JSON.parse(list.body), { processes: [] });
      // The same name in UTF-8 is fine.
      const utf8 = Buffer.from('{"name":"Caf\u00e9 orders"}', "utf8");
      const created = await raw(t.port, "POST", "/api/v1/processes", { headers, body: utf8 });
      assert.equal(created.status, 201, created.body);
      assert.equal(created.json().name, "Caf\u00e9 orders");
    });

    it("logs none of these client errors as an error or with a stack", () => {
      const logged = t.logs();
      assert.ok(logged.length > 0, "the test app logs requests");
      const loud = logged.filter(
        (line) => Number(line.level) >= 50 || /stack/.test(JSON.stringify(line)),
      );
      assert.deepEqual(loud, []);
    });
  });
}
