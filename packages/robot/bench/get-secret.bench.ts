/**
 * `npm run bench -- get-secret`: getSecret over the robot's socket against its floor, each server
 * in its OWN process, the client (this process, the SDK's `createClient`) the same for both:
 *
 * - floor: bench/support/floor-server.ts, node:http on a Unix socket answering a constant
 *   `{name, value}` (what any server on this transport costs);
 * - robot: the real daemon, `heptora start` (bin/heptora.js), on a vault prepared here: run-token
 *   check, scope check, vault read (AES-GCM open) and the secret.read entry committed before the
 *   answer.
 *
 * Rounds alternate floor and robot (the machine's load changes within seconds, so ratios are
 * taken within a round and the median round is reported). Per target: median and p99 of one
 * sequential client, its throughput, and the throughput of 8 concurrent clients. Then the Python
 * SDK's `get_secret` (python3 running bench/support/get-secret-loop.py) against both servers.
 *
 * Each server's CPU time per request (user + system, from /proc on Linux) is shown too: unlike
 * latency it hardly moves with the machine's load, so it shows what a change saved.
 *
 * Targets (issue 9): median within 2x of the floor; 8 clients at least half the floor's
 * throughput. `BENCH_PROF=DIR` writes a CPU profile of the daemon into DIR (--cpu-prof).
 * `BENCH_ROUNDS=N` changes the number of rounds (default 3).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { CONTROL_TOKEN_FILE, ROBOT_SOCKET_FILE } from "@heptora/protocol";
import { createClient } from "@heptora/sdk";
import { openVault } from "@heptora/vault";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? "3");
const SEQUENTIAL = 3000;
const CONCURRENT_CLIENTS = 8;
const PER_CLIENT = 600;
const WARMUP = 500;
const PYTHON_READS = 2000;
const NAME = "BENCH_SECRET";

const root = join(import.meta.dirname, "..", "..", "..");
const dir = mkdtempSync(join(tmpdir().length > 40 ? "/tmp" : tmpdir(), "hbench-"));
const dataDir = join(dir, "data");
const keyFile = join(dir, "robot.key");
const floorPath = join(dir, "floor.sock");
const robotPath = join(dataDir, ROBOT_SOCKET_FILE);

// The vault the daemon will open: one process declaring one secret, its value set.
const seed = openVault({ dataDir, keyFile });
seed.applyDefinitions({
  cursor: "1",
  full: true,
  processes: [
    {
      id: "bench",
      name: "Bench",
      description: "",
      variables: [{ name: NAME, secret: true, description: "" }],
    },
  ],
  removedProcessIds: [],
});
// Runs are issued for the signed-in person and read their values (docs/adr/0066).
const PERSON = "bench@example.com";
seed.setSetting("robot.token", "bench-robot-token");
seed.setSetting("robot.email", PERSON);
seed.setSecret(PERSON, NAME, "a-secret-value-of-typical-length-0123456789");
seed.close();

/** Spawns a server and resolves once a line of its stdout matches `ready`. */
function startServer(args: string[], ready: RegExp): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, {
    cwd: root,
    // The daemon's log (stderr) is left out: only its failure matters, and it exits then.
    stdio: ["ignore", "pipe", "ignore"],
    env: { ...process.env, HEPTORA_SYNC_INTERVAL: "86400", HEPTORA_PLATFORM_URL: "" },
  });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${args.join(" ")} exited (${code})`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      if (ready.test(line)) resolve(child);
    });
  });
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners("exit");
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/** Opens a run the way `heptora run` does; the run lasts while the returned request is open. */
function openRun(): Promise<{ token: string; end: () => void }> {
  const control = readFileSync(join(dataDir, CONTROL_TOKEN_FILE), "utf8").trim();
  const body = JSON.stringify({ process: "Bench" });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath: robotPath,
        method: "POST",
        path: "/v1/manage/runs",
        headers: {
          host: "localhost",
          authorization: `Bearer ${control}`,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
        },
      },
      (res) => {
        // Ending the run closes this response: that is expected, not an error.
        res.on("error", () => {});
        const lines = createInterface({ input: res });
        lines.on("error", () => {});
        lines.once("line", (line) => {
          const grant = JSON.parse(line) as { token: string };
          resolve({ token: grant.token, end: () => req.destroy() });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
}

function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

interface Figures {
  median: number;
  p99: number;
  throughput1: number;
  throughput8: number;
  /** The server's CPU time per request, in microseconds (NaN where /proc is missing). */
  cpuUs: number;
}

/** User + system CPU time of a process so far, in ms (Linux /proc; NaN elsewhere). */
function cpuMs(pid: number | undefined): number {
  const path = `/proc/${pid}/stat`;
  if (pid === undefined || !existsSync(path)) return Number.NaN;
  // Fields after the command name (which may hold spaces): utime and stime are 14th and 15th.
  const fields = readFileSync(path, "utf8").split(") ")[1]?.split(" ") ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}
const CLOCK_TICKS = 100;

async function measure(socketPath: string, token: string, pid?: number): Promise<Figures> {
  const cpuBefore = cpuMs(pid);
  const client = createClient({ socketPath, token });
  for (let i = 0; i < WARMUP; i++) await client.getSecret(NAME);
  const times: number[] = [];
  const start = performance.now();
  for (let i = 0; i < SEQUENTIAL; i++) {
    const t = performance.now();
    await client.getSecret(NAME);
    times.push(performance.now() - t);
  }
  const elapsed = performance.now() - start;
  client.close();
  times.sort((a, b) => a - b);
  const clients = Array.from({ length: CONCURRENT_CLIENTS }, () =>
    createClient({ socketPath, token }),
  );
  const concurrentStart = performance.now();
  await Promise.all(
    clients.map(async (c) => {
      for (let i = 0; i < PER_CLIENT; i++) await c.getSecret(NAME);
    }),
  );
  const concurrentElapsed = performance.now() - concurrentStart;
  for (const c of clients) c.close();
  const requests = WARMUP + SEQUENTIAL + CONCURRENT_CLIENTS * PER_CLIENT;
  return {
    cpuUs: ((cpuMs(pid) - cpuBefore) * 1000) / requests,
    median: percentile(times, 50),
    p99: percentile(times, 99),
    throughput1: (SEQUENTIAL / elapsed) * 1000,
    throughput8: ((CONCURRENT_CLIENTS * PER_CLIENT) / concurrentElapsed) * 1000,
  };
}

interface PythonFigures {
  median_ms: number;
  p99_ms: number;
  per_second: number;
}

function measurePython(socketPath: string, token: string): Promise<PythonFigures> {
  const script = join(root, "packages", "robot", "bench", "support", "get-secret-loop.py");
  const args = [script, socketPath, token, NAME, String(PYTHON_READS), String(WARMUP)];
  const child = spawn("python3", args, {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, PYTHONPATH: join(root, "sdk-python") },
  });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8");
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) reject(new Error(`python3 exited (${code})`));
      else resolve(JSON.parse(out) as PythonFigures);
    });
  });
}

const profDir = process.env.BENCH_PROF;
if (profDir !== undefined) mkdirSync(profDir, { recursive: true });
const floor = await startServer(
  [join(root, "packages/robot/bench/support/floor-server.ts"), floorPath],
  /^ready$/,
);
const robot = await startServer(
  [
    ...(profDir === undefined ? [] : ["--cpu-prof", "--cpu-prof-dir", profDir]),
    join(root, "packages/robot/bin/heptora.js"),
    "start",
    "--data-dir",
    dataDir,
    "--key-file",
    keyFile,
  ],
  /^Heptora robot running/,
);
const run = await openRun();

const fmt = (ms: number) => `${ms.toFixed(3).padStart(7)} ms`;
const rate = (perSecond: number) => `${perSecond.toFixed(0).padStart(7)}/s`;
const row = (label: string, r: Figures) =>
  `  ${label.padEnd(8)} ${fmt(r.median)} ${fmt(r.p99)} ${rate(r.throughput1)} ${rate(r.throughput8)} ${r.cpuUs.toFixed(0).padStart(6)} us`;

console.log(
  `getSecret, SDK client -> separate server process on a Unix socket ` +
    `(${SEQUENTIAL} sequential, ${CONCURRENT_CLIENTS}x${PER_CLIENT} concurrent, ${ROUNDS} rounds)`,
);
console.log(
  `  ${"".padEnd(8)} ${"median".padStart(10)} ${"p99".padStart(10)} ${"1 client".padStart(9)} ${"8 clients".padStart(9)} ${"CPU/req".padStart(9)}`,
);
const medianRatios: number[] = [];
const throughputShares: number[] = [];
const rounds: { floor: Figures; robot: Figures }[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  const floorFigures = await measure(floorPath, run.token, floor.pid);
  const robotFigures = await measure(robotPath, run.token, robot.pid);
  rounds.push({ floor: floorFigures, robot: robotFigures });
  const ratio = robotFigures.median / floorFigures.median;
  const share = robotFigures.throughput8 / floorFigures.throughput8;
  medianRatios.push(ratio);
  throughputShares.push(share);
  console.log(`round ${round}`);
  console.log(row("floor", floorFigures));
  console.log(row("robot", robotFigures));
  console.log(
    `  median ${ratio.toFixed(2)}x the floor; 8 clients ${(share * 100).toFixed(0)}% of the floor`,
  );
}
const medianOf = (pick: (r: { floor: Figures; robot: Figures }) => number) =>
  median(rounds.map(pick));
console.log("median of the rounds");
console.log(
  row("floor", {
    median: medianOf((r) => r.floor.median),
    p99: medianOf((r) => r.floor.p99),
    throughput1: medianOf((r) => r.floor.throughput1),
    throughput8: medianOf((r) => r.floor.throughput8),
    cpuUs: medianOf((r) => r.floor.cpuUs),
  }),
);
console.log(
  row("robot", {
    median: medianOf((r) => r.robot.median),
    p99: medianOf((r) => r.robot.p99),
    throughput1: medianOf((r) => r.robot.throughput1),
    throughput8: medianOf((r) => r.robot.throughput8),
    cpuUs: medianOf((r) => r.robot.cpuUs),
  }),
);
const ratio = median(medianRatios);
const share = median(throughputShares);
console.log(
  `  median ${ratio.toFixed(2)}x the floor (target <= 2x: ${ratio <= 2 ? "met" : "missed"}); ` +
    `8 clients ${(share * 100).toFixed(0)}% of the floor (target >= 50%: ${share >= 0.5 ? "met" : "missed"})`,
);

const pyFloor = await measurePython(floorPath, run.token);
const pyRobot = await measurePython(robotPath, run.token);
console.log(`Python SDK get_secret (${PYTHON_READS} sequential)`);
for (const [label, r] of [
  ["floor", pyFloor],
  ["robot", pyRobot],
] as const) {
  console.log(`  ${label.padEnd(8)} ${fmt(r.median_ms)} ${fmt(r.p99_ms)} ${rate(r.per_second)}`);
}
console.log(`  median ${(pyRobot.median_ms / pyFloor.median_ms).toFixed(2)}x the floor`);

run.end();
await Promise.all([stopServer(floor), stopServer(robot)]);
// The daemon is gone: every read must be in a chain that still verifies.
const check = openVault({ dataDir, keyFile });
const verification = check.verifyAudit();
const reads = check.listAudit({ type: "secret.read", limit: 10_000 }).length;
check.close();
console.log(
  `audit after the run: ${verification.ok ? "verifies" : "BROKEN"}, ${verification.count} entries (${reads} secret.read in the last 10,000)`,
);
rmSync(dir, { recursive: true, force: true });
if (!verification.ok) process.exit(1);
