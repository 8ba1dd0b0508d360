import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { cleanEnv, HEPTORA_BIN, heptora, startDaemon } from "../support/cli.ts";
import { makeTempDir } from "../support/temp.ts";

const temp = makeTempDir();
after(() => temp.remove());
const env = cleanEnv({ HEPTORA_KEY_FILE: temp.keyFile });

test("every client command says the robot is not running, in one line, and fails", async () => {
  const commands = [
    ["status"],
    ["secrets", "list"],
    ["secrets", "get", "SAP_USER"],
    ["audit", "verify"],
    ["sync"],
    ["run", "Invoice Processing", "--", "node", "-e", "0"],
  ];
  const results = await Promise.all(
    commands.map((args) => heptora(["--data-dir", temp.dataDir, ...args], { env })),
  );
  for (const [i, result] of results.entries()) {
    assert.notEqual(result.code, 0, commands[i]?.join(" "));
    assert.equal(result.stderr, "The robot is not running. Start it with `heptora start`.\n");
    assert.equal(result.stdout, "");
  }
});

test("a usage mistake exits 2 with the usage line", async () => {
  const missing = await heptora(["secrets", "get", "--data-dir", temp.dataDir], { env });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /Usage: heptora secrets get NAME/);
  const unknown = await heptora(["secrets", "sett", "X"], { env });
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /Unknown command 'heptora secrets sett'/);
  const badFlag = await heptora(["status", "--nope", "--data-dir", temp.dataDir], { env });
  assert.equal(badFlag.code, 2);
  const noDash = await heptora(["run", "P", "node", "--data-dir", temp.dataDir], { env });
  assert.equal(noDash.code, 2);
  assert.match(noDash.stderr, /Put -- between the process name and the command/);
});

test("a bad setting fails at start-up with one line naming it", async () => {
  const result = await heptora(["status", "--data-dir", temp.dataDir], {
    env: { ...env, HEPTORA_SYNC_INTERVAL: "often" },
  });
  assert.equal(result.code, 2);
  assert.equal(result.stderr.trim().split("\n").length, 1);
  assert.match(result.stderr, /HEPTORA_SYNC_INTERVAL/);
});

test("--help lists every command", async () => {
  const result = await heptora(["--help"], { env });
  assert.equal(result.code, 0);
  for (const word of ["start", "login", "secrets set", "secrets restore", "run", "audit verify"]) {
    assert.ok(result.stdout.includes(`heptora ${word}`), word);
  }
});

test("a daemon that cannot unlock its vault says why in one line and leaves no socket", async () => {
  const own = makeTempDir();
  try {
    const first = await startDaemon({
      dataDir: own.dataDir,
      env: cleanEnv({ HEPTORA_KEY_FILE: own.keyFile }),
    });
    assert.equal(await first.stop(), 0);
    const wrongKey = await heptora(["start", "--data-dir", own.dataDir], {
      env: cleanEnv({ HEPTORA_KEY_FILE: join(own.path, "other.key") }),
    });
    assert.equal(wrongKey.code, 1);
    assert.equal(wrongKey.stderr.trim().split("\n").length, 1);
    assert.match(wrongKey.stderr, /key file is missing/);
    assert.ok(!existsSync(join(own.dataDir, "robot.sock")));
    assert.ok(!existsSync(join(own.dataDir, "control.token")));
  } finally {
    own.remove();
  }
});

test("a reader that closes the pipe early (heptora --help | head -1) ends it quietly", async () => {
  const child = spawn(process.execPath, [HEPTORA_BIN, "--help"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Closed before the CLI has even started: its first write meets a closed pipe (EPIPE).
  child.stdout.destroy();
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const [code] = (await once(child, "exit")) as [number | null];
  assert.equal(stderr, "", "no stack trace");
  assert.equal(code, 0);
});
