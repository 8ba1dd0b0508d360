/**
 * The platform as a service (issue 15, ADR 0084), through the real binary: configured by its
 * environment alone, JSON request logs on stdout with request ids and nothing secret,
 * `migrate` as its own step with `/readyz` telling when it is needed, and SIGTERM draining the
 * requests in flight.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { watch } from "node:fs/promises";
import { connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { migrate } from "../../src/db/migrate.ts";
import { MIGRATIONS } from "../../src/db/migrations.ts";
import { openDatabase } from "../../src/db/open-db.ts";
import { dialects, type TestDatabase } from "../support/dialects.ts";
import { closedPort, type ServiceProcess, startService } from "../support/service-process.ts";
import { run } from "../support/spawn.ts";

const ADMIN = { email: "ops@example.com", password: "the operator's long password" };
const NEW_PASSWORD = "a brand new long password";

/** Resolves with the first file in `dir`, waiting for one to appear. */
async function firstFile(dir: string): Promise<string> {
  const controller = new AbortController();
  const watcher = watch(dir, { signal: controller.signal });
  try {
    const existing = readdirSync(dir)[0];
    if (existing !== undefined) return existing;
    for await (const event of watcher) {
      if (event.filename !== null && readdirSync(dir).includes(event.filename)) {
        return event.filename;
      }
    }
    throw new Error("watch ended");
  } finally {
    controller.abort();
  }
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

/** Opens a TCP connection; resolves with the socket, or with the error code when refused. */
function tryConnect(port: number): Promise<Socket | string> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => resolve(socket));
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
  });
}

/** Collects what a socket receives; `until(pattern)` resolves once it has been received. */
function reader(socket: Socket) {
  let received = "";
  const waiters: (() => void)[] = [];
  socket.on("data", (chunk) => {
    received += String(chunk);
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  socket.on("error", () => undefined);
  return {
    text: () => received,
    closed,
    async until(pattern: RegExp): Promise<string> {
      while (!pattern.test(received)) {
        await Promise.race([new Promise<void>((wake) => waiters.push(wake)), closed]);
        if (socket.destroyed && !pattern.test(received)) {
          throw new Error(`closed before ${pattern}: ${received}`);
        }
      }
      return received;
    },
  };
}

/**
 * A sign-in whose body is still on its way: the headers ask `Expect: 100-continue`, and the
 * server's `100 Continue` proves it holds the request (in flight) before half the body is sent.
 */
async function startSlowLogin(port: number, password: string) {
  const socket = await tryConnect(port);
  if (typeof socket === "string") throw new Error(`cannot connect: ${socket}`);
  const body = JSON.stringify({ email: ADMIN.email, password });
  const half = Math.floor(body.length / 2);
  const received = reader(socket);
  socket.write(
    "POST /api/v1/auth/login HTTP/1.1\r\n" +
      `Host: 127.0.0.1:${port}\r\n` +
      "Content-Type: application/json\r\n" +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      "Expect: 100-continue\r\n\r\n",
  );
  await received.until(/^HTTP\/1\.1 100 Continue\r\n\r\n/);
  socket.write(body.slice(0, half));
  return {
    received,
    finish() {
      socket.write(body.slice(half));
    },
  };
}

/** Connects until a connection is refused (the listener is closed), at most `tries` times. */
async function refusedWithin(port: number, tries: number): Promise<string | undefined> {
  for (let i = 0; i < tries; i++) {
    const attempt = await tryConnect(port);
    // A connection caught in the backlog as the listener closes is reset: try again.
    if (attempt === "ECONNREFUSED") return attempt;
    if (typeof attempt !== "string") attempt.destroy();
  }
  return undefined;
}

for (const dialect of dialects()) {
  describe(`heptora-platform as a service on ${dialect.name}`, () => {
    let cwd: string;
    let outbox: string;
    let database: TestDatabase;
    let server: ServiceProcess;
    let port: number;

    before(async () => {
      cwd = mkdtempSync(join(tmpdir(), "heptora-ops-"));
      outbox = join(cwd, "mail");
      mkdirSync(outbox);
      database = await dialect.create();
      const created = await run(
        ["create-admin", "--email", ADMIN.email, "--password-stdin", "--db", database.target],
        { cwd, stdin: ADMIN.password },
      );
      assert.equal(created.code, 0, created.stderr);
      port = await closedPort();
      // The way the systemd unit runs it: `serve` and an EnvironmentFile, no other argument.
      server = await startService(
        ["serve"],
        {
          HEPTORA_HOST: "127.0.0.1",
          HEPTORA_PORT: String(port),
          HEPTORA_DB: database.target,
          HEPTORA_OUTBOX: outbox,
          HEPTORA_LOG_LEVEL: "info",
        },
        cwd,
      );
    });
    after(async () => {
      await server?.stop();
      await database.drop();
      rmSync(cwd, { recursive: true, force: true });
    });

    it("serves as configured by environment variables alone (an EnvironmentFile)", async () => {
      // Its database is the one HEPTORA_DB names: the admin created there signs in, and no
      // default ./.heptora was made.
      const login = await post(`${server.url}/api/v1/auth/login`, ADMIN);
      assert.equal(login.status, 200);
      assert.equal(existsSync(join(cwd, ".heptora")), false);
      assert.equal(server.port, port);
      // Mail goes to HEPTORA_OUTBOX.
      assert.equal(
        (await post(`${server.url}/api/v1/auth/password-reset`, { email: ADMIN.email })).status,
        202,
      );
      const mail = JSON.parse(readFileSync(join(outbox, await firstFile(outbox)), "utf8"));
      assert.equal(mail.to, ADMIN.email);
      // HEPTORA_LOG_LEVEL=info: requests are logged.
      assert.ok(server.logs().some((line) => line.msg === "request"));
    });

    it("logs each request as one JSON line on stdout with its id, route pattern, status and duration, and nothing secret", async () => {
      const seen: { id: string; method: string; route: string; status: number }[] = [];
      const note = (response: Response, method: string, route: string) => {
        const id = response.headers.get("x-request-id");
        assert.match(id ?? "", /^req_[0-9a-f]{16}$/, `${method} ${route}`);
        seen.push({ id: id ?? "", method, route, status: response.status });
        return response;
      };
      // A load balancer's successful health check is not worth a line at info level.
      const probe = await fetch(`${server.url}/readyz`);
      assert.equal(probe.status, 200);
      const probeId = probe.headers.get("x-request-id") ?? "";
      assert.match(probeId, /^req_/);
      const wrong = await post(`${server.url}/api/v1/auth/login`, {
        email: ADMIN.email,
        password: "a wrong but long password",
      });
      note(wrong, "POST", "/api/v1/auth/login");
      assert.equal(wrong.status, 401);
      const login = note(
        await post(`${server.url}/api/v1/auth/login`, ADMIN),
        "POST",
        "/api/v1/auth/login",
      );
      assert.equal(login.status, 200);
      const cookie = login.headers.get("set-cookie")?.split(";")[0] ?? "";
      const { csrfToken } = (await login.json()) as { csrfToken: string };

      // A reset, confirmed with the mailed token.
      const mailFile = join(outbox, await firstFile(outbox));
      const token = /token=([A-Za-z0-9_-]{43})/.exec(readFileSync(mailFile, "utf8"))?.[1] ?? "";
      assert.notEqual(token, "");
      const confirmed = await post(`${server.url}/api/v1/auth/password-reset/confirm`, {
        token,
        password: NEW_PASSWORD,
      });
      note(confirmed, "POST", "/api/v1/auth/password-reset/confirm");
      assert.equal(confirmed.status, 204);

      // Failing requests: an unknown process (the id and a query in the URL), no route at all.
      const relogin = await post(`${server.url}/api/v1/auth/login`, {
        email: ADMIN.email,
        password: NEW_PASSWORD,
      });
      note(relogin, "POST", "/api/v1/auth/login");
      const cookie2 = relogin.headers.get("set-cookie")?.split(";")[0] ?? "";
      const missing = await fetch(
        `${server.url}/api/v1/processes/proc-not-there-123?token=query-token-xyz`,
        { headers: { cookie: cookie2 } },
      );
      note(missing, "GET", "/api/v1/processes/:id");
      assert.equal(missing.status, 400);
      const nowhere = await fetch(`${server.url}/api/v1/nowhere-at-all?reset=abc-secret-456`);
      note(nowhere, "GET", "/api/*");
      assert.equal(nowhere.status, 404);

      // Each is a response the server already logged: the line is written before the answer ends.
      for (const request of seen) await server.waitForLine(new RegExp(request.id));
      const logs = server.logs();
      for (const request of seen) {
        const lines = logs.filter((line) => line.reqId === request.id && line.msg === "request");
        assert.equal(lines.length, 1, `one line for ${request.method} ${request.route}`);
        const [line] = lines;
        assert.equal(line?.method, request.method);
        assert.equal(line?.route, request.route);
        assert.equal(line?.status, request.status);
        assert.equal(typeof line?.durationMs, "number");
      }
      assert.equal(
        logs.some((line) => line.reqId === probeId),
        false,
      );
      // Nothing secret anywhere in what the process wrote, and no raw URL.
      const everything = `${server.stdout().join("\n")}\n${server.stderr()}`;
      for (const secret of [
        ADMIN.password,
        NEW_PASSWORD,
        "a wrong but long password",
        token,
        cookie.split("=")[1] ?? "",
        cookie2.split("=")[1] ?? "",
        csrfToken,
        "query-token-xyz",
        "abc-secret-456",
        "proc-not-there-123",
      ]) {
        assert.ok(secret.length > 8);
        assert.equal(everything.includes(secret), false, `the log holds ${secret.slice(0, 4)}…`);
      }
      // Every stdout line but the listening one is JSON (the journal's structured fields).
      for (const line of server.stdout()) {
        if (!line.startsWith("Heptora platform listening on ")) JSON.parse(line);
      }
    });

    it("on SIGTERM refuses new connections, finishes the request in flight, and exits 0", async () => {
      const slow = await startSlowLogin(server.port, NEW_PASSWORD);
      server.child.kill("SIGTERM");
      await server.waitForLine(/shutting down/);
      assert.equal(await refusedWithin(server.port, 200), "ECONNREFUSED");
      slow.finish();
      const answer = await slow.received.until(/\r\n\r\n\{.*\}$/s);
      assert.match(answer, /HTTP\/1\.1 200 OK/);
      assert.match(answer, /"csrfToken"/);
      assert.equal(await server.exited, 0);
      assert.equal(server.stderr(), "");
    });
  });

  describe(`migrations as their own step on ${dialect.name}`, () => {
    let cwd: string;
    let database: TestDatabase;

    before(async () => {
      cwd = mkdtempSync(join(tmpdir(), "heptora-migrate-"));
      database = await dialect.create();
    });
    after(async () => {
      await database.drop();
      rmSync(cwd, { recursive: true, force: true });
    });

    it("serves with --no-migrate but is not ready until `migrate` brings the schema up", async () => {
      // A database three migrations behind, as after installing a newer platform.
      const behind = await openDatabase(database.target, { migrate: false });
      await migrate(behind, MIGRATIONS.slice(0, -3));
      await behind.close();

      const server = await startService(
        ["serve", "--no-migrate", "--db", database.target, "--port", "0"],
        {},
        cwd,
      );
      try {
        assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
        const notReady = await fetch(`${server.url}/readyz`);
        assert.equal(notReady.status, 503);
        const body = (await notReady.json()) as { error: { code: string; hint: string } };
        assert.equal(body.error.code, "database_not_migrated");
        assert.match(body.error.hint, /heptora-platform migrate/);

        // Two operators (or two instances' deploy hooks) migrate at once: each migration is
        // applied once, both succeed.
        const [one, two] = await Promise.all([
          run(["migrate", "--db", database.target], { cwd }),
          run(["migrate", "--db", database.target], { cwd }),
        ]);
        assert.equal(one.code, 0, one.stderr);
        assert.equal(two.code, 0, two.stderr);
        const applied = `${one.stdout}${two.stdout}`.match(/^Applied migration \d+: .+$/gm) ?? [];
        assert.deepEqual(
          applied.map((line) => Number(/\d+/.exec(line)?.[0])).sort((a, b) => a - b),
          MIGRATIONS.slice(-3).map((m) => m.version),
        );
        assert.equal((await fetch(`${server.url}/readyz`)).status, 200);

        const again = await run(["migrate", "--db", database.target], { cwd });
        assert.equal(again.code, 0);
        assert.match(again.stdout, /^The database is up to date \(schema version \d+\)\.\n$/);
      } finally {
        await server.stop();
      }
    });
  });
}

describe("heptora-platform against a PostgreSQL server that does not answer", () => {
  it("stays alive on --no-migrate but not ready, and `migrate` fails in one line without the password", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "heptora-nodb-"));
    const url = `postgres://heptora:db-password-789@127.0.0.1:${await closedPort()}/heptora`;
    try {
      const server = await startService(
        ["serve", "--no-migrate", "--port", "0"],
        { HEPTORA_DB: url },
        cwd,
      );
      try {
        assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
        const ready = await fetch(`${server.url}/readyz`);
        assert.equal(ready.status, 503);
        assert.equal(
          ((await ready.json()) as { error: { code: string } }).error.code,
          "service_unavailable",
        );
      } finally {
        assert.equal(await server.stop(), 0);
      }
      const migrated = await run(["migrate", "--db", url], { cwd });
      assert.equal(migrated.code, 1);
      assert.match(migrated.stderr, /^heptora-platform: .*ECONNREFUSED.*\n$/);
      assert.equal(migrated.stderr.includes("db-password-789"), false);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe("heptora-platform against a PostgreSQL server that accepts and never answers", () => {
  it("answers /readyz 503 service_unavailable within seconds instead of hanging", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "heptora-hang-"));
    const held: Socket[] = [];
    const silent = createServer((socket) => {
      held.push(socket);
    });
    silent.listen(0, "127.0.0.1");
    await once(silent, "listening");
    const address = silent.address();
    const dbPort = typeof address === "object" && address !== null ? address.port : 0;
    try {
      const server = await startService(
        ["serve", "--no-migrate", "--port", "0"],
        { HEPTORA_DB: `postgres://heptora:pw-hang-123@127.0.0.1:${dbPort}/heptora` },
        cwd,
      );
      try {
        const started = performance.now();
        // A readiness probe that hangs fails here after 15 s instead of at the suite's timeout.
        const ready = await fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(15_000) });
        const took = performance.now() - started;
        assert.equal(ready.status, 503);
        const body = (await ready.json()) as { error: { code: string } };
        assert.equal(body.error.code, "service_unavailable");
        assert.ok(took < 10_000, `readyz answered after ${Math.round(took)} ms`);
        assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
      } finally {
        for (const socket of held) socket.destroy();
        await server.stop();
      }
    } finally {
      silent.close();
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe("heptora-platform shutdown with a request that never finishes", () => {
  it("cuts it at --shutdown-timeout and exits 3, saying so in one line", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "heptora-cut-"));
    try {
      const created = await run(
        ["create-admin", "--email", ADMIN.email, "--password-stdin", "--db", "ops.db"],
        { cwd, stdin: ADMIN.password },
      );
      assert.equal(created.code, 0, created.stderr);
      const server = await startService(
        ["serve", "--db", "ops.db", "--port", "0", "--shutdown-timeout", "1"],
        {},
        cwd,
      );
      const slow = await startSlowLogin(server.port, ADMIN.password);
      server.child.kill("SIGTERM");
      assert.equal(await server.exited, 3);
      await slow.received.closed;
      assert.doesNotMatch(slow.received.text(), /200 OK/);
      assert.match(
        server.stderr(),
        /^heptora-platform: stopped after cutting requests still running at the 1 s shutdown timeout\.\n$/,
      );
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
