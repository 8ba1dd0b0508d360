/**
 * The OpenAPI document declares admin API tokens (docs/adr/0072): the bearer scheme, the three
 * `/tokens` operations with every status they answer, and which operations take a token.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestApp, type TestApp } from "../support/app.ts";
import { dialects } from "../support/dialects.ts";

interface Operation {
  security: Record<string, unknown>[];
  responses: Record<string, { description: string }>;
  requestBody?: { content: { "application/json": { schema: Record<string, unknown> } } };
}
type Doc = {
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, Record<string, unknown>> };
};

const [dialect] = dialects();

describe("the OpenAPI document and admin API tokens", () => {
  let t: TestApp;
  let doc: Doc;
  const op = (path: string, method: string): Operation => {
    const found = doc.paths[path]?.[method];
    assert.ok(found, `${method} ${path} is documented`);
    return found;
  };
  const statuses = (o: Operation) => Object.keys(o.responses).sort();

  before(async () => {
    assert.ok(dialect);
    t = await startTestApp(dialect);
    doc = (await t.request("GET", "/api/v1/openapi.json")).json();
  });
  after(() => t.close());

  it("declares the apiToken bearer scheme", () => {
    assert.equal(doc.components.securitySchemes.apiToken?.type, "http");
    assert.equal(doc.components.securitySchemes.apiToken?.scheme, "bearer");
  });

  it("documents the three /tokens operations with all their statuses, for web sessions only", () => {
    const create = op("/api/v1/tokens", "post");
    assert.deepEqual(statuses(create), [
      "201",
      "400",
      "401",
      "403",
      "409",
      "413",
      "415",
      "421",
      "500",
      "507",
    ]);
    assert.match(create.responses["409"]?.description ?? "", /too_many_api_tokens/);
    assert.match(create.responses["403"]?.description ?? "", /api_token_not_allowed/);
    const body = create.requestBody?.content["application/json"].schema;
    assert.deepEqual(body?.required, ["name", "scope"]);
    assert.equal(body?.additionalProperties, false);
    assert.deepEqual(statuses(op("/api/v1/tokens", "get")), [
      "200",
      "400",
      "401",
      "403",
      "421",
      "500",
    ]);
    const revoke = op("/api/v1/tokens/{id}", "delete");
    assert.deepEqual(statuses(revoke), [
      "204",
      "400",
      "401",
      "403",
      "404",
      "413",
      "415",
      "421",
      "500",
      "507",
    ]);
    assert.match(revoke.responses["404"]?.description ?? "", /api_token_not_found/);
    for (const o of [create, op("/api/v1/tokens", "get"), revoke]) {
      assert.ok(!o.security.some((s) => "apiToken" in s), "tokens cannot manage tokens");
    }
  });

  it("lets the admin API take a token, with its refusals, and keeps it off sign-in and the robot API", () => {
    const list = op("/api/v1/processes", "get");
    assert.deepEqual(list.security, [{ session: [] }, { apiToken: [] }]);
    assert.match(list.responses["401"]?.description ?? "", /invalid_api_token/);
    assert.match(list.responses["403"]?.description ?? "", /api_token_read_only/);
    const write = op("/api/v1/processes", "post");
    assert.deepEqual(write.security, [{ session: [], csrfToken: [] }, { apiToken: [] }]);
    for (const [path, method] of [
      ["/api/v1/auth/session", "get"],
      ["/api/v1/robot/definitions", "get"],
      ["/api/v1/robot/status", "post"],
    ] as const) {
      assert.ok(!op(path, method).security.some((s) => "apiToken" in s), `${method} ${path}`);
    }
  });
});
