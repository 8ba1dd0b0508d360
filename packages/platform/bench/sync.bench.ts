/**
 * Robot definitions sync, on SQLite and (when a database URL is given) on PostgreSQL:
 *
 * - full sync of an organisation of 10,000 processes x 20 variables (target < 1 s);
 * - no-change sync with the latest cursor (target < 5 ms median);
 * - sustained requests per second on `GET /api/v1/robot/definitions?cursor=` from 200 concurrent
 *   robots, each with its own token and keep-alive connection (target >= 2,000 req/s).
 *
 * The platform runs as a real `heptora-platform serve` child process, so the load generator here
 * does not share its event loop; it logs at `warn` (no per-request access log). PostgreSQL: HEPTORA_BENCH_DATABASE_URL, else
 * HEPTORA_TEST_DATABASE_URL; each run uses a fresh schema, dropped at the end.
 *
 * Sizes can be lowered for a quick look: BENCH_PROCESSES, BENCH_VARIABLES, BENCH_ROBOTS,
 * BENCH_SECONDS.
 */
import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { createAdmin } from "../src/create-admin.ts";
import { openDatabase } from "../src/db/open-db.ts";
import type { SqlDb, SqlValue } from "../src/db/sql-db.ts";

const PROCESSES = Number(process.env.BENCH_PROCESSES ?? 10_000);
const VARIABLES = Number(process.env.BENCH_VARIABLES ?? 20);
const ROBOTS = Number(process.env.BENCH_ROBOTS ?? 200);
const LOAD_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const FULL_SYNC_RUNS = 7;
const NO_CHANGE_RUNS = 300;
const BIN = join(import.meta.dirname, "..", "bin", "heptora-platform.js");
const EMAIL = "bench@example.com";
const PASSWORD = "bench-password-1234";

interface Target {
  name: string;
  db: string;
  cleanup: () => Promise<void>;
}

interface Row {
  dialect: string;
  fullSyncMedianMs: number;
  fullSyncBytes: number;
  noChangeMedianMs: number;
  noChangeP99Ms: number;
  requestsPerSecond: number;
  loadMedianMs: number;
  loadP99Ms: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

function progress(line: string): void {
  process.stderr.write(`  ${line}\n`);
}

async function sqliteTarget(): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), "heptora-bench-"));
  return {
    name: "sqlite",
    db: join(dir, "platform.db"),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function postgresTarget(baseUrl: string): Promise<Target> {
  const schema = `bench_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return {
    name: "postgres",
    db: url.toString(),
    cleanup: async () => {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}

/** Inserts `rows` in multi-row statements of at most `perStatement` rows. */
async function insertMany(
  tx: Pick<SqlDb, "run">,
  table: string,
  columns: readonly string[],
  rows: SqlValue[][],
  perStatement = 1000,
): Promise<void> {
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const values = chunk
      .map((_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(", ")})`)
      .join(", ");
    await tx.run(`INSERT INTO ${table} (${columns.join(", ")}) VALUES ${values}`, chunk.flat());
  }
}

/**
 * The organisation: one admin who is also the robots' user, PROCESSES processes of VARIABLES
 * variables each, all assigned to that user, as the services would have written them.
 */
async function seed(db: SqlDb): Promise<void> {
  const user = await createAdmin(db, { email: EMAIL, password: PASSWORD, organization: "Bench" });
  const org = await db.get<{ id: string }>("SELECT org_id AS id FROM users WHERE id = $1", [
    user.id,
  ]);
  if (org === undefined) throw new Error("seed: no organisation");
  const now = Date.now();
  const processes: SqlValue[][] = [];
  const variables: SqlValue[][] = [];
  const assignments: SqlValue[][] = [];
  const changes: SqlValue[][] = [];
  for (let p = 0; p < PROCESSES; p++) {
    const id = randomUUID();
    const name = `Process ${String(p).padStart(5, "0")}`;
    processes.push([id, org.id, name, name.toLowerCase(), `Automation number ${p}`, now, now]);
    for (let v = 0; v < VARIABLES; v++) {
      variables.push([id, `VAR_${v}_OF_${p}`, v % 2, `Variable ${v}`, v, now, now]);
    }
    assignments.push([id, user.id, now]);
    changes.push([user.id, id, 1]);
  }
  await db.transaction(async (tx) => {
    await insertMany(
      tx,
      "processes",
      ["id", "org_id", "name", "name_key", "description", "created_at", "updated_at"],
      processes,
    );
    await insertMany(
      tx,
      "variables",
      ["process_id", "name", "secret", "description", "position", "created_at", "updated_at"],
      variables,
    );
    await insertMany(tx, "assignments", ["process_id", "user_id", "created_at"], assignments);
    await insertMany(tx, "definition_changes", ["user_id", "process_id", "seq"], changes);
    await tx.run("UPDATE change_counter SET value = 1 WHERE id = 1");
  });
}

async function startServer(db: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    [BIN, "serve", "--port", "0", "--db", db, "--log-level", "warn"],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let out = "";
  child.stdout.setEncoding("utf8");
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (chunk: string) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`the platform exited (${code}): ${out}`)));
  });
  return {
    url,
    stop: async () => {
      child.kill("SIGTERM");
      if (child.exitCode === null) await once(child, "exit");
    },
  };
}

interface Answer {
  status: number;
  body: string;
  ms: number;
}

function call(
  agent: Agent,
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      new URL(path, base),
      {
        method,
        agent,
        headers: {
          ...headers,
          ...(payload !== undefined && { "content-type": "application/json" }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
            ms: performance.now() - started,
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

async function robotTokens(base: string, count: number): Promise<string[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const tokens: string[] = [];
  // Four at a time: each login runs Argon2id on the server.
  for (let i = 0; i < count; i += 4) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(4, count - i) }, (_, k) =>
        call(
          agent,
          base,
          "POST",
          "/api/v1/robot/login",
          {},
          {
            email: EMAIL,
            password: PASSWORD,
            robotName: `bench-robot-${i + k}`,
            machineId: `bench-machine-${i + k}`,
          },
        ),
      ),
    );
    for (const answer of batch) {
      if (answer.status !== 200) throw new Error(`robot login: ${answer.status} ${answer.body}`);
      tokens.push((JSON.parse(answer.body) as { token: string }).token);
    }
  }
  agent.destroy();
  return tokens;
}

async function benchTarget(target: Target): Promise<Row> {
  progress(`${target.name}: seeding ${PROCESSES} processes x ${VARIABLES} variables...`);
  const db = await openDatabase(target.db);
  const seeded = performance.now();
  await seed(db);
  await db.close();
  progress(`${target.name}: seeded in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);

  const server = await startServer(target.db);
  try {
    progress(`${target.name}: signing in ${ROBOTS} robots...`);
    const tokens = await robotTokens(server.url, ROBOTS);
    const auth = (token: string) => ({ authorization: `Bearer ${token}` });
    const first = tokens[0] ?? "";
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });

    progress(`${target.name}: full sync x ${FULL_SYNC_RUNS}...`);
    const fullTimes: number[] = [];
    let cursor = "";
    let bytes = 0;
    for (let i = 0; i < FULL_SYNC_RUNS; i++) {
      const started = performance.now();
      const answer = await call(agent, server.url, "GET", "/api/v1/robot/definitions", auth(first));
      const parsed = JSON.parse(answer.body) as { cursor: string; processes: unknown[] };
      fullTimes.push(performance.now() - started);
      if (answer.status !== 200 || parsed.processes.length !== PROCESSES) {
        throw new Error(`full sync: ${answer.status}, ${parsed.processes.length} processes`);
      }
      cursor = parsed.cursor;
      bytes = answer.body.length;
    }

    progress(`${target.name}: no-change sync x ${NO_CHANGE_RUNS}...`);
    const path = `/api/v1/robot/definitions?cursor=${encodeURIComponent(cursor)}`;
    const noChange: number[] = [];
    for (let i = 0; i < NO_CHANGE_RUNS; i++) {
      const answer = await call(agent, server.url, "GET", path, auth(first));
      if (answer.status !== 200) throw new Error(`no-change sync: ${answer.status}`);
      noChange.push(answer.ms);
    }
    const empty = JSON.parse((await call(agent, server.url, "GET", path, auth(first))).body) as {
      processes: unknown[];
    };
    if (empty.processes.length !== 0) throw new Error("no-change sync returned processes");
    agent.destroy();

    progress(`${target.name}: ${ROBOTS} concurrent robots for ${LOAD_SECONDS} s...`);
    const loadAgent = new Agent({ keepAlive: true, maxSockets: ROBOTS });
    const latencies: number[] = [];
    let failures = 0;
    const deadline = performance.now() + LOAD_SECONDS * 1000;
    const loadStarted = performance.now();
    await Promise.all(
      tokens.map(async (token) => {
        while (performance.now() < deadline) {
          const answer = await call(loadAgent, server.url, "GET", path, auth(token));
          if (answer.status === 200) latencies.push(answer.ms);
          else failures++;
        }
      }),
    );
    const elapsed = (performance.now() - loadStarted) / 1000;
    loadAgent.destroy();
    if (failures > 0) throw new Error(`${failures} requests failed under load`);
    latencies.sort((a, b) => a - b);

    return {
      dialect: target.name,
      fullSyncMedianMs: median(fullTimes),
      fullSyncBytes: bytes,
      noChangeMedianMs: median(noChange),
      noChangeP99Ms: percentile(
        [...noChange].sort((a, b) => a - b),
        99,
      ),
      requestsPerSecond: latencies.length / elapsed,
      loadMedianMs: percentile(latencies, 50),
      loadP99Ms: percentile(latencies, 99),
    };
  } finally {
    await server.stop();
  }
}

function report(rows: Row[]): void {
  const fmt = (n: number, digits = 1) => n.toFixed(digits);
  console.log(
    `\nRobot definitions sync: ${PROCESSES.toLocaleString("en")} processes x ${VARIABLES} variables, ${ROBOTS} robots\n`,
  );
  const header = [
    "dialect",
    "full sync median",
    "payload",
    "no-change median / p99",
    `req/s (${ROBOTS} robots)`,
    "load median / p99",
  ];
  const lines = rows.map((r) => [
    r.dialect,
    `${fmt(r.fullSyncMedianMs, 0)} ms (${fmt(1000 / r.fullSyncMedianMs, 2)}x target 1 s)`,
    `${fmt(r.fullSyncBytes / 1e6)} MB`,
    `${fmt(r.noChangeMedianMs, 2)} / ${fmt(r.noChangeP99Ms, 2)} ms`,
    `${fmt(r.requestsPerSecond, 0)} (${fmt(r.requestsPerSecond / 2000, 2)}x target)`,
    `${fmt(r.loadMedianMs)} / ${fmt(r.loadP99Ms)} ms`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]?.length ?? 0)));
  const row = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
  console.log(row(header));
  console.log(row(widths.map((w) => "-".repeat(w))));
  for (const line of lines) console.log(row(line));
  const verdicts = rows.flatMap((r) => [
    r.fullSyncMedianMs < 1000 ? null : `${r.dialect}: full sync over 1 s`,
    r.noChangeMedianMs < 5 ? null : `${r.dialect}: no-change sync median over 5 ms`,
    r.requestsPerSecond >= 2000 ? null : `${r.dialect}: under 2,000 req/s`,
  ]);
  const missed = verdicts.filter((v): v is string => v !== null);
  console.log(missed.length === 0 ? "\nAll targets met." : `\nMissed: ${missed.join("; ")}`);
}

const pgUrl = process.env.HEPTORA_BENCH_DATABASE_URL ?? process.env.HEPTORA_TEST_DATABASE_URL;
const targets = [() => sqliteTarget(), ...(pgUrl ? [() => postgresTarget(pgUrl)] : [])];
if (!pgUrl) {
  console.log(
    "PostgreSQL not benchmarked: set HEPTORA_BENCH_DATABASE_URL (or HEPTORA_TEST_DATABASE_URL).",
  );
}
const rows: Row[] = [];
for (const make of targets) {
  const target = await make();
  try {
    rows.push(await benchTarget(target));
  } finally {
    await target.cleanup();
  }
}
report(rows);
