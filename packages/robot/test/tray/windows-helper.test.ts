/**
 * The real heptora-tray.exe under Mono on an Xvfb display: its protocol, the menu its WinForms
 * controls hold, a click, and that it ends with its daemon. The Windows taskbar itself is not
 * tested here (ADR 0064).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, test } from "node:test";
import { TrayAction, type TrayState } from "../../src/tray/tray.ts";
import { PROTOCOL_VERSION, type TrayEvent } from "../../src/tray/windows/tray-protocol.ts";
import { startWindowsTray } from "../../src/tray/windows/windows-tray.ts";
import {
  type Display,
  HelperClient,
  killAll,
  requireMonoHelper,
  startXvfb,
  track,
  within,
} from "./windows-mono.ts";

let display: Display;
let mono: string;
let helper: string;

before(async () => {
  ({ mono, helper } = requireMonoHelper());
  display = await startXvfb();
});

after(async () => {
  killAll();
  await display?.stop();
});

const ITEMS = [
  { action: TrayAction.Secrets, enabled: true, label: "Secrets" },
  { action: TrayAction.Settings, enabled: false, label: "Settings" },
  { action: TrayAction.LogOut, enabled: true, label: "Log out" },
  { action: TrayAction.Quit, enabled: true, label: "Quit Heptora" },
] as const;

async function greeted(): Promise<HelperClient> {
  const client = new HelperClient(mono, helper, display.env);
  client.send({ type: "hello", version: PROTOCOL_VERSION });
  assert.deepEqual(await client.next(), { type: "ready", version: PROTOCOL_VERSION });
  return client;
}

function menuOf(event: TrayEvent) {
  assert.equal(event.type, "menu");
  return event;
}

test("the helper greets, shows the state its controls hold, reports a click and quits", async () => {
  const client = await greeted();
  client.send({
    type: "state",
    status: "Signed in as ana&bob@example.com",
    tooltip: "Heptora 0.1.0: signed in as ana@example.com, 3 secrets in sync, all good",
    items: ITEMS,
  });
  assert.deepEqual(await client.next(), { type: "shown" });
  client.send({ type: "describe" });
  const menu = menuOf(await client.next());
  // '&' is doubled: a text, not a mnemonic.
  assert.equal(menu.status, "Signed in as ana&&bob@example.com");
  assert.equal(menu.tooltip.length, 63);
  assert.ok(menu.tooltip.endsWith("…"));
  assert.deepEqual(
    menu.items.map((i) => [i.action, i.enabled, i.label]),
    ITEMS.map((i) => [i.action, i.enabled, i.label]),
  );

  client.send({ type: "click", action: TrayAction.Secrets });
  assert.deepEqual(await client.next(), { type: "action", action: "secrets" });
  client.send({ type: "click", action: TrayAction.Settings });
  assert.deepEqual(await client.next(), {
    type: "error",
    code: "disabled",
    detail: "the item is disabled",
  });

  client.send({ type: "quit" });
  assert.deepEqual(await client.exit(), { code: 0, signal: null });
});

test("hostile texts stay inside their field: no forged command, shown on one line", async () => {
  const client = await greeted();
  const status = "Not signed in\nquit\n\tclick\tquit\r\n%0A%41 ünï 👍 مرحبا 漢字 -";
  client.send({
    type: "state",
    status,
    tooltip: "x\ty",
    items: [{ action: TrayAction.Quit, enabled: true, label: "-" }],
  });
  assert.deepEqual(await client.next(), { type: "shown" });
  client.send({ type: "describe" });
  const menu = menuOf(await client.next());
  assert.equal(menu.status, "Not signed in quit  click quit  %0A%41 ünï 👍 مرحبا 漢字 -");
  assert.equal(menu.tooltip, "x y");
  assert.equal(menu.items[0]?.label, "-"); // an item, not a separator
  assert.equal(client.child.exitCode, null);
  client.child.stdin?.end();
  assert.deepEqual(await client.exit(), { code: 0, signal: null });
});

test("the helper refuses what is not the protocol, line by line, and goes on", async () => {
  const client = new HelperClient(mono, helper, display.env);
  const refused = async (raw: string, code: string) => {
    client.write(raw);
    const event = await client.next();
    assert.equal(
      event.type === "error" && event.code,
      code,
      `${JSON.stringify(raw)}: ${JSON.stringify(event)}`,
    );
  };
  await refused("state\tx\ty\n", "not-ready");
  await refused("hello\t1\textra\n", "bad-arity");
  client.write("hello\t1\n");
  assert.deepEqual(await client.next(), { type: "ready", version: 1 });
  await refused("\n", "empty-line");
  await refused("launch\tcalc.exe\n", "unknown-command");
  await refused("state\ta\rb\tt\n", "bad-field");
  await refused("state\ta%0ab\tt\n", "bad-field"); // lower-case hex
  await refused("state\t%41\tt\n", "bad-field"); // an escape of what needs none
  await refused("state\ts\tt\tsecrets\t1\n", "bad-arity");
  await refused("state\ts\tt\tformat-c\t1\tX\n", "unknown-action");
  await refused("state\ts\tt\tquit\t1\tA\tquit\t1\tB\n", "duplicate-action");
  await refused("state\ts\tt\tquit\tyes\tA\n", "bad-field");
  await refused(`state\t${"s".repeat(257)}\tt\n`, "too-long");
  await refused(`state\t${"s".repeat(20_000)}\tt\n`, "too-long");
  await refused("click\tsecrets\n", "no-such-item");
  client.write("state\tstill here\tt\n");
  assert.deepEqual(await client.next(), { type: "shown" });
  client.write("quit\n");
  assert.deepEqual(await client.exit(), { code: 0, signal: null });
});

test("a helper asked for another protocol version says so and exits", async () => {
  const client = new HelperClient(mono, helper, display.env);
  client.send({ type: "hello", version: 2 });
  const event = await client.next();
  assert.equal(event.type === "error" && event.code, "unsupported-version");
  assert.deepEqual(await client.exit(), { code: 3, signal: null });
});

test("the helper ends when its daemon is killed", async () => {
  // A stand-in daemon that starts the helper, then is killed with SIGKILL: no goodbye, only its
  // end of the helper's stdin closing. The helper's stdout is ours, so its end shows here.
  const daemon = track(
    spawn(
      process.execPath,
      [
        "-e",
        `const { spawn } = require("node:child_process");
       const helper = spawn(process.argv[1], [process.argv[2]], { stdio: ["pipe", "inherit", "inherit"] });
       helper.stdin.write("hello\\t1\\n");`,
        mono,
        helper,
      ],
      { env: display.env, stdio: ["ignore", "pipe", "inherit"] },
    ),
  );
  let out = "";
  daemon.stdout?.setEncoding("utf8");
  const closed = new Promise<void>((resolve) => daemon.stdout?.on("close", () => resolve()));
  await within(
    new Promise<void>((resolve) =>
      daemon.stdout?.on("data", (chunk: string) => {
        out += chunk;
        if (out.includes("ready\t1\n")) resolve();
      }),
    ),
    "the helper's ready",
  );
  daemon.kill("SIGKILL");
  await within(closed, "the helper to end with its daemon"); // every writer of the pipe is gone
  assert.equal(out, "ready\t1\n");
});

test("startWindowsTray shows the state, updates it, hears a click and closes the helper", async () => {
  let child: import("node:child_process").ChildProcess | undefined;
  const state: TrayState = { status: "Not signed in", tooltip: "Heptora 0.1.0", items: ITEMS };
  const exits: string[] = [];
  // No helperPath: the default, resolveTrayHelper(), accepts the helper built in this checkout.
  const tray = await startWindowsTray(state, {
    runtime: [mono],
    env: display.env,
    onExit: (reason) => exits.push(reason),
    spawn: (command, args, options) => {
      child = track(spawn(command, args, options));
      return child;
    },
  });
  const actions: TrayAction[] = [];
  const heard = new Promise<void>((resolve) =>
    tray.onAction((action) => {
      actions.push(action);
      resolve();
    }),
  );
  tray.update({ ...state, status: "Platform unreachable, working offline" });
  // What a person's click does, through the same pipe (see ADR 0064 on `click`).
  child?.stdin?.write("click\tlogout\n");
  await within(heard, "the click");
  assert.deepEqual(actions, ["logout"]);
  await within(tray.close(), "the tray to close");
  assert.equal(child?.exitCode, 0);
  assert.deepEqual(exits, []);
});

test("startWindowsTray says in one line why a helper that cannot start is no tray", async () => {
  await assert.rejects(
    startWindowsTray(
      { status: "Not signed in", tooltip: "Heptora", items: [] },
      { helperPath: helper, runtime: ["/nonexistent/mono"], env: display.env },
    ),
    (error: Error) =>
      error.name === "TrayUnavailableError" &&
      /^The Windows tray helper did not start: it could not run/.test(error.message),
  );
});
