/**
 * startWindowsTray against a scripted helper (no Mono): the handshake, updates, clicks, a helper
 * that speaks another version, is silent, dies, or misbehaves. The real helper is driven in
 * windows-helper.test.ts.
 */
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { EventEmitter } from "node:events";
import { PassThrough } from "node:stream";
import { test } from "node:test";
import { TrayAction, type TrayState } from "../../src/tray/tray.ts";
import {
  decodeCommand,
  stateCommand,
  type TrayCommand,
  TrayLimits,
} from "../../src/tray/windows/tray-protocol.ts";
import { startWindowsTray } from "../../src/tray/windows/windows-tray.ts";
import { waitFor } from "../support/wait.ts";

const STATE: TrayState = {
  status: "Not signed in",
  tooltip: "Not signed in - Heptora 0.1.0",
  items: [
    { action: TrayAction.Secrets, enabled: true, label: "Secrets" },
    { action: TrayAction.Quit, enabled: true, label: "Quit Heptora" },
  ],
};
const HELPER = "/opt/heptora/robot/tray-windows/dist/heptora-tray.exe";

/** A helper played by the test: what the daemon wrote, and a way to answer. */
class ScriptedHelper extends EventEmitter {
  readonly stdin = new PassThrough();
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly received: TrayCommand[] = [];
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  spawnedWith:
    | { command: string; args: readonly string[]; cwd: unknown; hide: unknown }
    | undefined;
  private pending = "";
  private readonly script: (command: TrayCommand, helper: ScriptedHelper) => void;

  constructor(script: (command: TrayCommand, helper: ScriptedHelper) => void) {
    super();
    this.script = script;
    this.stdin.setEncoding("utf8");
    this.stdin.on("data", (chunk: string) => {
      this.pending += chunk;
      for (let at = this.pending.indexOf("\n"); at >= 0; at = this.pending.indexOf("\n")) {
        const command = decodeCommand(this.pending.slice(0, at));
        this.pending = this.pending.slice(at + 1);
        this.received.push(command);
        this.script(command, this);
      }
    });
    this.stdin.on("end", () => this.exit(0));
  }

  say(line: string): void {
    this.stdout.write(line);
  }

  exit(code: number | null, signal: NodeJS.Signals | null = null): void {
    if (this.exitCode !== null || this.signalCode !== null) return;
    this.exitCode = code;
    this.signalCode = signal;
    setImmediate(() => this.emit("exit", code, signal));
  }

  kill(signal: NodeJS.Signals = "SIGTERM"): boolean {
    this.exit(null, signal);
    return true;
  }

  spawn = (
    command: string,
    args: readonly string[],
    options: { cwd?: unknown; windowsHide?: unknown },
  ) => {
    this.spawnedWith = { command, args, cwd: options.cwd, hide: options.windowsHide };
    return this as unknown as ChildProcess;
  };
}

/** Greets and shows like the real helper. */
function polite(command: TrayCommand, helper: ScriptedHelper): void {
  if (command.type === "hello") helper.say("ready\t1\n");
  if (command.type === "state") helper.say("shown\n");
  if (command.type === "quit") helper.exit(0);
}

test("start: hello, the first state, then updates, clicks and a clean close", async () => {
  const helper = new ScriptedHelper(polite);
  const exits: string[] = [];
  const tray = await startWindowsTray(STATE, {
    helperPath: HELPER,
    spawn: helper.spawn,
    onExit: (reason) => exits.push(reason),
  });
  assert.deepEqual(helper.spawnedWith, {
    command: HELPER,
    args: [],
    cwd: "/opt/heptora/robot/tray-windows/dist",
    hide: true,
  });
  assert.deepEqual(helper.received, [{ type: "hello", version: 1 }, stateCommand(STATE)]);

  const next = { ...STATE, status: "Signed in as ana@example.com" };
  tray.update(next);
  await waitFor(() => helper.received.length === 3, "the update");
  assert.deepEqual(helper.received[2], stateCommand(next));

  const actions: TrayAction[] = [];
  tray.onAction((action) => actions.push(action));
  tray.onAction(() => {
    throw new Error("a broken listener");
  });
  helper.say("action\tsecrets\naction\tquit\n");
  await waitFor(() => actions.length === 2, "the clicks");
  assert.deepEqual(actions, ["secrets", "quit"]);

  await tray.close();
  assert.deepEqual(helper.received.at(-1), { type: "quit" });
  assert.deepEqual(exits, []);
  await tray.close(); // twice is fine
});

test("a runtime runs the .exe: ['/usr/bin/mono'] makes mono HELPER", async () => {
  const helper = new ScriptedHelper(polite);
  const tray = await startWindowsTray(STATE, {
    helperPath: HELPER,
    runtime: ["/usr/bin/mono"],
    spawn: helper.spawn,
  });
  assert.equal(helper.spawnedWith?.command, "/usr/bin/mono");
  assert.deepEqual(helper.spawnedWith?.args, [HELPER]);
  await tray.close();
});

test("a helper that speaks another version, or refuses, is no tray, and is stopped", async () => {
  const other = new ScriptedHelper((command, helper) => {
    if (command.type === "hello") helper.say("ready\t2\n");
  });
  await assert.rejects(startWindowsTray(STATE, { helperPath: HELPER, spawn: other.spawn }), {
    name: "TrayUnavailableError",
    message: "The Windows tray helper did not start: it speaks protocol version 2.",
  });
  assert.equal(other.signalCode, "SIGTERM");

  const refusing = new ScriptedHelper((command, helper) => {
    if (command.type === "hello")
      helper.say("error\tunsupported-version\tthis helper speaks version 3\n");
  });
  await assert.rejects(startWindowsTray(STATE, { helperPath: HELPER, spawn: refusing.spawn }), {
    message:
      "The Windows tray helper did not start: unsupported-version: this helper speaks version 3.",
  });
});

test("a silent helper times out; a dying one says its first stderr line", async () => {
  const silent = new ScriptedHelper(() => {});
  await assert.rejects(
    startWindowsTray(STATE, { helperPath: HELPER, spawn: silent.spawn, startTimeoutMs: 30 }),
    { message: "The Windows tray helper did not start: it did not answer within 30 ms." },
  );
  assert.equal(silent.signalCode, "SIGTERM");

  const dying = new ScriptedHelper((command, helper) => {
    if (command.type !== "hello") return;
    helper.stderr.write("Unhandled Exception: no display\nat somewhere\n");
    setImmediate(() => helper.exit(1));
  });
  await assert.rejects(startWindowsTray(STATE, { helperPath: HELPER, spawn: dying.spawn }), {
    message:
      "The Windows tray helper did not start: it exited with code 1: Unhandled Exception: no display.",
  });
});

test("after the start: a helper's death is reported once, later updates are ignored", async () => {
  const helper = new ScriptedHelper(polite);
  const exits: string[] = [];
  const tray = await startWindowsTray(STATE, {
    helperPath: HELPER,
    spawn: helper.spawn,
    onExit: (reason) => exits.push(reason),
  });
  helper.exit(null, "SIGKILL");
  await waitFor(() => exits.length === 1, "the exit report");
  assert.deepEqual(exits, ["it exited with signal SIGKILL"]);
  tray.update(STATE);
  await tray.close();
  assert.equal(helper.received.length, 2);
});

test("lines the robot cannot read are logged; an endless line stops the helper", async () => {
  const helper = new ScriptedHelper(polite);
  const logged: string[] = [];
  await startWindowsTray(STATE, {
    helperPath: HELPER,
    spawn: helper.spawn,
    log: (line) => logged.push(line),
  });
  helper.say("action\tformat-c\nerror\tbad-field\ta raw control character\n");
  await waitFor(() => logged.length === 2, "the log lines");
  assert.match(logged[0] ?? "", /^Windows tray helper sent a line the robot cannot read/);
  assert.equal(logged[1], "Windows tray helper: bad-field (a raw control character)");
  helper.say("x".repeat(TrayLimits.lineChars + 1));
  await waitFor(() => helper.signalCode !== null, "the helper to be stopped");
  assert.match(logged.at(-1) ?? "", /over-long line/);
});

test("a relative helper path is refused before anything runs", async () => {
  const helper = new ScriptedHelper(polite);
  await assert.rejects(
    startWindowsTray(STATE, { helperPath: "heptora-tray.exe", spawn: helper.spawn }),
    { name: "TrayUnavailableError", message: "The Windows tray helper path must be absolute." },
  );
  assert.equal(helper.spawnedWith, undefined);
});
