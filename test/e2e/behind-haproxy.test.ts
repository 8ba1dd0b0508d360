/**
 * Issue 15, several instances behind a reverse proxy (ADR 0084, docs/deploy.md): two real
 * `heptora-platform` processes on one database (PostgreSQL when HEPTORA_TEST_DATABASE_URL is
 * set, each test in its own schema) behind a real HAProxy on 127.0.0.1 (round robin, health
 * checks on /readyz, `option forwardfor`), both started with `--trust-proxy 127.0.0.1`. Through
 * the proxy: an admin signs in and the cookie session works on both instances, a real robot
 * signs in and syncs, and sign-in throttling counts the client's real address whichever
 * instance answers, however the client forges X-Forwarded-For.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { connect } from "node:net";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { dialects, type TestDatabase } from "../../packages/platform/test/support/dialects.ts";
import {
  closedPort,
  type ServiceProcess,
  startService,
} from "../../packages/platform/test/support/service-process.ts";
import { run } from "../../packages/platform/test/support/spawn.ts";
import {
  cleanEnv,
  heptora,
  type RunningDaemon,
  startDaemon,
} from "../../packages/robot/test/support/cli.ts";
import { makeTempDir, type TempDir } from "../../packages/robot/test/support/temp.ts";
import { adminSession } from "./support/platform.ts";

const HAPROXY = "/usr/sbin/haproxy";
const ADMIN = { email: "admin@example.com", password: "admin password behind the proxy" };
/** Clients on other loopback addresses than the proxy's 127.0.0.1, so they are told apart. */
const ATTACKER = "127.0.0.2";
const OWNER = "127.0.0.4";
const dialect = dialects().at(-1);

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request on its own connection from `localAddress` (each one is balanced anew). */
function send(
  url: string,
  method: string,
  path: string,
  options: { from?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<Answer> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        method,
        path,
        agent: false,
        localAddress: options.from ?? "127.0.0.1",
        headers: {
          ...(body !== undefined && { "content-type": "application/json" }),
          ...options.headers,
        },
      },
      (res) => {
        let text = "";
        res.on("data", (chunk) => {
          text += String(chunk);
        });
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** Resolves once something accepts connections on 127.0.0.1:port (HAProxy has bound it). */
async function accepting(port: number, proxy: ChildProcess): Promise<void> {
  for (;;) {
    if (proxy.exitCode !== null) throw new Error(`haproxy exited with ${proxy.exitCode}`);
    const connected = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: "127.0.0.1", port });
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (connected) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe(`two platform instances on ${dialect?.name} behind HAProxy`, () => {
  let temp: TempDir;
  let database: TestDatabase;
  let instances: ServiceProcess[] = [];
  let haproxy: ChildProcess | undefined;
  let haproxyLog = "";
  let front = "";
  let daemon: RunningDaemon | undefined;

  /** The instance that wrote the log line of this request id. */
  const servedBy = (requestId: string) =>
    instances.findIndex((instance) =>
      instance.logs().some((line) => line.reqId === requestId && line.msg === "request"),
    );

  before(async () => {
    if (!existsSync(HAPROXY)) {
      throw new Error(
        "The reverse-proxy test needs Debian's haproxy: install it with 'sudo apt-get install -y haproxy' (npm test does as root).",
      );
    }
    if (dialect === undefined) throw new Error("no database dialect");
    temp = makeTempDir("hhap-");
    database = await dialect.create();
    const created = await run(
      ["create-admin", "--email", ADMIN.email, "--password-stdin", "--db", database.target],
      { cwd: temp.path, stdin: ADMIN.password },
    );
    assert.equal(created.code, 0, created.stderr);

    const frontPort = await closedPort();
    front = `http://127.0.0.1:${frontPort}`;
    const settings = {
      HEPTORA_DB: database.target,
      HEPTORA_PUBLIC_URL: front,
      HEPTORA_TRUST_PROXY: "127.0.0.1",
      HEPTORA_OUTBOX: join(temp.path, "outbox"),
      // debug: successful probes (HAProxy's health checks) are logged at debug level.
      HEPTORA_LOG_LEVEL: "debug",
      HEPTORA_PORT: "0",
    };
    // Migrations first, as an upgrade does; the instances start without migrating.
    const migrated = await run(["migrate", "--db", database.target], { cwd: temp.path });
    assert.equal(migrated.code, 0, migrated.stderr);
    instances = await Promise.all(
      [0, 1].map(() => startService(["serve", "--no-migrate"], settings, temp.path)),
    );

    const config = join(temp.path, "haproxy.cfg");
    writeFileSync(
      config,
      [
        "global",
        "  log stderr format raw local0 notice",
        "defaults",
        "  mode http",
        "  log global",
        "  timeout connect 5s",
        "  timeout client 30s",
        "  timeout server 30s",
        "frontend heptora",
        `  bind 127.0.0.1:${frontPort}`,
        "  option forwardfor",
        "  default_backend platform",
        "backend platform",
        "  balance roundrobin",
        "  option httpchk GET /readyz",
        "  http-check expect status 200",
        ...instances.map(
          (instance, i) => `  server p${i} 127.0.0.1:${instance.port} check inter 1s`,
        ),
        "",
      ].join("\n"),
    );
    haproxy = spawn(HAPROXY, ["-f", config, "-db"], { stdio: ["ignore", "pipe", "pipe"] });
    haproxy.stderr?.on("data", (chunk) => {
      haproxyLog += String(chunk);
    });
    await accepting(frontPort, haproxy);
  });

  after(async () => {
    await daemon?.stop();
    if (haproxy !== undefined && haproxy.exitCode === null) {
      haproxy.kill("SIGTERM");
      await once(haproxy, "exit");
    }
    for (const instance of instances) await instance.stop();
    await database?.drop();
    temp?.remove();
  });

  test("an admin signs in through the proxy and the cookie session works on both instances", async () => {
    const login = await send(front, "POST", "/api/v1/auth/login", {
      headers: { host: new URL(front).host, origin: front },
      body: ADMIN,
    });
    assert.equal(login.status, 200, login.body);
    const cookie = String(login.headers["set-cookie"]).split(";")[0] ?? "";
    const served = new Set<number>();
    for (let i = 0; i < 6; i++) {
      const session = await send(front, "GET", "/api/v1/auth/session", {
        headers: { host: new URL(front).host, cookie },
      });
      assert.equal(session.status, 200, session.body);
      const id = String(session.headers["x-request-id"]);
      await Promise.any(instances.map((instance) => instance.waitForLine(new RegExp(id))));
      served.add(servedBy(id));
    }
    assert.deepEqual([...served].sort(), [0, 1], "round robin reached both instances");
    // HAProxy's health checks ask /readyz.
    for (const instance of instances) {
      await instance.waitForLine(/"route":"\/readyz","status":200/);
    }
  });

  test("a robot signs in and syncs its definitions through the proxy", async () => {
    const admin = await adminSession(front, ADMIN.email, ADMIN.password);
    const login = await send(front, "POST", "/api/v1/auth/login", {
      headers: { host: new URL(front).host, origin: front },
      body: ADMIN,
    });
    const adminId = (JSON.parse(login.body) as { user: { id: string } }).user.id;
    const process = await admin.createProcess("Invoice Processing", [
      { name: "SAP_USER", secret: true },
    ]);
    await admin.assign(process, [adminId]);

    const env = cleanEnv({ HEPTORA_KEY_FILE: temp.keyFile });
    daemon = await startDaemon({ dataDir: temp.dataDir, env, platformUrl: front });
    const cli = (args: string[], input?: string) =>
      heptora(["--data-dir", temp.dataDir, ...args], {
        env,
        ...(input !== undefined && { input }),
      });
    const signedIn = await cli(
      ["login", "--email", ADMIN.email, "--password-stdin"],
      ADMIN.password,
    );
    assert.equal(signedIn.code, 0, signedIn.stderr);
    const synced = await cli(["sync"]);
    assert.equal(synced.code, 0, synced.stderr);
    const list = await cli(["secrets", "list", "--json"]);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /SAP_USER/);
    // The robot's calls went through the proxy: the instances logged them with its address.
    const robotCalls = instances.flatMap((instance) =>
      instance.logs().filter((line) => String(line.route).startsWith("/api/v1/robot/")),
    );
    assert.ok(
      robotCalls.some((line) => line.route === "/api/v1/robot/login" && line.status === 200),
    );
    assert.ok(
      robotCalls.some((line) => line.route === "/api/v1/robot/definitions" && line.status === 200),
    );
  });

  test("throttles sign-in by the client's real address on both instances, whatever X-Forwarded-For it forges", async () => {
    const headers = (forged: string) => ({ host: new URL(front).host, "x-forwarded-for": forged });
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) {
      const wrong = await send(front, "POST", "/api/v1/auth/login", {
        from: ATTACKER,
        headers: headers(`198.51.100.${i}`),
        body: { email: ADMIN.email, password: "not the password at all" },
      });
      assert.equal(wrong.status, 401, wrong.body);
      ids.push(String(wrong.headers["x-request-id"]));
    }
    const stopped = await send(front, "POST", "/api/v1/auth/login", {
      from: ATTACKER,
      headers: headers("198.51.100.99"),
      body: ADMIN,
    });
    assert.equal(stopped.status, 429, stopped.body);
    assert.equal(JSON.parse(stopped.body).error.code, "too_many_attempts");
    // Both instances counted the same client: the one HAProxy saw, not the forged one.
    const lines = await Promise.all(
      ids.map(async (id) => {
        await Promise.any(instances.map((instance) => instance.waitForLine(new RegExp(id))));
        return {
          by: servedBy(id),
          line: instances[servedBy(id)]?.logs().find((l) => l.reqId === id),
        };
      }),
    );
    assert.deepEqual([...new Set(lines.map((l) => l.by))].sort(), [0, 1]);
    for (const { line } of lines) assert.equal(line?.ip, ATTACKER);
    // The owner, from their own address, signs in.
    const owner = await send(front, "POST", "/api/v1/auth/login", {
      from: OWNER,
      headers: { host: new URL(front).host },
      body: ADMIN,
    });
    assert.equal(owner.status, 200, owner.body);
    assert.doesNotMatch(haproxyLog, /ALERT/);
  });
});
