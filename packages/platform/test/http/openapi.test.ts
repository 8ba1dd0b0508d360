import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestApp, type TestApp } from "../support/app.ts";
import { dialects } from "../support/dialects.ts";

const CONTRACT: [string, string][] = [
  ["get", "/healthz"],
  ["get", "/readyz"],
  ["post", "/api/v1/auth/login"],
  ["post", "/api/v1/auth/logout"],
  ["get", "/api/v1/auth/session"],
  ["post", "/api/v1/auth/password-reset"],
  ["post", "/api/v1/auth/password-reset/confirm"],
  ["get", "/api/v1/setup"],
  ["post", "/api/v1/setup"],
  ["get", "/api/v1/processes"],
  ["post", "/api/v1/processes"],
  ["get", "/api/v1/processes/{id}"],
  ["patch", "/api/v1/processes/{id}"],
  ["delete", "/api/v1/processes/{id}"],
  ["post", "/api/v1/processes/{id}/variables"],
  ["patch", "/api/v1/processes/{id}/variables/{name}"],
  ["delete", "/api/v1/processes/{id}/variables/{name}"],
  ["put", "/api/v1/processes/{id}/assignees"],
  ["get", "/api/v1/users"],
  ["post", "/api/v1/users"],
  ["patch", "/api/v1/users/{id}"],
  ["delete", "/api/v1/users/{id}/sessions"],
  ["get", "/api/v1/robots"],
  ["get", "/api/v1/robots/{id}"],
  ["delete", "/api/v1/robots/{id}"],
  ["post", "/api/v1/robot/login"],
  ["get", "/api/v1/robot/definitions"],
  ["post", "/api/v1/robot/status"],
  ["post", "/api/v1/robot/logout"],
  ["get", "/api/v1/audit"],
  ["get", "/api/v1/tokens"],
  ["post", "/api/v1/tokens"],
  ["delete", "/api/v1/tokens/{id}"],
  ["get", "/api/v1/openapi.json"],
];

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, Record<string, unknown>>>;
};

const [dialect] = dialects();

describe("the OpenAPI document", () => {
  let t: TestApp;
  let doc: Doc;
  before(async () => {
    assert.ok(dialect);
    t = await startTestApp(dialect);
    const response = await t.request("GET", "/api/v1/openapi.json");
    assert.equal(response.statusCode, 200);
    doc = response.json();
  });
  after(() => t.close());

  it("is OpenAPI 3.1 and covers every route, and no other", () => {
    assert.equal(doc.openapi, "3.1.0");
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method} ${path}`),
    );
    assert.deepEqual(documented.sort(), CONTRACT.map(([m, p]) => `${m} ${p}`).sort());
  });

  it("describes bodies, parameters and errors from the zod schemas", () => {
    const status = doc.paths["/api/v1/robot/status"]?.post as {
      requestBody: { content: { "application/json": { schema: Record<string, unknown> } } };
      responses: Record<string, unknown>;
      security: unknown[];
    };
    const schema = status.requestBody.content["application/json"].schema;
    assert.equal(schema.additionalProperties, false);
    assert.ok(status.responses["204"]);
    assert.ok(status.responses["401"]);
    assert.deepEqual(status.security, [{ robotToken: [] }]);

    const variables = doc.paths["/api/v1/processes/{id}/variables"]?.post as {
      parameters: { name: string; in: string }[];
      requestBody: {
        content: {
          "application/json": { schema: { properties: Record<string, { pattern?: string }> } };
        };
      };
    };
    assert.deepEqual(
      variables.parameters.map((p) => `${p.in}:${p.name}`),
      ["path:id", "header:Origin"],
    );
    assert.equal(
      variables.requestBody.content["application/json"].schema.properties.name?.pattern,
      "^[A-Z][A-Z0-9_]{0,63}$",
    );
    const sync = doc.paths["/api/v1/robot/definitions"]?.get as {
      parameters: { name: string; in: string; required: boolean }[];
    };
    assert.deepEqual(
      sync.parameters.map(({ name, in: where, required }) => ({ name, where, required })),
      [{ name: "cursor", where: "query", required: false }],
    );
  });
});
