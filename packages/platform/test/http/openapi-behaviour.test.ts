/**
 * Issue 12, "the OpenAPI document matches behaviour": each point checked on the served document
 * AND on what the API does, through HTTP only. The fuzzer (openapi-fuzz.test.ts) covers every
 * operation broadly; these are the named cases, one behaviour each.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Browser, startTestApp, type TestApp } from "../support/app.ts";
import { dialects } from "../support/dialects.ts";

type Json = Record<string, unknown>;
type Operation = {
  description?: string;
  parameters?: { name: string; in: string; required?: boolean; description?: string }[];
  requestBody?: { content: { "application/json": { schema: Json } } };
  responses: Record<string, { description: string; headers?: Json; content?: Json }>;
  security?: Record<string, string[]>[];
};
type Doc = Json & {
  servers: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, { description?: string }> };
};

/** Characters that must never come back raw in a message: C0/C1 controls, bidi, zero-width. */
function unsafeCharacter(message: string): string | undefined {
  return [...message].find((c) => {
    const n = c.codePointAt(0) ?? 0;
    return (
      n < 0x20 ||
      (n >= 0x7f && n <= 0x9f) ||
      (n >= 0x200b && n <= 0x200f) ||
      (n >= 0x202a && n <= 0x202e) ||
      (n >= 0x2066 && n <= 0x2069) ||
      n === 0xfeff
    );
  });
}

for (const dialect of dialects()) {
  describe(`the OpenAPI document matches behaviour on ${dialect.name}`, () => {
    let t: TestApp;
    let admin: Browser;
    let doc: Doc;
    let processId: string;
    const op = (method: string, path: string): Operation => {
      const found = doc.paths[`/api/v1${path}`]?.[method];
      assert.ok(found, `${method} ${path} is documented`);
      return found;
    };

    before(async () => {
      t = await startTestApp(dialect);
      admin = await t.admin();
      doc = (await t.request("GET", "/api/v1/openapi.json")).json();
      const created = await admin.request("POST", "/api/v1/processes", {
        name: "Invoice Processing",
        description: "SAP",
      });
      processId = created.json().id;
      await admin.request("POST", `/api/v1/processes/${processId}/variables`, {
        name: "SAP_USER",
      });
    });
    after(() => t.close());

    it("refuses {} on every PATCH alike (400 validation_failed, nothing changed) and documents minProperties: 1", async () => {
      const member = await t.member(admin, "ana@example.com");
      const urls: Record<string, string> = {
        "/api/v1/processes/{id}": `/api/v1/processes/${processId}`,
        "/api/v1/processes/{id}/variables/{name}": `/api/v1/processes/${processId}/variables/SAP_USER`,
        "/api/v1/users/{id}": `/api/v1/users/${member.user.id}`,
      };
      const patches = Object.entries(doc.paths).filter(([, ops]) => ops.patch !== undefined);
      assert.deepEqual(patches.map(([path]) => path).sort(), Object.keys(urls).sort());
      const before = (await admin.request("GET", `/api/v1/processes/${processId}`)).body;
      for (const [path, ops] of patches) {
        const schema = ops.patch?.requestBody?.content["application/json"].schema;
        assert.equal(schema?.minProperties, 1, `${path} documents minProperties: 1`);
        const response = await admin.request("PATCH", urls[path] as string, {});
        assert.equal(response.statusCode, 400, `${path}: ${response.body}`);
        const error = response.json().error;
        assert.equal(error.code, "validation_failed");
        assert.match(error.message, /^The request is not valid\. Send at least one of: /);
      }
      assert.equal((await admin.request("GET", `/api/v1/processes/${processId}`)).body, before);
    });

    it("checks name and description lengths on the trimmed text it stores, and documents the trimming", async () => {
      const name = "n".repeat(100);
      const created = await admin.request("POST", "/api/v1/processes", {
        name: `   ${name}   `,
        description: ` ${"d".repeat(1000)} `,
      });
      assert.equal(created.statusCode, 201, created.body);
      assert.equal(created.json().name, name);
      assert.equal(created.json().description.length, 1000);
      const tooLong = await admin.request("POST", "/api/v1/processes", {
        name: ` ${"n".repeat(101)} `,
      });
      assert.equal(tooLong.statusCode, 400);
      const body = op("post", "/processes").requestBody?.content["application/json"].schema as {
        properties: Record<string, { description?: string }>;
      };
      for (const field of ["name", "description"]) {
        assert.match(
          body.properties[field]?.description ?? "",
          /Trimmed of surrounding whitespace; at most \d+ characters after trimming/,
          field,
        );
      }
    });

    it("refuses unknown query parameters (400 naming them) and lists each operation's query parameters", async () => {
      const robot = await t.request("POST", "/api/v1/robot/login", {
        body: {
          email: "ana@example.com",
          password: "ana@example.com long password",
          robotName: "laptop",
          machineId: "m-1",
        },
      });
      const bearer = { authorization: `Bearer ${robot.json().token}` };
      const refused = [
        await admin.request("GET", "/api/v1/processes?foo=1"),
        await admin.request("GET", "/api/v1/audit?limit=5&actor=x"),
        await t.request("GET", "/api/v1/robot/definitions?cursor=1&since=2", { headers: bearer }),
        await t.request("GET", "/api/v1/openapi.json?v=2"),
      ];
      for (const response of refused) {
        assert.equal(response.statusCode, 400, response.body);
        assert.equal(response.json().error.code, "validation_failed");
        assert.match(
          response.json().error.message,
          /Unknown query parameter '(foo|actor|since|v)'/,
        );
      }
      const sync = await t.request("GET", "/api/v1/robot/definitions?cursor=1", {
        headers: bearer,
      });
      assert.equal(sync.statusCode, 200);
      const names = (method: string, path: string) =>
        (op(method, path).parameters ?? []).filter((p) => p.in === "query").map((p) => p.name);
      assert.deepEqual(names("get", "/robot/definitions"), ["cursor"]);
      assert.deepEqual(names("get", "/audit").sort(), [
        "action",
        "actorId",
        "before",
        "from",
        "limit",
        "processId",
        "robotId",
        "to",
      ]);
      assert.deepEqual(names("get", "/processes"), []);
    });

    it("documents Set-Cookie where it signs in or out, and sends it there", async () => {
      for (const [method, path, status] of [
        ["post", "/auth/login", "200"],
        ["post", "/auth/logout", "204"],
        ["post", "/setup", "201"],
      ] as const) {
        assert.ok(op(method, path).responses[status]?.headers?.["Set-Cookie"], `${method} ${path}`);
      }
      const login = await t.request("POST", "/api/v1/auth/login", {
        body: { email: "admin@example.com", password: "correct horse battery staple" },
      });
      assert.match(
        String(login.headers["set-cookie"]),
        /^heptora_session=.+HttpOnly; SameSite=Strict/,
      );
      const logout = await t.request("POST", "/api/v1/auth/logout");
      assert.match(String(logout.headers["set-cookie"]), /^heptora_session=;.*Max-Age=0/);
    });

    it("documents Retry-After on 429 and sends it", async () => {
      assert.ok(op("post", "/auth/login").responses["429"]?.headers?.["Retry-After"]);
      assert.ok(op("post", "/robot/login").responses["429"]?.headers?.["Retry-After"]);
      let response = await t.request("POST", "/api/v1/auth/login", {
        body: { email: "nobody@example.com", password: "wrong" },
      });
      for (let i = 0; i < 10 && response.statusCode !== 429; i++) {
        response = await t.request("POST", "/api/v1/auth/login", {
          body: { email: "nobody@example.com", password: "wrong" },
        });
      }
      assert.equal(response.statusCode, 429);
      assert.match(String(response.headers["retry-after"]), /^[1-9][0-9]*$/);
    });

    it("documents the Origin + X-CSRF-Token requirement of cookie writes, and enforces it", async () => {
      const schemes = doc.components.securitySchemes;
      assert.match(schemes.session?.description ?? "", /Origin.*X-CSRF-Token.*csrf_rejected/s);
      const create = op("post", "/processes");
      // A cookie session's write needs the CSRF token; an admin API token needs neither.
      assert.deepEqual(create.security, [{ session: [], csrfToken: [] }, { apiToken: [] }]);
      const origin = create.parameters?.find((p) => p.in === "header" && p.name === "Origin");
      assert.match(origin?.description ?? "", /cookie-authenticated write without it .* 403/s);
      assert.match(origin?.description ?? "", /Not needed with an admin API token/);
      const tokenCreate = op("post", "/tokens");
      const sessionOnly = tokenCreate.parameters?.find(
        (p) => p.in === "header" && p.name === "Origin",
      );
      assert.equal(sessionOnly?.required, true);
      assert.ok(create.responses["403"]?.description.includes("`csrf_rejected`"));
      const noOrigin = await t.request("POST", "/api/v1/processes", {
        body: { name: "Sneaky" },
        headers: { cookie: admin.cookie, "x-csrf-token": admin.csrfToken },
      });
      assert.equal(noOrigin.statusCode, 403);
      assert.equal(noOrigin.json().error.code, "csrf_rejected");
    });

    it("names the configured public URL as the document's server", async () => {
      const publicUrl = "https://heptora.example.com";
      const other = await startTestApp(dialect, { publicUrl });
      try {
        const served = await other.request("GET", "/api/v1/openapi.json", {
          headers: { host: "heptora.example.com" },
        });
        assert.deepEqual(
          served.json().servers.map((s: { url: string }) => s.url),
          [publicUrl],
        );
      } finally {
        await other.close();
      }
      assert.deepEqual(
        doc.servers.map((s) => s.url),
        ["/"],
      );
    });

    it("documents that a password reset signs the person's robots out, as it does", async () => {
      assert.match(
        op("post", "/auth/password-reset/confirm").description ?? "",
        /signs out all their robots/,
      );
      const robot = await t.request("POST", "/api/v1/robot/login", {
        body: {
          email: "ana@example.com",
          password: "ana@example.com long password",
          robotName: "laptop",
          machineId: "m-reset",
        },
      });
      const bearer = { authorization: `Bearer ${robot.json().token}` };
      await t.request("POST", "/api/v1/auth/password-reset", {
        body: { email: "ana@example.com" },
      });
      const mail = await t.mailer.next();
      const token = /token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
      assert.ok(token);
      const confirmed = await t.request("POST", "/api/v1/auth/password-reset/confirm", {
        body: { token, password: "a brand new long password" },
      });
      assert.equal(confirmed.statusCode, 204, confirmed.body);
      const sync = await t.request("GET", "/api/v1/robot/definitions", { headers: bearer });
      assert.equal(sync.statusCode, 401);
      assert.equal(sync.json().error.details.reason, "password_changed");
    });

    it("refuses unknown user ids in PUT assignees with 422 users_not_found naming them, as documented", async () => {
      const responses = op("put", "/processes/{id}/assignees").responses;
      assert.ok(responses["422"]?.description.includes("`users_not_found`"));
      assert.equal(responses["404"]?.description.includes("`user_not_found`"), false);
      const response = await admin.request("PUT", `/api/v1/processes/${processId}/assignees`, {
        userIds: ["ghost-1", "ghost-2"],
      });
      assert.equal(response.statusCode, 422);
      const error = response.json().error;
      assert.equal(error.code, "users_not_found");
      assert.deepEqual(error.details.userIds, ["ghost-1", "ghost-2"]);
      assert.match(error.message, /'ghost-1', 'ghost-2'/);
    });

    it("escapes and bounds the input it echoes in error messages", async () => {
      const messages: string[] = [];
      const evilId = "\u001b[2J\u202eevil\u200b\u0007";
      const notFound = await admin.request(
        "GET",
        `/api/v1/processes/${encodeURIComponent(evilId)}`,
      );
      assert.equal(notFound.statusCode, 404);
      messages.push(notFound.json().error.message);
      assert.ok(notFound.json().error.message.includes("\\u{1b}[2J\\u{202e}evil\\u{200b}\\u{7}"));

      const unknownKey = await admin.request("POST", "/api/v1/processes", {
        name: "Fine",
        [`\u0000\u202e${"k".repeat(5000)}`]: 1,
      });
      assert.equal(unknownKey.statusCode, 400);
      messages.push(
        unknownKey.json().error.message,
        JSON.stringify(unknownKey.json().error.details),
      );

      const assign = await admin.request("PUT", `/api/v1/processes/${processId}/assignees`, {
        userIds: [`\u001b]0;owned\u0007${"u".repeat(40)}`],
      });
      assert.equal(assign.statusCode, 422);
      messages.push(assign.json().error.message);

      const longPath = await admin.request("DELETE", `/api/v1/processes/${"p".repeat(3000)}`);
      assert.equal(longPath.statusCode, 400, "a long id reaches its route and is refused there");
      messages.push(longPath.json().error.message);
      const noRoute = await admin.request("GET", `/api/v1/nowhere/%1B%5B31m${"z".repeat(3000)}`);
      assert.equal(noRoute.statusCode, 404);
      messages.push(noRoute.json().error.message);

      for (const message of messages) {
        assert.equal(unsafeCharacter(message), undefined, message.slice(0, 200));
        assert.ok(message.length <= 600, `bounded: ${message.length} characters`);
      }
    });

    it("declares 413 and 415 where the body parser answers them", async () => {
      const create = op("post", "/processes").responses;
      assert.ok(create["415"]?.description.includes("`unsupported_media_type`"));
      assert.ok(create["413"]?.description.includes("`body_too_large`"));
      const wrongType = await t.request("POST", "/api/v1/processes", {
        body: "name=x",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          cookie: admin.cookie,
          origin: "http://platform.test",
          "x-csrf-token": admin.csrfToken,
        },
      });
      assert.equal(wrongType.statusCode, 415);
    });
  });
}
