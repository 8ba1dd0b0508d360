/**
 * The start-up of a CLI command that talks to the daemon (docs/adr/0082, "Start-up"): it speaks
 * HTTP/1.1 over the socket with node:net, without loading node:http (about 30 ms of every such
 * command). The small client must read every answer Node's client read: a content-length body,
 * a chunked one, one delimited by the end of the connection; a cut connection, a silent daemon
 * and an answer that is not JSON fail as before.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer as createNetServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { socketRequest } from "../../src/lib/socket-request.ts";
import { cleanEnv, HEPTORA_BIN, type RunningDaemon, startDaemon } from "../support/cli.ts";
import { makeTempDir } from "../support/temp.ts";

const temp = makeTempDir();
const env = cleanEnv({ HEPTORA_KEY_FILE: temp.keyFile });
let daemon: RunningDaemon | undefined;
before(async () => {
  daemon = await startDaemon({ dataDir: temp.dataDir, env });
});
after(async () => {
  await daemon?.stop();
  temp.remove();
});

/** Runs bin/heptora.js and returns its result and the Node.js built-in modules it loaded. */
async function heptoraWithModules(args: readonly string[]) {
  const preload = join(temp.path, "modules.cjs");
  const list = join(temp.path, "modules.txt");
  writeFileSync(
    preload,
    `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.join("\\n")));`,
  );
  const child = spawn(process.execPath, ["--require", preload, HEPTORA_BIN, ...args], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const [code] = (await once(child, "close")) as [number | null];
  const modules = readFileSync(list, "utf8").split("\n");
  return { code, stdout, stderr, modules };
}

test("heptora status and secrets get talk to the daemon without loading node:http", async () => {
  const status = await heptoraWithModules(["--data-dir", temp.dataDir, "status", "--json"]);
  assert.equal(status.code, 0, status.stderr);
  assert.equal((JSON.parse(status.stdout) as { signedIn: boolean }).signedIn, false);
  assert.ok(!status.modules.includes("NativeModule http"), "status loaded node:http");
  const get = await heptoraWithModules(["--data-dir", temp.dataDir, "secrets", "get", "SAP_USER"]);
  assert.equal(get.code, 1);
  assert.equal(get.stderr, "The robot is not signed in. Sign in with `heptora login`.\n");
  assert.ok(!get.modules.includes("NativeModule http"), "secrets get loaded node:http");
});

async function listen(server: Server, name: string): Promise<string> {
  const path = join(temp.path, name);
  server.listen(path);
  await once(server, "listening");
  after(() => server.close());
  return path;
}

const ask = (socketPath: string, timeoutMs?: number) =>
  socketRequest({
    socketPath,
    method: "POST",
    path: "/v1/manage/echo?x=1",
    token: "t0ken",
    body: { name: "été" },
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });

test("the socket client reads content-length, chunked and close-delimited answers", async () => {
  const seen: { method?: string; url?: string; auth?: string; body: string }[] = [];
  const http = createHttpServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString("utf8");
    });
    req.on("end", () => {
      seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
      res.statusCode = 409;
      // No content-length: Node answers in chunks, sent here in two writes.
      res.write('{"error":{"code":"conflict",');
      setImmediate(() => res.end(`"message":"${JSON.parse(body).name} ✓"}}`));
    });
  });
  const chunked = await ask(await listen(http, "chunked.sock"));
  assert.deepEqual(chunked, {
    status: 409,
    body: { error: { code: "conflict", message: "été ✓" } },
  });
  assert.deepEqual(seen, [
    {
      method: "POST",
      url: "/v1/manage/echo?x=1",
      auth: "Bearer t0ken",
      body: '{"name":"été"}',
    },
  ]);

  const raw = (answer: string) =>
    createNetServer((socket: Socket) => {
      socket.once("data", () => socket.end(answer));
    });
  const sized = await ask(
    await listen(raw('HTTP/1.1 200 OK\r\ncontent-length: 8\r\n\r\n{"a":1}\nIGNORED'), "sized.sock"),
  );
  assert.deepEqual(sized, { status: 200, body: { a: 1 } });
  const closed = await ask(await listen(raw('HTTP/1.1 201 Created\r\n\r\n{"b":2}'), "closed.sock"));
  assert.deepEqual(closed, { status: 201, body: { b: 2 } });
  const empty = await ask(await listen(raw("HTTP/1.1 204 No Content\r\n\r\n"), "empty.sock"));
  assert.deepEqual(empty, { status: 204, body: null });
});

test("the socket client fails on a cut connection, a silent daemon and an answer not in JSON", async () => {
  const server = (answer: string | undefined) =>
    createNetServer((socket: Socket) => {
      socket.once("data", () => {
        if (answer !== undefined) socket.end(answer);
      });
    });
  await assert.rejects(
    ask(await listen(server("HTTP/1.1 200 OK\r\ncontent-length: 50\r\n\r\n{}"), "cut.sock")),
    { code: "robot_not_running" },
  );
  await assert.rejects(ask(await listen(server(undefined), "silent.sock"), 200), {
    code: "service_unavailable",
    message: "The robot did not answer in time.",
  });
  await assert.rejects(
    ask(await listen(server("HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\nnope"), "text.sock")),
    { code: "internal_error", message: "The robot sent an answer that is not JSON." },
  );
  await assert.rejects(ask(join(temp.path, "nobody.sock")), { code: "robot_not_running" });
});
