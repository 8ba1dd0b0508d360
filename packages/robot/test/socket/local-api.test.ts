import assert from "node:assert/strict";
import { createServer, request, type Server } from "node:http";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createRobotClient, type RobotClient } from "../../src/cli/robot-client.ts";
import { socketRequest } from "../../src/lib/socket-request.ts";
import { newToken, tokenDigest } from "../../src/lib/tokens.ts";
import { writeControlToken } from "../../src/socket/control-token.ts";
import { createLocalApi } from "../../src/socket/local-api.ts";
import { listenOnSocket } from "../../src/socket/socket-listener.ts";
import { ANA, type ServiceFixture, serviceFixture } from "../support/service.ts";
import { waitFor } from "../support/wait.ts";

const VALUE = "s3cr3t-value-for-the-api";

describe("local API over the Unix socket", () => {
  let f: ServiceFixture;
  let server: Server;
  let socketPath: string;
  let control: string;
  let client: RobotClient;

  before(async () => {
    f = await serviceFixture();
    await f.service.login(ANA, "cli");
    socketPath = join(f.temp.dataDir, "robot.sock");
    control = newToken();
    writeControlToken(join(f.temp.dataDir, "control.token"), control);
    server = createServer(
      createLocalApi({ service: f.service, controlDigest: tokenDigest(control), log: () => {} }),
    );
    await listenOnSocket(server, socketPath);
    client = createRobotClient({ dataDir: f.temp.dataDir, socketPath });
    await client.setSecret("SAP_PASSWORD", VALUE);
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await f.close();
  });

  const get = (path: string, token: string) =>
    socketRequest({ socketPath, method: "GET", path, token });

  test("a run reads a declared value; the answer is never cached", async () => {
    const run = await client.openRun({ process: "Invoice Processing", env: [] });
    try {
      const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
        const req = request(
          {
            socketPath,
            path: "/v1/secrets/SAP_PASSWORD",
            headers: { authorization: `Bearer ${run.grant.token}` },
          },
          (res) => {
            res.resume();
            resolve(res.headers);
          },
        );
        req.on("error", reject);
        req.end();
      });
      assert.equal(headers["cache-control"], "no-store");
      const answer = await get("/v1/secrets/SAP_PASSWORD", run.grant.token);
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body, { name: "SAP_PASSWORD", value: VALUE });
      const typo = await get("/v1/secrets/SAP_PASWORD", run.grant.token);
      assert.equal(typo.status, 404);
      assert.deepEqual(typo.body, {
        error: {
          code: "secret_not_declared",
          message:
            "Process 'Invoice Processing' does not declare 'SAP_PASWORD'. Did you mean 'SAP_PASSWORD'?",
        },
      });
      const missing = await get("/v1/secrets/SAP_USER", run.grant.token);
      assert.equal(missing.status, 404);
      assert.equal(
        (missing.body as { error: { code: string } }).error.code,
        "secret_value_missing",
      );
    } finally {
      run.close();
    }
  });

  test("a read's path is parsed as a URL whichever way it is written", async () => {
    const run = await client.openRun({ process: "Invoice Processing", env: [] });
    try {
      for (const path of [
        "/v1/secrets/SAP_PASSWORD?x=1",
        "/v1/secrets/SAP_%50ASSWORD",
        "/v1/secrets/../secrets/SAP_PASSWORD",
      ]) {
        const answer = await get(path, run.grant.token);
        assert.equal(answer.status, 200, path);
        assert.deepEqual(answer.body, { name: "SAP_PASSWORD", value: VALUE });
      }
      for (const path of ["/v1/secrets/SAP_PASSWORD/x", "/v1/secrets/", "/v1/secrets/%2F"]) {
        const answer = await get(path, run.grant.token);
        assert.equal(answer.status, 404, path);
      }
      const post = await socketRequest({
        socketPath,
        method: "POST",
        path: "/v1/secrets/SAP_PASSWORD",
        token: run.grant.token,
      });
      assert.equal(post.status, 405);
    } finally {
      run.close();
    }
  });

  test("the run token dies with the run's connection", async () => {
    const run = await client.openRun({ process: "Invoice Processing", env: [] });
    assert.equal(f.service.activeRuns, 1);
    run.close();
    await waitFor(() => f.service.activeRuns === 0, "the run token to be revoked");
    const answer = await get("/v1/secrets/SAP_PASSWORD", run.grant.token);
    assert.equal(answer.status, 401);
  });

  test("a bad run token is 401 invalid_run_token with no hint, whether or not the name exists", async () => {
    for (const path of ["/v1/secrets/SAP_PASSWORD", "/v1/secrets/NOPE", "/v1/secrets/%ZZ"]) {
      const answer = await get(path, "guess");
      assert.equal(answer.status, 401);
      assert.deepEqual(answer.body, {
        error: { code: "invalid_run_token", message: "The run token is not valid." },
      });
    }
  });

  test("a run lists the names its process declares, names only; a bad token is 401 and audited", async () => {
    const run = await client.openRun({ process: "Invoice Processing", env: [] });
    try {
      const answer = await get("/v1/secrets", run.grant.token);
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body, {
        process: "Invoice Processing",
        names: [
          { name: "SAP_USER", secret: true },
          { name: "SAP_PASSWORD", secret: true },
          { name: "REGION", secret: false },
        ],
      });
      assert.ok(!JSON.stringify(answer.body).includes(VALUE));
      const post = await socketRequest({
        socketPath,
        method: "POST",
        path: "/v1/secrets",
        token: run.grant.token,
      });
      assert.equal(post.status, 405);
    } finally {
      run.close();
    }
    for (const token of ["guess", control]) {
      const refused = await get("/v1/secrets", token);
      assert.equal(refused.status, 401);
      assert.deepEqual(refused.body, {
        error: { code: "invalid_run_token", message: "The run token is not valid." },
      });
    }
    const audit = await client.auditList({ type: "access.denied", limit: 5 });
    assert.match(JSON.stringify(audit), /invalid run token \(names list\)/);
  });

  test("the management token does not work as a run token, nor a run token for management", async () => {
    assert.equal((await get("/v1/secrets/SAP_PASSWORD", control)).status, 401);
    const run = await client.openRun({ process: "Invoice Processing", env: [] });
    try {
      const answer = await get("/v1/manage/status", run.grant.token);
      assert.equal(answer.status, 401);
      assert.equal((answer.body as { error: { code: string } }).error.code, "unauthenticated");
    } finally {
      run.close();
    }
  });

  test("management calls need the management token", async () => {
    for (const token of ["", "wrong", `${control}x`]) {
      const answer = await get("/v1/manage/status", token);
      assert.equal(answer.status, 401);
    }
    assert.equal((await get("/v1/manage/status", control)).status, 200);
  });

  test("bad input is refused with a clear code and changes nothing", async () => {
    const put = (body: unknown, raw?: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const payload = raw ?? JSON.stringify(body);
        const req = request(
          {
            socketPath,
            method: "PUT",
            path: "/v1/manage/secrets/SAP_PASSWORD",
            headers: {
              authorization: `Bearer ${control}`,
              "content-type": "application/json",
              "content-length": Buffer.byteLength(payload),
            },
          },
          (res) => {
            let text = "";
            res.on("data", (c: Buffer) => {
              text += c.toString();
            });
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on("error", reject);
        req.end(payload);
      });
    const leaked = "do-not-echo-this-value";
    const extra = await put({ value: leaked, also: 1 });
    assert.equal(extra.status, 400);
    assert.match(extra.body, /validation_failed/);
    assert.ok(!extra.body.includes(leaked));
    const broken = await put(undefined, "{not json");
    assert.equal(broken.status, 400);
    assert.match(broken.body, /invalid_json/);
    const huge = await put({ value: "x".repeat(2 * 1024 * 1024) });
    assert.equal(huge.status, 413);
    const tooLong = await put({ value: "x".repeat(70_000) });
    assert.equal(tooLong.status, 400);
    assert.equal((await client.revealSecret("SAP_PASSWORD")).value, VALUE);
  });

  test("unknown paths and methods have their own codes", async () => {
    const nowhere = await get("/v1/manage/nowhere", control);
    assert.equal(nowhere.status, 404);
    const wrongMethod = await socketRequest({
      socketPath,
      method: "DELETE",
      path: "/v1/manage/status",
      token: control,
    });
    assert.equal(wrongMethod.status, 405);
  });

  test("the CLI client covers list, history, audit and verify", async () => {
    const list = await client.listSecrets("Invoice Processing");
    assert.equal(list.processes[0]?.name, "Invoice Processing");
    const history = await client.history("SAP_PASSWORD");
    assert.equal(history.versions.length, 1);
    const audit = await client.auditList({ limit: 5, type: "secret.set" });
    assert.ok(audit.entries.length >= 1);
    assert.equal((await client.auditVerify()).ok, true);
    const unset = await client.unsetSecret("SAP_PASSWORD");
    assert.equal(unset.removed, true);
    const restored = await client.restore("SAP_PASSWORD", 1);
    assert.equal(restored.set, true);
  });
});
