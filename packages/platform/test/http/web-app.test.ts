import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { resolveInside } from "../../src/http/web-app.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { dialects } from "../support/dialects.ts";

const [dialect] = dialects();

describe("the web app at /", () => {
  let t: TestApp;
  let dist: string;
  before(async () => {
    assert.ok(dialect);
    dist = mkdtempSync(join(tmpdir(), "heptora-web-"));
    mkdirSync(join(dist, "assets"));
    writeFileSync(join(dist, "index.html"), "<!doctype html><title>app</title>");
    writeFileSync(join(dist, "assets", "app-1a2b3c.js"), "console.log(1)");
    writeFileSync(join(dist, ".env"), "SECRET=1");
    t = await startTestApp(dialect, { webDist: dist });
  });
  after(async () => {
    await t.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it("serves index.html for the app's own paths, revalidated on each load", async () => {
    for (const url of ["/", "/processes/123", "/reset-password?token=abc"]) {
      const response = await t.request("GET", url);
      assert.equal(response.statusCode, 200, url);
      assert.equal(response.body, "<!doctype html><title>app</title>");
      assert.match(String(response.headers["content-type"]), /^text\/html/);
      assert.equal(response.headers["cache-control"], "no-cache");
      assert.match(String(response.headers["content-security-policy"]), /script-src 'self'/);
    }
  });

  it("serves hashed assets with a long immutable cache", async () => {
    const response = await t.request("GET", "/assets/app-1a2b3c.js");
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers["content-type"]), /^text\/javascript/);
    assert.equal(response.headers["cache-control"], "public, max-age=31536000, immutable");
    assert.equal((await t.request("GET", "/assets/missing.js")).statusCode, 404);
  });

  it("never serves a file outside the build, nor a hidden one", async () => {
    for (const url of [
      "/..%2f..%2fpackage.json",
      "/%2e%2e/%2e%2e/package.json",
      "/.env",
      "/assets/..%5c..%5cx",
    ]) {
      const response = await t.request("GET", url);
      assert.equal(response.statusCode, 404, url);
      assert.doesNotMatch(response.body, /SECRET|"name"/);
    }
    assert.equal(resolveInside("/srv/dist", "/../etc/passwd"), undefined);
    assert.equal(resolveInside("/srv/dist", "/a/b.js"), "/srv/dist/a/b.js");
  });

  it("leaves /api to the API", async () => {
    const response = await t.request("GET", "/api/v1/unknown");
    assert.equal(response.statusCode, 404);
    assert.equal(response.json().error.code, "route_not_found");
  });
});
