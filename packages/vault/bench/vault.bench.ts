/**
 * Vault benchmark (`npm run bench -- vault`): set/get/list with 100,000 secrets, and the audit
 * path that guards every read (recordAudit: group commit; appendAudit: one commit per entry),
 * from 1 and from 8 concurrent callers. Uses a temporary data dir; prints a table.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openVault } from "../src/index.ts";

const ANA = "ana@example.com";
const SECRETS = 100_000;
const root = mkdtempSync(join(tmpdir(), "heptora-vault-bench-"));

interface Row {
  operation: string;
  n: number;
  median?: number;
  p99?: number;
  perSecond?: number;
  note?: string;
}
const rows: Row[] = [];

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

function measure(
  operation: string,
  n: number,
  work: (i: number) => void,
  note?: string,
  untimedBefore?: () => void,
): void {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    untimedBefore?.();
    const start = performance.now();
    work(i);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const total = times.reduce((a, b) => a + b, 0);
  rows.push({
    operation,
    n,
    median: percentile(times, 50),
    p99: percentile(times, 99),
    perSecond: (n / total) * 1000,
    ...(note === undefined ? {} : { note }),
  });
}

const name = (i: number) => `SECRET_${String(i).padStart(6, "0")}`;
const random = (n: number) => Math.floor(Math.random() * n);

try {
  const vault = openVault({ dataDir: join(root, "data"), keyFile: join(root, "keys", "b.key") });

  const seedStart = performance.now();
  vault.setSecrets(
    ANA,
    Array.from({ length: SECRETS }, (_, i) => ({
      name: name(i),
      value: `value-${i}-${"x".repeat(24)}`,
    })),
  );
  const seedMs = performance.now() - seedStart;
  rows.push({
    operation: `setSecrets (seed, 1 transaction)`,
    n: SECRETS,
    perSecond: (SECRETS / seedMs) * 1000,
    note: `${(seedMs / 1000).toFixed(2)} s total`,
  });

  measure("setSecret (1 commit each)", 1000, () => {
    vault.setSecret(ANA, name(random(SECRETS)), `new-value-${random(1e9)}`);
  });
  measure("getSecret", 20_000, () => {
    vault.getSecret(ANA, name(random(SECRETS)));
  });
  measure("secretInfo", 20_000, () => {
    vault.secretInfo(ANA, name(random(SECRETS)));
  });
  const listAll = () => {
    if (vault.listSecrets(ANA).length !== SECRETS) throw new Error("list is short");
  };
  // The first list after opening scans all 100k names; after that the list is cached, patched
  // by this instance's writes and refreshed with only the rows another process changed.
  let fresh: ReturnType<typeof openVault> | undefined;
  measure(
    "listSecrets, first after open (full scan)",
    20,
    () => {
      if (fresh?.listSecrets(ANA).length !== SECRETS) throw new Error("list is short");
    },
    "target < 50 ms",
    () => {
      fresh?.close();
      fresh = openVault({ dataDir: join(root, "data"), keyFile: join(root, "keys", "b.key") });
    },
  );
  fresh?.close();
  const other = openVault({ dataDir: join(root, "data"), keyFile: join(root, "keys", "b.key") });
  listAll();
  measure("listSecrets, after another process wrote", 30, listAll, "target < 50 ms", () => {
    other.setSecret(ANA, name(random(SECRETS)), "changed");
  });
  other.close();
  measure("listSecrets, after own write", 30, listAll, "target < 50 ms", () => {
    vault.setSecret(ANA, name(random(SECRETS)), "changed");
  });
  measure("listSecrets, unchanged", 30, listAll, "target < 50 ms");

  measure("appendAudit (1 commit each)", 2000, (i) => {
    vault.appendAudit({ type: "secret.read", name: name(i % SECRETS), process: "Bench" });
  });

  for (const callers of [1, 8]) {
    const perCaller = 2000;
    const latencies: number[] = [];
    const batchesBefore = vault.stats().auditBatches;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: callers }, async (_, c) => {
        for (let i = 0; i < perCaller; i++) {
          const t0 = performance.now();
          await vault.recordAudit({ type: "secret.read", name: name(i), process: `Caller${c}` });
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const elapsed = performance.now() - start;
    latencies.sort((a, b) => a - b);
    const total = callers * perCaller;
    const batches = vault.stats().auditBatches - batchesBefore;
    rows.push({
      operation: `recordAudit, ${callers} concurrent caller${callers === 1 ? "" : "s"}`,
      n: total,
      median: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      perSecond: (total / elapsed) * 1000,
      note: `${batches} commits, ${(total / batches).toFixed(1)} entries/commit`,
    });
  }

  // The hot read path as the robot runs it: audit committed, then the value handed out.
  for (const callers of [1, 8]) {
    const perCaller = 1000;
    const latencies: number[] = [];
    const start = performance.now();
    await Promise.all(
      Array.from({ length: callers }, async () => {
        for (let i = 0; i < perCaller; i++) {
          const t0 = performance.now();
          const n = name(random(SECRETS));
          await vault.recordAudit({ type: "secret.read", name: n, process: "Bench" });
          vault.getSecret(ANA, n);
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const elapsed = performance.now() - start;
    latencies.sort((a, b) => a - b);
    rows.push({
      operation: `audited read (recordAudit + getSecret), ${callers}x`,
      n: callers * perCaller,
      median: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      perSecond: ((callers * perCaller) / elapsed) * 1000,
    });
  }

  const entries = vault.listAudit({ limit: 1 })[0]?.seq ?? 0;
  measure(
    "verifyAudit",
    1,
    () => {
      if (!vault.verifyAudit().ok) throw new Error("audit chain broken");
    },
    `${entries} entries`,
  );

  vault.close();
} finally {
  rmSync(root, { recursive: true, force: true });
}

const ms = (v: number | undefined) => (v === undefined ? "" : `${v.toFixed(3)} ms`);
const table = rows.map((r) => [
  r.operation,
  String(r.n),
  ms(r.median),
  ms(r.p99),
  r.perSecond === undefined ? "" : `${Math.round(r.perSecond).toLocaleString("en-US")}/s`,
  r.note ?? "",
]);
const header = ["operation", "n", "median", "p99", "throughput", "note"];
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => (r[i] ?? "").length)));
const line = (cells: string[]) =>
  cells
    .map((c, i) => (i === 0 || i === 5 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
    .join("  ");
console.log(
  `vault, ${SECRETS.toLocaleString("en-US")} secrets, WAL + synchronous=FULL, ${tmpdir()}`,
);
console.log(line(header));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const r of table) console.log(line(r));
