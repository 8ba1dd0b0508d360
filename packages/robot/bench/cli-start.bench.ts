/**
 * `npm run bench -- cli-start`: how long `heptora --help`, `heptora status` and
 * `heptora secrets get NAME` take as whole processes (spawn to exit), beside `node -e 0` in the
 * same run: a daemon is started on a temp data dir against the tests' fake platform, signed in,
 * and a value is set; then the four commands run round-robin ROUNDS times and the medians are
 * compared. The value goes to the daemon on standard input, never on a command line.
 *
 * Target (issue 9): each command within 30 ms of `node -e 0`.
 *
 * HEPTORA_BENCH_BEFORE=<path of another checkout's bin/heptora.js> adds that CLI's rows, measured
 * in the same rounds against the same daemon: before and after in one run.
 */
import { cleanEnv, HEPTORA_BIN, heptora, startDaemon } from "../test/support/cli.ts";
import { startFakePlatform } from "../test/support/fake-platform.ts";
import { makeTempDir } from "../test/support/temp.ts";
import { median, timeInterleaved } from "./support/stats.ts";

const ROUNDS = Number(process.env.HEPTORA_BENCH_ROUNDS ?? 30);
const WARMUP = 3;
const TARGET_MS = 30;
const USER = { email: "ana@example.com", password: "correct horse battery staple" };

const temp = makeTempDir("hcli-");
const platform = await startFakePlatform();
platform.addUser(USER.email, USER.password);
platform.addProcess({
  name: "Bench",
  variables: [{ name: "BENCH_SECRET" }],
  assignees: [USER.email],
});
const env = cleanEnv({ HEPTORA_KEY_FILE: temp.keyFile, HEPTORA_PLATFORM_URL: platform.url });
const daemon = await startDaemon({ dataDir: temp.dataDir, env });

async function setUp(args: string[], input: string): Promise<void> {
  const result = await heptora(["--data-dir", temp.dataDir, ...args], { env, input });
  if (result.code !== 0) throw new Error(`heptora ${args[0]} failed: ${result.stderr}`);
}

interface Case {
  label: string;
  args: string[];
}

const cases: Case[] = [
  { label: "node -e 0", args: ["-e", "0"] },
  { label: "heptora --help", args: [HEPTORA_BIN, "--help"] },
  { label: "heptora status", args: [HEPTORA_BIN, "--data-dir", temp.dataDir, "status"] },
  {
    label: "heptora secrets get NAME",
    args: [HEPTORA_BIN, "--data-dir", temp.dataDir, "secrets", "get", "BENCH_SECRET"],
  },
];

const before = process.env.HEPTORA_BENCH_BEFORE;
if (before !== undefined) {
  for (const c of cases.slice(1)) {
    cases.push({ label: `${c.label} (before)`, args: [before, ...c.args.slice(1)] });
  }
}

try {
  // Sign-in talks to the fake platform in this process: spawned asynchronously. The measured
  // commands only talk to the daemon (another process), so they are spawned synchronously.
  await setUp(["login", "--email", USER.email, "--password-stdin"], `${USER.password}\n`);
  await setUp(["secrets", "set", "BENCH_SECRET", "--value-stdin"], "a-bench-value-0123456789");

  const times = timeInterleaved(
    cases.map((c) => ({ ...c, program: process.execPath })),
    { rounds: ROUNDS, warmup: WARMUP, env },
  );
  const floor = median(times.get("node -e 0") ?? []);
  console.log(
    `CLI start as whole processes, ${ROUNDS} rounds interleaved (median; Node ${process.versions.node})`,
  );
  let met = true;
  for (const c of cases) {
    const m = median(times.get(c.label) ?? []);
    const over = m - floor;
    const extra =
      c.label === "node -e 0"
        ? ""
        : `  +${over.toFixed(1).padStart(6)} ms  ${(m / floor).toFixed(1)}x`;
    if (c.label !== "node -e 0" && over > TARGET_MS) met = false;
    console.log(`${c.label.padEnd(26)} ${m.toFixed(1).padStart(7)} ms${extra}`);
  }
  console.log(
    `target: each command within ${TARGET_MS} ms of node -e 0: ${met ? "met" : "missed"}`,
  );
} finally {
  await daemon.stop();
  await platform.close();
  temp.remove();
}
