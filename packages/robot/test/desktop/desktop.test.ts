/**
 * The attended robot's desktop logic with a recording tray: what the tray says for each state,
 * what each pick does, live updates on every change, the sign-in window at first start, and what
 * `heptora start` says where no tray or no desktop exists.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { LocalStatus } from "@heptora/protocol";
import {
  hasDesktop,
  startDesktop,
  statusLine,
  TrayMode,
  trayState,
} from "../../src/desktop/desktop.ts";
import { createChangeSignal } from "../../src/service/changes.ts";
import {
  type Tray,
  type TrayAction,
  type TrayState,
  TrayUnavailableError,
} from "../../src/tray/tray.ts";

function status(overrides: Partial<LocalStatus> = {}): LocalStatus {
  return {
    dataDir: "/d",
    socketPath: "/d/robot.sock",
    platformUrl: "http://127.0.0.1:8080",
    platformWarning: null,
    signedIn: true,
    email: "ana@example.com",
    signedOutReason: null,
    signedOutCause: null,
    robotId: "r1",
    robotName: "host",
    version: "9.9.9",
    vaultId: "v",
    locked: false,
    keyProtectionWarning: null,
    integrity: { ok: true, problems: [] },
    sync: {
      lastSyncAt: null,
      lastAttemptAt: null,
      lastError: null,
      nextSyncAt: null,
      intervalSeconds: 30,
    },
    counts: { processes: 1, declared: 2, set: 1, missing: 1 },
    activeRuns: 0,
    ...overrides,
  };
}

function recordingTray() {
  const states: TrayState[] = [];
  let listener: ((action: TrayAction) => void) | undefined;
  let closed = false;
  const tray: Tray = {
    update: (state) => states.push(state),
    onAction: (next) => {
      listener = next;
    },
    close: async () => {
      closed = true;
    },
  };
  return {
    tray,
    states,
    pick: (action: TrayAction) => listener?.(action),
    get closed() {
      return closed;
    },
  };
}

function harness(options: { signedIn?: boolean; desktop?: boolean; mode?: TrayMode } = {}) {
  let current = status({ signedIn: options.signedIn ?? true });
  const shown: string[] = [];
  const said: string[] = [];
  const quits: number[] = [];
  const changes = createChangeSignal();
  const fake = recordingTray();
  let started: TrayState | undefined;
  const deps = {
    status: () => current,
    changes,
    showWindow: async (next: string) => {
      shown.push(next);
    },
    startTray: async (state: TrayState) => {
      started = state;
      return fake.tray;
    },
    mode: options.mode ?? TrayMode.Auto,
    desktop: options.desktop ?? true,
    version: "9.9.9",
    quit: () => quits.push(1),
    log: () => {},
    say: (line: string) => said.push(line),
  };
  return {
    deps,
    fake,
    shown,
    said,
    quits,
    changes,
    started: () => started,
    set(next: Partial<LocalStatus>) {
      current = status(next);
    },
  };
}

test("the status line says who is signed in, or why not", () => {
  assert.equal(statusLine(status()), "Signed in as ana@example.com");
  assert.equal(statusLine(status({ signedIn: false, email: null })), "Not signed in");
  const signedOut = (cause: string) =>
    statusLine(status({ signedIn: false, email: null, signedOutCause: cause }));
  assert.equal(signedOut("password_changed"), "Signed out: password changed");
  assert.equal(signedOut("revoked"), "Signed out: sign-in revoked");
  assert.equal(signedOut("account_deactivated"), "Signed out: account deactivated");
  assert.equal(signedOut("signed_out"), "Not signed in");
  assert.equal(signedOut("constructor"), "Not signed in");
  assert.equal(
    statusLine(
      status({ sync: { ...status().sync, lastError: "The platform cannot be reached." } }),
    ),
    "Platform unreachable, working offline",
  );
  assert.equal(statusLine(status({ locked: true })), "Vault locked");
});

test("the menu: Secrets, Settings, Log out (only when signed in), Quit; the tooltip has the version", () => {
  const state = trayState(status(), "1.2.3");
  assert.deepEqual(
    state.items.map((i) => [i.label, i.enabled]),
    [
      ["Secrets", true],
      ["Settings", true],
      ["Log out", true],
      ["Quit Heptora", true],
    ],
  );
  assert.equal(state.tooltip, "Heptora 1.2.3\nSigned in as ana@example.com");
  const out = trayState(status({ signedIn: false }), "1.2.3");
  assert.equal(out.items.find((i) => i.action === "logout")?.enabled, false);
});

test("each pick opens the window where it belongs; Quit stops the robot", async () => {
  const h = harness();
  const desktop = await startDesktop(h.deps);
  assert.equal(h.started()?.status, "Signed in as ana@example.com");
  h.fake.pick("secrets");
  h.fake.pick("settings");
  h.fake.pick("logout");
  await Promise.resolve();
  assert.deepEqual(h.shown, ["/", "/settings", "/logout"]);
  h.fake.pick("quit");
  assert.equal(h.quits.length, 1);
  await desktop.close();
  assert.ok(h.fake.closed);
});

test("the tray follows every change: a sign-out shows at once", async () => {
  const h = harness();
  const desktop = await startDesktop(h.deps);
  h.set({ signedIn: false, email: null });
  h.changes.notify("session");
  assert.equal(h.fake.states.at(-1)?.status, "Not signed in");
  await desktop.close();
  h.changes.notify("session");
  assert.equal(h.fake.states.length, 1, "no update after close");
});

test("first start, not signed in, on a desktop: the sign-in window opens by itself", async () => {
  const h = harness({ signedIn: false });
  await startDesktop(h.deps);
  assert.deepEqual(h.shown, ["/"]);
  assert.ok(h.said.includes("The robot is not signed in."));
});

test("signed in, the window opens at start only when it was open before the restart", async () => {
  const quiet = harness();
  await startDesktop(quiet.deps);
  assert.deepEqual(quiet.shown, []);
  const resumed = harness();
  await startDesktop({ ...resumed.deps, resumeWindow: true });
  assert.deepEqual(resumed.shown, ["/"]);
});

test("no desktop: no tray, no window, and the output says how to sign in", async () => {
  const h = harness({ signedIn: false, desktop: false });
  const desktop = await startDesktop(h.deps);
  assert.equal(desktop.tray, undefined);
  assert.deepEqual(h.shown, []);
  assert.match(h.said.join("\n"), /No tray icon: There is no desktop session here\./);
  assert.match(h.said.join("\n"), /heptora login/);
});

test("--tray fails with the reason where no tray host exists; --no-tray shows none", async () => {
  const h = harness({ mode: TrayMode.On });
  h.deps.startTray = async () => {
    throw new TrayUnavailableError("No StatusNotifierWatcher on the session bus.");
  };
  await assert.rejects(startDesktop(h.deps), /No StatusNotifierWatcher/);
  const off = harness({ mode: TrayMode.Off });
  const desktop = await startDesktop(off.deps);
  assert.equal(desktop.tray, undefined);
  assert.equal(off.started(), undefined);
});

test("a desktop is there on Windows and macOS, on Linux with a display", () => {
  assert.equal(hasDesktop("linux", {}), false);
  assert.equal(hasDesktop("linux", { DISPLAY: ":0" }), true);
  assert.equal(hasDesktop("linux", { WAYLAND_DISPLAY: "wayland-0" }), true);
  assert.equal(hasDesktop("win32", {}), true);
  assert.equal(hasDesktop("darwin", {}), true);
});
