/**
 * `npm run bench -- robot`: getSecret latency (median, p99) and throughput over the robot's
 * socket, from one client and from 8 concurrent clients, beside the floor: the same socket
 * transport and the same SDK client against a handler that answers a constant, measured in the
 * same run. The real path includes the run-token check, the scope check, the vault read
 * (AES-GCM open) and the secret.read audit entry committed (group commit) before the answer.
 *
 * Targets (issue 4): median within 2x of the floor; with 8 clients at least half the floor's
 * throughput.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@heptora/sdk";
import { openVault } from "@heptora/vault";
import { tokenDigest } from "../src/lib/tokens.ts";
import { createPlatformClient } from "../src/platform/platform-client.ts";
import { createRobotService } from "../src/service/robot-service.ts";
import { createLocalApi } from "../src/socket/local-api.ts";
import { listenOnSocket } from "../src/socket/socket-listener.ts";

const SEQUENTIAL = 3000;
const CONCURRENT_CLIENTS = 8;
const PER_CLIENT = 600;
const WARMUP = 300;

const dir = mkdtempSync(join(tmpdir().length > 40 ? "/tmp" : tmpdir(), "hbench-"));
const dataDir = join(dir, "data");
const vault = openVault({ dataDir, keyFile: join(dir, "robot.key") });
vault.applyDefinitions({
  cursor: "1",
  full: true,
  processes: [
    {
      id: "bench",
      name: "Bench",
      description: "",
      variables: [{ name: "BENCH_SECRET", secret: true, description: "" }],
    },
  ],
  removedProcessIds: [],
});
vault.setSecret("BENCH_SECRET", "a-secret-value-of-typical-length-0123456789");

const socketPath = join(dataDir, "robot.sock");
const floorPath = join(dataDir, "floor.sock");
const service = createRobotService({
  vault,
  platformFor: (baseUrl) => createPlatformClient({ baseUrl }),
  config: { dataDir, socketPath, platformUrl: undefined, syncIntervalMs: 30_000 },
  hostname: "bench",
});
const robot = createServer(
  createLocalApi({ service, controlDigest: tokenDigest("unused"), log: () => {} }),
);
const floorBody = Buffer.from(JSON.stringify({ name: "BENCH_SECRET", value: "x".repeat(43) }));
const floor = createServer((_req, res) => {
  res.writeHead(200, {
    "content-type": "application/json; charset=utf-8",
    "content-length": floorBody.length,
    "cache-control": "no-store",
  });
  res.end(floorBody);
});
await listenOnSocket(robot, socketPath);
await listenOnSocket(floor, floorPath);
const grant = await service.issueRunToken({ process: "Bench" }, "cli");

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
}

async function measure(path: string) {
  const client = createClient({ socketPath: path, token: grant.token });
  for (let i = 0; i < WARMUP; i++) await client.getSecret("BENCH_SECRET");
  const times: number[] = [];
  const start = performance.now();
  for (let i = 0; i < SEQUENTIAL; i++) {
    const t = performance.now();
    await client.getSecret("BENCH_SECRET");
    times.push(performance.now() - t);
  }
  const elapsed = performance.now() - start;
  client.close();
  times.sort((a, b) => a - b);
  const clients = Array.from({ length: CONCURRENT_CLIENTS }, () =>
    createClient({ socketPath: path, token: grant.token }),
  );
  const concurrentStart = performance.now();
  await Promise.all(
    clients.map(async (c) => {
      for (let i = 0; i < PER_CLIENT; i++) await c.getSecret("BENCH_SECRET");
    }),
  );
  const concurrentElapsed = performance.now() - concurrentStart;
  for (const c of clients) c.close();
  return {
    median: percentile(times, 50),
    p99: percentile(times, 99),
    throughput1: (SEQUENTIAL / elapsed) * 1000,
    throughput8: ((CONCURRENT_CLIENTS * PER_CLIENT) / concurrentElapsed) * 1000,
  };
}

const floorResult = await measure(floorPath);
const robotResult = await measure(socketPath);
const row = (label: string, r: typeof floorResult) =>
  `${label.padEnd(22)} ${r.median.toFixed(3).padStart(8)} ms ${r.p99.toFixed(3).padStart(8)} ms ${r.throughput1.toFixed(0).padStart(9)}/s ${r.throughput8.toFixed(0).padStart(9)}/s`;
console.log(
  `getSecret over the robot socket (${SEQUENTIAL} sequential, ${CONCURRENT_CLIENTS}x${PER_CLIENT} concurrent)`,
);
console.log(
  `${"".padEnd(22)} ${"median".padStart(11)} ${"p99".padStart(11)} ${"1 client".padStart(11)} ${"8 clients".padStart(11)}`,
);
console.log(row("floor (empty handler)", floorResult));
console.log(row("getSecret (audited)", robotResult));
const medianRatio = robotResult.median / floorResult.median;
const throughputRatio = robotResult.throughput8 / floorResult.throughput8;
console.log(
  `median ${medianRatio.toFixed(2)}x the floor (target <= 2x: ${medianRatio <= 2 ? "met" : "missed"}); ` +
    `8-client throughput ${(throughputRatio * 100).toFixed(0)}% of the floor (target >= 50%: ${throughputRatio >= 0.5 ? "met" : "missed"})`,
);
console.log(
  `audit batches: ${vault.stats().auditBatches} for ${WARMUP + SEQUENTIAL + CONCURRENT_CLIENTS * PER_CLIENT} reads`,
);

service.close();
await Promise.all(
  [robot, floor].map(
    (server: Server) =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  ),
);
vault.close();
rmSync(dir, { recursive: true, force: true });
