/**
 * The `heptora` CLI end to end against a spawned daemon and the fake platform: sign-in, sync,
 * secrets, runs with masking, exit codes and signals, audit.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, realpathSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { cleanEnv, HEPTORA_BIN, heptora, type RunningDaemon, startDaemon } from "../support/cli.ts";
import { type FakePlatform, startFakePlatform } from "../support/fake-platform.ts";
import { ANA } from "../support/service.ts";
import { makeTempDir, type TempDir } from "../support/temp.ts";

const repoRoot = join(import.meta.dirname, "..", "..", "..", "..");
const USER = "ana-sap-user";
const PASSWORD = "Pässwörd-🔑-1234";

describe("heptora CLI against a running daemon", () => {
  let temp: TempDir;
  let platform: FakePlatform;
  let invoiceId: string;
  let daemon: RunningDaemon;
  let env: NodeJS.ProcessEnv;
  const cli = (args: string[], input?: string) =>
    heptora(["--data-dir", temp.dataDir, ...args], {
      env,
      cwd: repoRoot,
      ...(input === undefined ? {} : { input }),
    });

  before(async () => {
    temp = makeTempDir();
    platform = await startFakePlatform();
    platform.addUser(ANA.email, ANA.password);
    invoiceId = platform.addProcess({
      name: "Invoice Processing",
      variables: [{ name: "SAP_USER" }, { name: "SAP_PASSWORD" }],
      assignees: [ANA.email],
    });
    env = cleanEnv({ HEPTORA_KEY_FILE: temp.keyFile, HEPTORA_PLATFORM_URL: platform.url });
    daemon = await startDaemon({ dataDir: temp.dataDir, env });
  });
  after(async () => {
    await daemon.stop();
    await platform.close();
    temp.remove();
  });

  test("the data dir is private: socket and management token are 0600", () => {
    assert.equal(statSync(temp.dataDir).mode & 0o777, 0o700);
    assert.equal(statSync(join(temp.dataDir, "robot.sock")).mode & 0o777, 0o600);
    assert.equal(statSync(join(temp.dataDir, "control.token")).mode & 0o777, 0o600);
  });

  test("a second daemon on the same data dir refuses with a clear message", async () => {
    const second = await cli(["start"]);
    assert.equal(second.code, 1);
    assert.match(second.stderr, /Another robot is already running on this data dir/);
  });

  test("login with --password-stdin signs in and syncs", async () => {
    const wrong = await cli(["login", "--email", ANA.email, "--password-stdin"], "nope\n");
    assert.equal(wrong.code, 1);
    assert.equal(wrong.stderr, "The email or password is not correct.\n");
    const result = await cli(
      ["login", "--email", ANA.email, "--password-stdin"],
      `${ANA.password}\n`,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Signed in as ana@example.com/);
    assert.match(result.stdout, /Synced 1 process/);
    const sync = await cli(["sync"]);
    assert.equal(sync.code, 0, sync.stderr);
    assert.match(sync.stdout, /Synced 1 process/);
  });

  test("secrets set refuses an undeclared name with a suggestion, and stores declared ones", async () => {
    const typo = await cli(["secrets", "set", "SAP_USR", "--value-stdin"], "x");
    assert.equal(typo.code, 1);
    assert.equal(
      typo.stderr,
      "No process assigned to this robot declares 'SAP_USR'. Did you mean 'SAP_USER'?\n",
    );
    const noTerminal = await cli(["secrets", "set", "SAP_USER"]);
    assert.equal(noTerminal.code, 2);
    assert.match(noTerminal.stderr, /--value-stdin/);
    for (const [name, value] of [
      ["SAP_USER", USER],
      ["SAP_PASSWORD", PASSWORD],
    ] as const) {
      const set = await cli(["secrets", "set", name, "--value-stdin"], `${value}\n`);
      assert.equal(set.code, 0, set.stderr);
      assert.equal(set.stdout, `Saved ${name} (version 1).\n`);
    }
  });

  test("secrets list shows names grouped by process, set or not, and never a value", async () => {
    const table = await cli(["secrets", "list"]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /PROCESS\s+NAME\s+VALUE\s+LAST CHANGE/);
    assert.match(table.stdout, /Invoice Processing\s+SAP_USER\s+set/);
    const json = await cli(["secrets", "list", "--json", "--process", "Invoice Processing"]);
    const parsed = JSON.parse(json.stdout) as {
      processes: { variables: { name: string; set: boolean }[] }[];
    };
    assert.deepEqual(
      parsed.processes[0]?.variables.map((v) => [v.name, v.set]),
      [
        ["SAP_USER", true],
        ["SAP_PASSWORD", true],
      ],
    );
    for (const out of [table.stdout, json.stdout]) assert.ok(!out.includes(PASSWORD));
  });

  test("secrets get reveals the exact value; history and restore undo an overwrite", async () => {
    const get = await cli(["secrets", "get", "SAP_PASSWORD"]);
    assert.equal(get.stdout, `${PASSWORD}\n`);
    await cli(["secrets", "set", "SAP_PASSWORD", "--value-stdin"], "oops");
    const history = await cli(["secrets", "history", "SAP_PASSWORD", "--json"]);
    const versions = (JSON.parse(history.stdout) as { versions: { version: number }[] }).versions;
    assert.equal(versions.length, 2);
    const restore = await cli(["secrets", "restore", "SAP_PASSWORD", "--version", "1"]);
    assert.equal(restore.code, 0, restore.stderr);
    const again = await cli(["secrets", "get", "SAP_PASSWORD", "--no-newline"]);
    assert.equal(again.stdout, PASSWORD);
  });

  test("run gives the child its token, masks values in its output, and passes the exit code", async () => {
    const script = [
      'import { getSecret } from "@heptora/sdk";',
      'const password = await getSecret("SAP_PASSWORD");',
      'process.stdout.write("user=" + process.env.SAP_USER + " password=" + password + "\\n");',
      'process.stdout.write(password.slice(0, 5)); process.stdout.write(password.slice(5) + "\\n");',
      'console.error("token=" + process.env.HEPTORA_RUN_TOKEN + " process=" + process.env.HEPTORA_PROCESS);',
      "process.exit(7);",
    ].join("\n");
    const result = await cli([
      "run",
      "Invoice Processing",
      "--env",
      "SAP_USER",
      "--",
      process.execPath,
      "--input-type=module",
      "-e",
      script,
    ]);
    assert.equal(result.code, 7, result.stderr);
    assert.equal(result.stdout, "user=*** password=***\n***\n");
    assert.equal(result.stderr, "token=*** process=Invoice Processing\n");
  });

  test("runs list shows the run going on as running, never a token; ended once it ends", async () => {
    // The run's own command lists the runs: it is going on while the list is asked for.
    const during = await cli([
      "run",
      "Invoice Processing",
      "--",
      process.execPath,
      HEPTORA_BIN,
      "--data-dir",
      temp.dataDir,
      "runs",
      "list",
      "--json",
    ]);
    assert.equal(during.code, 0, during.stderr);
    const listed = JSON.parse(during.stdout) as {
      runs: { runId: string; process: { name: string }; state: string }[];
    };
    assert.equal(listed.runs[0]?.process.name, "Invoice Processing");
    assert.equal(listed.runs[0]?.state, "running");
    assert.ok(!during.stdout.includes("token"));
    const after = await cli(["runs", "list", "--json"]);
    assert.equal(after.code, 0, after.stderr);
    const ended = JSON.parse(after.stdout) as { runs: { runId: string; state: string }[] };
    assert.equal(ended.runs[0]?.runId, listed.runs[0]?.runId);
    assert.equal(ended.runs[0]?.state, "ended");
  });

  test("run starts the child in the caller's working directory with the caller's environment", async () => {
    const workDir = join(temp.path, "automation-dir");
    mkdirSync(workDir, { recursive: true });
    const script =
      "console.log(JSON.stringify({ cwd: process.cwd(), mine: process.env.MY_AUTOMATION_SETTING, socket: typeof process.env.HEPTORA_ROBOT_SOCKET }))";
    const result = await heptora(
      [
        "--data-dir",
        temp.dataDir,
        "run",
        "Invoice Processing",
        "--",
        process.execPath,
        "-e",
        script,
      ],
      { env: { ...env, MY_AUTOMATION_SETTING: "kept as it was" }, cwd: workDir },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), {
      cwd: realpathSync(workDir),
      mine: "kept as it was",
      socket: "string",
    });
  });

  test("run reports a command that cannot start, and an unknown process with a suggestion", async () => {
    const missing = await cli(["run", "Invoice Processing", "--", "no-such-command-xyz"]);
    assert.equal(missing.code, 127);
    assert.match(missing.stderr, /command not found/);
    const typo = await cli(["run", "Invoice Procesing", "--", "true"]);
    assert.equal(typo.code, 1);
    assert.equal(
      typo.stderr,
      "No process named 'Invoice Procesing' is assigned to this robot. Did you mean 'Invoice Processing'?\n",
    );
  });

  test("run forwards SIGTERM to the child and exits 128 + signal", async () => {
    const { spawn } = await import("node:child_process");
    const { HEPTORA_BIN } = await import("../support/cli.ts");
    const child = spawn(
      process.execPath,
      [
        HEPTORA_BIN,
        "run",
        "Invoice Processing",
        "--data-dir",
        temp.dataDir,
        "--",
        process.execPath,
        "-e",
        'console.log("ready"); setInterval(() => {}, 1000);',
      ],
      { env, stdio: ["ignore", "pipe", "pipe"] },
    );
    await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
    child.kill("SIGTERM");
    const code = await new Promise<number | null>((resolve) =>
      child.once("exit", (exitCode) => resolve(exitCode)),
    );
    assert.equal(code, 143);
  });

  test("status says who is signed in, the platform, the last sync and the key warning", async () => {
    const json = await cli(["status", "--json"]);
    const status = JSON.parse(json.stdout) as {
      signedIn: boolean;
      email: string;
      platformUrl: string;
      sync: { lastSyncAt: string | null };
      keyProtectionWarning: string | null;
      counts: { set: number; declared: number };
    };
    assert.equal(status.signedIn, true);
    assert.equal(status.email, ANA.email);
    assert.equal(status.platformUrl, platform.url);
    assert.notEqual(status.sync.lastSyncAt, null);
    assert.match(status.keyProtectionWarning ?? "", /file permissions only/);
    assert.deepEqual([status.counts.set, status.counts.declared], [2, 2]);
    const text = await cli(["status"]);
    assert.match(text.stdout, /Signed in as:\s+ana@example.com/);
  });

  test("audit list shows reads and reveals; audit verify passes", async () => {
    const list = await cli(["audit", "list", "--json", "--limit", "100"]);
    const entries = (JSON.parse(list.stdout) as { entries: { type: string; actor?: string }[] })
      .entries;
    const types = new Set(entries.map((e) => e.type));
    for (const type of ["secret.read", "secret.reveal", "secret.set", "login", "unlock"]) {
      assert.ok(types.has(type), type);
    }
    assert.ok(
      entries.some((e) => e.type === "secret.read" && e.actor === "run:Invoice Processing"),
    );
    assert.ok(!list.stdout.includes(PASSWORD));
    const verify = await cli(["audit", "verify"]);
    assert.equal(verify.code, 0);
    assert.match(verify.stdout, /The audit log is intact/);
  });

  test("ui prints a one-time link to the Secrets window", async () => {
    const ui = await cli(["ui", "--no-open"]);
    assert.equal(ui.code, 0, ui.stderr);
    assert.match(
      ui.stdout,
      /^Secrets window: http:\/\/127\.0\.0\.1:\d+\/session\/open\?t=[\w-]{43}\n$/,
    );
  });

  test("ui without a desktop falls back to a one-time link (no browser is started)", async () => {
    const ui = await cli(["ui", "--json"]);
    assert.equal(ui.code, 0, ui.stderr);
    const answer = JSON.parse(ui.stdout) as { url: string; opened: boolean };
    assert.equal(answer.opened, false);
    assert.match(answer.url, /^http:\/\/127\.0\.0\.1:\d+\/session\/open\?t=[\w-]{43}$/);
    const wrong = await cli(["ui", "--section", "elsewhere"]);
    assert.equal(wrong.code, 2);
  });

  test("a sign-out by the platform says why, in sync and in status", async () => {
    const sentence =
      "You were signed out because your password was changed on the web app. Sign in with the new password.";
    platform.revokeAllTokens("password_changed");
    const sync = await cli(["sync"]);
    assert.equal(sync.code, 1);
    assert.match(sync.stderr, new RegExp(`^${sentence.replaceAll(".", "\\.")}`));
    const status = await cli(["status"]);
    assert.match(status.stdout, /not signed in \(heptora login\): You were signed out because/);
    const json = JSON.parse((await cli(["status", "--json"])).stdout) as {
      signedOutReason: string;
      signedOutCause: string;
    };
    assert.deepEqual([json.signedOutCause, json.signedOutReason], ["password_changed", sentence]);
    const again = await cli(
      ["login", "--email", ANA.email, "--password-stdin"],
      `${ANA.password}\n`,
    );
    assert.equal(again.code, 0, again.stderr);
  });

  test("logout forgets the sign-in; values stay", async () => {
    const result = await cli(["logout"]);
    assert.equal(result.code, 0, result.stderr);
    const status = JSON.parse((await cli(["status", "--json"])).stdout) as { signedIn: boolean };
    assert.equal(status.signedIn, false);
    const sync = await cli(["sync"]);
    assert.equal(sync.code, 1);
    assert.equal(sync.stderr, "The robot is not signed in. Sign in with `heptora login`.\n");
    // Values belong to the person (docs/adr/0066): sealed while no one is signed in, back at
    // the next sign-in.
    const sealed = await cli(["secrets", "get", "SAP_USER"]);
    assert.equal(sealed.code, 1);
    assert.equal(sealed.stderr, "The robot is not signed in. Sign in with `heptora login`.\n");
    const login = await cli(
      ["login", "--email", ANA.email, "--password-stdin"],
      `${ANA.password}\n`,
    );
    assert.equal(login.code, 0, login.stderr);
    assert.equal((await cli(["secrets", "get", "SAP_USER"])).stdout, `${USER}\n`);
    assert.equal((await cli(["logout"])).code, 0);
  });

  test("secrets move puts an undeclared value onto a declared name, and refuses a declared one", async () => {
    const login = await cli(
      ["login", "--email", ANA.email, "--password-stdin"],
      `${ANA.password}\n`,
    );
    assert.equal(login.code, 0, login.stderr);
    // SAP_PASSWORD is dropped and SAP_SECRET declared instead (a new variable, not a rename).
    platform.updateProcess(invoiceId, {
      variables: [{ name: "SAP_USER" }, { name: "SAP_SECRET" }],
    });
    assert.equal((await cli(["sync"])).code, 0);
    const declared = await cli(["secrets", "move", "SAP_USER", "SAP_SECRET"]);
    assert.equal(declared.code, 1);
    assert.match(declared.stderr, /'SAP_USER' is declared by a process/);
    const moved = await cli(["secrets", "move", "SAP_PASSWORD", "SAP_SECRET"]);
    assert.equal(moved.code, 0, moved.stderr);
    assert.match(
      moved.stdout,
      /^Moved SAP_PASSWORD to SAP_SECRET, with its history \(version \d+\)\.\n$/,
    );
    assert.ok(!moved.stdout.includes(PASSWORD));
    assert.equal((await cli(["secrets", "get", "SAP_SECRET"])).stdout, `${PASSWORD}\n`);
    const audit = await cli(["audit", "list", "--type", "secret.moved", "--json"]);
    assert.match(audit.stdout, /"SAP_SECRET"/);
    platform.updateProcess(invoiceId, {
      variables: [{ name: "SAP_USER" }, { name: "SAP_PASSWORD" }],
    });
    assert.equal((await cli(["logout"])).code, 0);
  });

  test("secrets forget-person asks first (--yes without a terminal) and never shows a value", async () => {
    const unconfirmed = await cli(["secrets", "forget-person", "bob@example.com"]);
    assert.notEqual(unconfirmed.code, 0);
    assert.match(unconfirmed.stderr, /Pass --yes to remove the values of bob@example.com/);
    const none = await cli(["secrets", "forget-person", "Bob@Example.com", "--yes"]);
    assert.equal(none.code, 0, none.stderr);
    assert.equal(none.stdout, "bob@example.com had no values here.\n");
  });

  test("the daemon stops cleanly on SIGTERM and removes its socket and token file", async () => {
    assert.equal(await daemon.stop(), 0);
    assert.ok(!existsSync(join(temp.dataDir, "robot.sock")));
    assert.ok(!existsSync(join(temp.dataDir, "control.token")));
    for (const value of [USER, PASSWORD]) {
      assert.ok(!daemon.stderr.includes(value) && !daemon.stdout.includes(value));
    }
  });
});
