/**
 * Key rotation, backup and restore benchmark (`npm run bench -- key-rotation`, docs/adr/0080): a vault
 * of 100,000 secrets (one person, one version each, plus 10,000 with a second version), then
 * `rotateKey` (every version re-sealed, every row re-MAC'd, one transaction), `writeBackup`
 * (VACUUM INTO + Argon2id + AES-GCM chunks) and `restoreBackup` onto a new data dir. Each is timed
 * once (they are whole-vault operations); the rotation also reports how long the event loop was
 * held at most between two progress turns. Uses a temporary data dir; prints a table.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openVault, restoreBackup } from "../src/index.ts";

const ANA = "ana@example.com";
const SECRETS = Number(process.env.HEPTORA_BENCH_SECRETS ?? 100_000);
const root = mkdtempSync(join(tmpdir(), "heptora-rotate-bench-"));
const name = (i: number) => `SECRET_${String(i).padStart(6, "0")}`;

const rows: [string, string, string][] = [];
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

try {
  const dataDir = join(root, "data");
  const keyFile = join(root, "keys", "robot.key");
  const vault = openVault({ dataDir, keyFile });
  let start = performance.now();
  for (let from = 0; from < SECRETS; from += 10_000) {
    vault.setSecrets(
      ANA,
      Array.from({ length: Math.min(10_000, SECRETS - from) }, (_, i) => ({
        name: name(from + i),
        value: `value-${from + i}-${"x".repeat(24)}`,
      })),
    );
  }
  vault.setSecrets(
    ANA,
    Array.from({ length: Math.floor(SECRETS / 10) }, (_, i) => ({
      name: name(i),
      value: `second-${i}`,
    })),
  );
  rows.push(["seed (not a target)", seconds(performance.now() - start), `${SECRETS} secrets`]);

  let longestTurn = 0;
  let turnStart = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    longestTurn = Math.max(longestTurn, now - turnStart);
    turnStart = now;
  }, 0);
  start = performance.now();
  const result = await vault.rotateKey();
  const rotateMs = performance.now() - start;
  clearInterval(ticker);
  rows.push([
    "rotateKey",
    seconds(rotateMs),
    `${result.versions} versions re-sealed; event loop held at most ${longestTurn.toFixed(0)} ms`,
  ]);
  if (vault.getSecret(ANA, name(SECRETS - 1))?.value !== `value-${SECRETS - 1}-${"x".repeat(24)}`) {
    throw new Error("a value did not survive the rotation");
  }

  const archive = join(root, "robot.heptora-backup");
  start = performance.now();
  vault.writeBackup(archive, "a long bench passphrase");
  rows.push([
    "writeBackup",
    seconds(performance.now() - start),
    `${(statSync(archive).size / 1e6).toFixed(1)} MB archive, Argon2id 64 MiB x3 included`,
  ]);
  vault.close();

  start = performance.now();
  const restored = restoreBackup({
    file: archive,
    dataDir: join(root, "restored"),
    keyFile: join(root, "keys", "restored.key"),
    passphrase: "a long bench passphrase",
  });
  rows.push([
    "restoreBackup",
    seconds(performance.now() - start),
    `${restored.values} values, reopened and audited`,
  ]);
} finally {
  rmSync(root, { recursive: true, force: true });
}

const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => (r[i] ?? "").length), 10));
const line = (r: readonly string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
console.log(line(["operation", "time", "note"]));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const r of rows) console.log(line(r));
