/**
 * `npm run bench -- executable-start`: how long the installed `heptora secrets get NAME` takes as a
 * whole process (spawn to exit), beside `node -e 0` in the same rounds. The robot's .deb from
 * dist/ (built first when it is not there: `npm run package -- robot-deb`) is installed with dpkg
 * into a temp root; its /usr/bin/heptora runs the daemon against the tests' fake platform, signs
 * in, stores a value (on standard input), then the commands run round-robin and medians compare.
 *
 * Target (issue 15): within 30 ms of `node -e 0`.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { robotDeb } from "../../../scripts/package/robot-deb.ts";
import {
  dpkgInstall,
  packageContext,
  ROOT,
  rootVersion,
  runProgram,
  startProgram,
} from "../../../test/install/support/installed.ts";
import { startFakePlatform } from "../test/support/fake-platform.ts";
import { makeTempDir } from "../test/support/temp.ts";
import { median, timeInterleaved } from "./support/stats.ts";

const ROUNDS = Number(process.env.HEPTORA_BENCH_ROUNDS ?? 30);
const WARMUP = 3;
const TARGET_MS = 30;
const USER = { email: "ana@example.com", password: "correct horse battery staple" };

const dist = join(ROOT, "dist");
const deb = join(dist, `heptora-robot_${rootVersion()}_amd64.deb`);
if (!existsSync(deb)) await robotDeb.run({ ...packageContext(dist), log: console.error });

const temp = makeTempDir("hexe-");
const root = join(temp.path, "root");
dpkgInstall(root, deb);
const heptora = join(root, "usr", "bin", "heptora");
const platform = await startFakePlatform();
platform.addUser(USER.email, USER.password);
platform.addProcess({
  name: "Bench",
  variables: [{ name: "BENCH_SECRET" }],
  assignees: [USER.email],
});
const env = { PATH: "/usr/bin:/bin", HOME: temp.path, HEPTORA_KEY_FILE: temp.keyFile };
const daemon = await startProgram(
  heptora,
  ["start", "--data-dir", temp.dataDir, "--platform", platform.url, "--no-tray"],
  env,
  /Heptora robot running/,
);

try {
  for (const [args, input] of [
    [["login", "--email", USER.email, "--password-stdin"], `${USER.password}\n`],
    [["secrets", "set", "BENCH_SECRET", "--value-stdin"], "a-bench-value-0123456789"],
  ] as const) {
    const result = await runProgram(heptora, ["--data-dir", temp.dataDir, ...args], { env, input });
    if (result.code !== 0) throw new Error(`heptora ${args[0]} failed: ${result.stderr}`);
  }
  const cases = [
    { label: "node -e 0", program: process.execPath, args: ["-e", "0"] },
    { label: "heptora --version", program: heptora, args: ["--version"] },
    {
      label: "heptora secrets get NAME",
      program: heptora,
      args: ["--data-dir", temp.dataDir, "secrets", "get", "BENCH_SECRET"],
    },
  ];
  const times = timeInterleaved(cases, { rounds: ROUNDS, warmup: WARMUP, env });
  const floor = median(times.get("node -e 0") ?? []);
  console.log(
    `The installed executable (/usr/bin/heptora from the .deb) as whole processes, ${ROUNDS} rounds interleaved (median; node -e 0 is Node ${process.versions.node})`,
  );
  let met = true;
  for (const c of cases) {
    const m = median(times.get(c.label) ?? []);
    const over = m - floor;
    const extra =
      c.label === "node -e 0"
        ? ""
        : `  +${over.toFixed(1).padStart(6)} ms  ${(m / floor).toFixed(1)}x`;
    if (c.label === "heptora secrets get NAME" && over > TARGET_MS) met = false;
    console.log(`${c.label.padEnd(26)} ${m.toFixed(1).padStart(7)} ms${extra}`);
  }
  console.log(
    `target: heptora secrets get NAME within ${TARGET_MS} ms of node -e 0: ${met ? "met" : "missed"}`,
  );
} finally {
  await daemon.stop();
  await platform.close();
  temp.remove();
}
