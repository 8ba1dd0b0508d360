/**
 * `heptora run` against a real daemon: what the child (or a child of the child) prints is masked
 * in every disguise, even a value it never read through Heptora or one set while it runs; it
 * cannot write around the masks through /dev/tty; output stays live; binary passes through.
 */
import assert from "node:assert/strict";
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { cleanEnv, HEPTORA_BIN, heptora, type RunningDaemon, startDaemon } from "../support/cli.ts";
import { type FakePlatform, startFakePlatform } from "../support/fake-platform.ts";
import { findLeaks } from "../support/leaks.ts";
import { ANA } from "../support/service.ts";
import { makeTempDir, type TempDir } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const repoRoot = join(import.meta.dirname, "..", "..", "..", "..");
const PASSWORD = "Pässwörd 🔑/1234\"x'";
const USER = "hunter2-sap-user";
const LATE = "set-while-running-Ω-42";

/** A `heptora run` whose output the test watches while it runs. */
interface LiveRun {
  child: ChildProcessWithoutNullStreams;
  readonly stdout: Buffer;
  readonly stderr: Buffer;
  exit: Promise<number | null>;
}

describe("heptora run masks what the child prints, with a real daemon", () => {
  let temp: TempDir;
  let platform: FakePlatform;
  let daemon: RunningDaemon;
  let env: NodeJS.ProcessEnv;
  const cli = (args: string[], input?: string) =>
    heptora(["--data-dir", temp.dataDir, ...args], {
      env,
      cwd: repoRoot,
      ...(input === undefined ? {} : { input }),
    });
  const runArgs = (...command: string[]) => [
    HEPTORA_BIN,
    "--data-dir",
    temp.dataDir,
    "run",
    "Invoice Processing",
    "--",
    ...command,
  ];
  function live(...command: string[]): LiveRun {
    const child = spawn(process.execPath, runArgs(...command), { env, cwd: repoRoot });
    let stdout = Buffer.alloc(0);
    let stderr = Buffer.alloc(0);
    child.stdout.on("data", (chunk: Buffer) => {
      stdout = Buffer.concat([stdout, chunk]);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = Buffer.concat([stderr, chunk]);
    });
    const exit = once(child, "close").then(([code]) => code as number | null);
    return {
      child,
      get stdout() {
        return stdout;
      },
      get stderr() {
        return stderr;
      },
      exit,
    };
  }

  before(async () => {
    temp = makeTempDir();
    platform = await startFakePlatform();
    platform.addUser(ANA.email, ANA.password);
    platform.addProcess({
      name: "Invoice Processing",
      variables: [{ name: "SAP_USER" }, { name: "SAP_PASSWORD" }],
      assignees: [ANA.email],
    });
    env = cleanEnv({ HEPTORA_KEY_FILE: temp.keyFile, HEPTORA_PLATFORM_URL: platform.url });
    daemon = await startDaemon({ dataDir: temp.dataDir, env });
    const login = await cli(["login", "--email", ANA.email, "--password-stdin"], ANA.password);
    assert.equal(login.code, 0, login.stderr);
    for (const [name, value] of [
      ["SAP_USER", USER],
      ["SAP_PASSWORD", PASSWORD],
    ] as const) {
      const set = await cli(["secrets", "set", name, "--value-stdin"], value);
      assert.equal(set.code, 0, set.stderr);
    }
  });
  after(async () => {
    await daemon.stop();
    await platform.close();
    temp.remove();
  });

  test("a grandchild printing a declared value the run never read, in every disguise, shows ***", async () => {
    // The automation has its own copy of the value (it never asks Heptora for it).
    const copy = join(temp.path, "copy.txt");
    writeFileSync(copy, PASSWORD);
    const python = [
      "import sys, json, base64, urllib.parse",
      `v = open(${JSON.stringify(copy)}, encoding="utf-8").read()`,
      "print(v)",
      "print(base64.b64encode(b'x' + v.encode()).decode())",
      "print(base64.urlsafe_b64encode(v.encode()).decode())",
      "print(json.dumps({'p': v}))",
      "print(repr(v), ascii(v))",
      "print(urllib.parse.quote(v), urllib.parse.quote_plus(v))",
      "print(v.encode().hex(), v.encode().hex().upper())",
      "sys.stdout.flush()",
      "sys.stdout.buffer.write(v.encode('utf-16-le') + b'\\n')",
      "print(v, file=sys.stderr)",
    ].join("\n");
    const node = `require("node:child_process").spawnSync("python3", ["-c", ${JSON.stringify(python)}], { stdio: "inherit" });`;
    const result = await cli(["run", "Invoice Processing", "--", process.execPath, "-e", node]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.split("\n");
    assert.equal(lines[0], "***");
    assert.deepEqual(findLeaks(Buffer.from(result.stdout), [PASSWORD]), []);
    for (const needle of ["🔑", "1234", "%F0%9F%94%91", "\\U0001f511", "31323334"]) {
      assert.ok(!result.stdout.includes(needle), `${needle} in ${result.stdout}`);
    }
    assert.equal(result.stderr, "***\n");
  });

  test("a value set while the run is going on is masked from then on", async () => {
    const script = [
      'import { getSecret } from "@heptora/sdk";',
      'import { createInterface } from "node:readline";',
      'process.stdout.write("ready\\n");',
      "for await (const line of createInterface({ input: process.stdin })) {",
      '  const value = await getSecret("SAP_PASSWORD");',
      '  console.log(line + ": " + value, Buffer.from(value).toString("base64"), JSON.stringify(value));',
      "}",
    ].join("\n");
    const run = live(process.execPath, "--input-type=module", "-e", script);
    try {
      await waitFor(() => run.stdout.toString().includes("ready\n"), "the child", 60_000);
      const set = await cli(["secrets", "set", "SAP_PASSWORD", "--value-stdin"], LATE);
      assert.equal(set.code, 0, set.stderr);
      run.child.stdin.write("after the change\n");
      await waitFor(() => run.stdout.toString().includes("after the change"), "its line", 30_000);
    } finally {
      run.child.stdin.end();
    }
    assert.equal(await run.exit, 0, run.stderr.toString());
    const out = run.stdout.toString();
    assert.deepEqual(findLeaks(run.stdout, [LATE]), [], out);
    assert.match(out, /^ready\nafter the change: \*\*\* \*\*\*[A-Za-z0-9+/=]{0,3} "\*\*\*"\n$/);
    await cli(["secrets", "set", "SAP_PASSWORD", "--value-stdin"], PASSWORD);
  });

  test("the child has no controlling terminal to write around the masks (/dev/tty)", async () => {
    // `script` gives heptora run a terminal, as a person's shell would.
    const script = [
      'import { getSecret } from "@heptora/sdk";',
      'import { openSync, writeSync } from "node:fs";',
      'const value = await getSecret("SAP_PASSWORD");',
      'try { const tty = openSync("/dev/tty", "w"); writeSync(tty, "tty: " + value + "\\n"); }',
      'catch (error) { console.log("no terminal: " + error.code); }',
      'console.log("stdout: " + value);',
    ].join("\n");
    const command = [
      process.execPath,
      ...runArgs(process.execPath, "--input-type=module", "-e", script),
    ]
      .map((arg) => `'${arg.replaceAll("'", "'\\''")}'`)
      .join(" ");
    const child = spawn("script", ["-qefc", command, "/dev/null"], { env, cwd: repoRoot });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    const [code] = await once(child, "close");
    assert.equal(code, 0, output);
    assert.deepEqual(findLeaks(Buffer.from(output), [PASSWORD]), [], output);
    assert.match(output, /no terminal: ENXIO/);
    assert.match(output, /stdout: \*\*\*/);
  });

  test("Ctrl-C on heptora run's terminal still ends the child (and its children) with 130", async () => {
    const script = [
      'const { spawn } = require("node:child_process");',
      'spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "inherit" });',
      'process.on("SIGINT", () => { console.log("child got SIGINT"); process.exit(130); });',
      'console.log("ready"); setInterval(() => {}, 1000);',
    ].join("\n");
    const command = [process.execPath, ...runArgs(process.execPath, "-e", script)]
      .map((arg) => `'${arg.replaceAll("'", "'\\''")}'`)
      .join(" ");
    const child = spawn("script", ["-qefc", command, "/dev/null"], { env, cwd: repoRoot });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    try {
      await waitFor(() => output.includes("ready"), "the child to be ready", 60_000);
    } catch (error) {
      child.kill("SIGKILL");
      throw error;
    }
    child.stdin.write("\x03");
    const [code] = await once(child, "close");
    assert.match(output, /child got SIGINT/);
    assert.equal(code, 130, output);
  });

  test("output stays live: a line, and a prompt that starts like a value, show before the child ends", async () => {
    const script = [
      'process.stdout.write("first line\\n");',
      // "hun" could be the start of the user name: it is held at most 50 ms, then shown.
      'process.stdout.write("login: hun");',
      'process.stdin.on("data", () => {}).on("end", () => process.stdout.write("ter2\\n"));',
    ].join("\n");
    const run = live(process.execPath, "-e", script);
    try {
      // Starting heptora run takes what it takes (a loaded machine); the prompt then must not.
      await waitFor(
        () => run.stdout.toString().startsWith("first line\n"),
        "the first line",
        60_000,
      );
      await waitFor(
        () => run.stdout.toString() === "first line\nlogin: hun",
        "the prompt while the child still runs",
        10_000,
      );
      assert.equal(run.child.exitCode, null);
    } finally {
      run.child.stdin.end();
    }
    assert.equal(await run.exit, 0);
    assert.equal(run.stdout.toString(), "first line\nlogin: hunter2\n");
  });

  test("secrets set refuses a value of fewer than 4 characters unless --allow-short, which is audited", async () => {
    const refused = await cli(["secrets", "set", "SAP_USER", "--value-stdin"], "abc");
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /shorter than 4 characters: heptora run cannot mask it safely/);
    assert.match(refused.stderr, /--allow-short/);
    assert.ok(!refused.stderr.includes("abc"));
    const kept = await cli(["secrets", "get", "SAP_USER", "--no-newline"]);
    assert.equal(kept.stdout, USER);
    const allowed = await cli(
      ["secrets", "set", "SAP_USER", "--value-stdin", "--allow-short"],
      "abc",
    );
    assert.equal(allowed.code, 0, allowed.stderr);
    const audit = await cli(["audit", "list", "--json", "--type", "secret.short_allowed"]);
    const entries = (JSON.parse(audit.stdout) as { entries: { name: string; actor: string }[] })
      .entries;
    assert.deepEqual(
      entries.map((e) => [e.name, e.actor]),
      [["SAP_USER", "cli"]],
    );
    const back = await cli(["secrets", "set", "SAP_USER", "--value-stdin"], USER);
    assert.equal(back.code, 0, back.stderr);
  });

  test("binary output without values passes through byte for byte", async () => {
    const data = randomBytes(2 * 1024 * 1024);
    const file = join(temp.path, "blob.bin");
    writeFileSync(file, data);
    const run = live("cat", file);
    assert.equal(await run.exit, 0, run.stderr.toString());
    assert.ok(run.stdout.equals(data));
  });
});
