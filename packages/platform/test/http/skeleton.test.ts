import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ORIGIN, startTestApp, type TestApp } from "../support/app.ts";
import { dialects } from "../support/dialects.ts";

for (const dialect of dialects()) {
  describe(`HTTP skeleton on ${dialect.name}`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(dialect);
    });
    after(() => t.close());

    it("answers an unknown API path with 404 route_not_found in the error shape", async () => {
      const response = await t.request("GET", "/api/v1/nope");
      assert.equal(response.statusCode, 404);
      const body = response.json();
      assert.equal(body.error.code, "route_not_found");
      assert.equal(typeof body.error.message, "string");
      const wrongMethod = await t.request("PUT", "/api/v1/processes", { body: {} });
      assert.equal(wrongMethod.statusCode, 405);
      assert.equal(wrongMethod.json().error.code, "method_not_allowed");
      assert.equal(wrongMethod.headers.allow, "GET, HEAD, POST");
    });

    it("rejects malformed JSON with 400 invalid_json", async () => {
      const response = await t.request("POST", "/api/v1/auth/login", { body: '{"email": ' });
      assert.equal(response.statusCode, 400);
      assert.equal(response.json().error.code, "invalid_json");
    });

    it("takes an empty body sent as JSON as no body: a DELETE works, a POST says what is missing", async () => {
      const admin = await t.admin();
      const created = await admin.request("POST", "/api/v1/processes", { name: "Short-lived" });
      assert.equal(created.statusCode, 201);
      const asJson = {
        cookie: admin.cookie,
        origin: ORIGIN,
        "x-csrf-token": admin.csrfToken,
        "content-type": "application/json",
      };
      const deleted = await t.request("DELETE", `/api/v1/processes/${created.json().id}`, {
        headers: asJson,
      });
      assert.equal(deleted.statusCode, 204, deleted.body);
      const empty = await t.request("POST", "/api/v1/processes", { headers: asJson });
      assert.equal(empty.statusCode, 400);
      assert.equal(empty.json().error.code, "validation_failed");
    });

    it("rejects a body over 1 MiB with 413 body_too_large", async () => {
      const big = JSON.stringify({ email: "a@b.co", password: "x".repeat(1024 * 1024) });
      const response = await t.request("POST", "/api/v1/auth/login", { body: big });
      assert.equal(response.statusCode, 413);
      assert.equal(response.json().error.code, "body_too_large");
    });

    it("rejects a non-JSON body with 415 unsupported_media_type", async () => {
      const response = await t.request("POST", "/api/v1/auth/login", {
        body: "email=a",
        headers: { "content-type": "text/plain" },
      });
      assert.equal(response.statusCode, 415);
      assert.equal(response.json().error.code, "unsupported_media_type");
    });

    it("answers invalid input with 400 validation_failed naming the field", async () => {
      const response = await t.request("POST", "/api/v1/auth/login", {
        body: { email: "not an email", password: "x", extra: 1 },
      });
      assert.equal(response.statusCode, 400);
      const { error } = response.json();
      assert.equal(error.code, "validation_failed");
      assert.match(error.message, /email/);
      const paths = error.details.issues.map((i: { path: string }) => i.path);
      assert.ok(paths.includes("email"));
    });

    it("sets the security headers on API answers and pages", async () => {
      for (const url of ["/api/v1/setup", "/"]) {
        const response = await t.request("GET", url);
        assert.equal(response.statusCode, 200);
        const csp = String(response.headers["content-security-policy"]);
        assert.match(csp, /default-src 'self'/);
        assert.match(csp, /frame-ancestors 'none'/);
        assert.equal(response.headers["x-content-type-options"], "nosniff");
        assert.equal(response.headers["referrer-policy"], "no-referrer");
      }
      const api = await t.request("GET", "/api/v1/setup");
      assert.equal(api.headers["cache-control"], "no-store");
    });

    it("explains at / that the web app is not built when there is no build", async () => {
      const response = await t.request("GET", "/");
      assert.match(String(response.headers["content-type"]), /text\/html/);
      assert.match(response.body, /not built/);
    });
  });
}

describe("unexpected failures", () => {
  it("answer 500 internal_error with a request id and no detail", async () => {
    const [dialect] = dialects();
    assert.ok(dialect);
    const t = await startTestApp(dialect);
    try {
      await t.db.close(); // every query now fails inside the driver
      const response = await t.request("GET", "/api/v1/setup");
      assert.equal(response.statusCode, 500);
      const { error } = response.json();
      assert.equal(error.code, "internal_error");
      assert.match(error.details.requestId, /^req_[0-9a-f]{16}$/);
      assert.doesNotMatch(JSON.stringify(error), /sqlite|database|closed/i);
    } finally {
      await t.close();
    }
  });
});
