/**
 * Issue 10, "Done when": the attended robot on a real desktop. Xvfb, a private session D-Bus and
 * xfce4-panel (its systray shows StatusNotifierItems); `heptora start --tray` not signed in:
 *
 * 1. the sign-in app window (Chromium, --app) appears by itself, audited as `window.open`;
 * 2. the tray icon is registered with the watcher and drawn in the panel;
 * 3. a right-click on it opens the menu; Secrets opens the window again;
 * 4. signing in there, typed with xdotool, signs the robot in;
 * 5. Log out from the tray shows the confirmation in the window; confirming signs out.
 *
 * How the test finds things on screen:
 * - the icon: the panel holds only the systray plugin, whose embedded window (class wrapper-2.0,
 *   inside the panel) holds only our item, so its centre is the icon; its pixels must not be the
 *   flat panel colour;
 * - the menu: the visible window that was not there before the right-click;
 * - menu items by keyboard: GTK's menu skips the disabled status line, so Down once is Secrets and
 *   Down three times is Log out (enabled once signed in);
 * - the page by keyboard: Tab from the page's start reaches Email, then Password, and Return
 *   submits; in the sign-out dialog the focus starts on Cancel, Tab reaches "Log out".
 *
 * Screenshots: artifacts/screenshots/robot-desktop-{signin,tray-menu,window}.png (copies in
 * docs/screenshots for the README). As root the daemon adds --no-sandbox and Chromium then shows
 * an "unsupported command-line flag" bar; the browser here is a wrapper adding --test-type, which
 * only hides that bar, so the screenshots show what a person running it unprivileged sees.
 */
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  cleanEnv,
  heptora,
  type RunningDaemon,
  startDaemon,
} from "../../packages/robot/test/support/cli.ts";
import {
  type FakePlatform,
  startFakePlatform,
} from "../../packages/robot/test/support/fake-platform.ts";
import { makeTempDir, type TempDir } from "../../packages/robot/test/support/temp.ts";
import {
  type DesktopStack,
  type Geometry,
  pidsWithArgument,
  poll,
  SCREEN,
  startDesktopStack,
  stopPid,
} from "./support/desktop-stack.ts";

const REPO_ROOT = join(import.meta.dirname, "..", "..");
const SHOTS = join(REPO_ROOT, "artifacts", "screenshots");
const CHROMIUM = process.env.HEPTORA_CHROMIUM ?? "/usr/bin/chromium";
const ANA = { email: "ana@example.com", password: "ana's long platform password" };
const WINDOW_TITLE = "^Heptora Secrets$";

let temp: TempDir;
let stack: DesktopStack;
let platform: FakePlatform;
let daemon: RunningDaemon | undefined;
let env: NodeJS.ProcessEnv;

before(async () => {
  temp = makeTempDir("hd-");
  mkdirSync(SHOTS, { recursive: true });
  stack = await startDesktopStack(temp.path);
  platform = await startFakePlatform();
  platform.addUser(ANA.email, ANA.password);
  platform.addProcess({
    name: "Invoice Processing",
    description: "Posts supplier invoices into SAP.",
    variables: [
      { name: "SAP_USER", secret: false, description: "The SAP user the robot signs in as." },
      { name: "SAP_PASSWORD", secret: true, description: "Its password." },
    ],
    assignees: [ANA.email],
  });
  const browser = join(temp.path, "chromium");
  writeFileSync(browser, `#!/bin/sh\nexec ${CHROMIUM} --test-type "$@"\n`);
  chmodSync(browser, 0o755);
  env = cleanEnv({
    ...stack.env,
    NO_COLOR: "1",
    HEPTORA_PLATFORM_URL: platform.url,
    HEPTORA_KEY_FILE: temp.keyFile,
  });
});

after(async () => {
  await daemon?.kill9().catch(() => undefined);
  // The window's browser, should the daemon not have closed it: found by its profile dir.
  for (const pid of pidsWithArgument(join(temp.dataDir, "window-profile"))) await stopPid(pid);
  await platform?.close();
  await stack?.stop();
  temp?.remove();
});

async function status(): Promise<{ signedIn: boolean; email: string | null }> {
  const result = await heptora(["status", "--json", "--data-dir", temp.dataDir], { env });
  assert.equal(result.code, 0, `heptora status failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as { signedIn: boolean; email: string | null };
}

async function windowOpens(): Promise<number> {
  const result = await heptora(["audit", "list", "--json", "--data-dir", temp.dataDir], { env });
  assert.equal(result.code, 0, `heptora audit list failed: ${result.stderr}`);
  const { entries } = JSON.parse(result.stdout) as { entries: { type: string }[] };
  return entries.filter((entry) => entry.type === "window.open").length;
}

/** The standard deviation of an image's pixels: 0 for a flat colour. */
async function spread(path: string): Promise<number> {
  return Number(await stack.run("convert", [path, "-format", "%[fx:standard_deviation]", "info:"]));
}

/** Screenshots `area` until two shots in a row are the same (the page has settled). */
async function settledShot(path: string, area: Geometry): Promise<void> {
  const probe = join(temp.path, "probe.png");
  await stack.screenshot(path, area);
  await poll(
    async () => {
      await stack.screenshot(probe, area);
      const same = await stack
        .run("compare", ["-metric", "AE", path, probe, "null:"])
        .then(() => true)
        .catch(() => false);
      if (!same) await stack.screenshot(path, area);
      return same ? true : undefined;
    },
    `the screen area ${JSON.stringify(area)} to stop changing`,
    5_000,
    150,
  );
}

async function appWindow(): Promise<string> {
  return poll(
    async () => (await stack.windowsNamed(WINDOW_TITLE))[0],
    `a visible Chromium app window titled "Heptora Secrets"`,
    20_000,
  );
}

/** Types into the app window: X focus on it, then the keys (XTEST, as a person's keyboard). */
async function keys(window: string, ...args: string[]): Promise<void> {
  await stack.run("xdotool", ["windowfocus", "--sync", window]);
  await stack.run("xdotool", args);
}

interface TrayIcon {
  centre: { x: number; y: number };
  area: Geometry;
}

/** The systray plugin's embedded window inside the panel: it holds only our icon. */
async function trayIcon(): Promise<TrayIcon> {
  const panelTop = SCREEN.height - 60;
  const area = await poll(async () => {
    for (const window of await stack
      .run("xdotool", ["search", "--onlyvisible", "--class", "wrapper-2.0"])
      .then(
        (out) => out.split("\n").filter((line) => line !== ""),
        () => [] as string[],
      )) {
      const g = await stack.geometry(window);
      if (g.y >= panelTop && g.width >= 16 && g.height >= 16) return g;
    }
    return undefined;
  }, "the systray plugin's window in the panel at the bottom of the screen");
  return {
    centre: { x: area.x + Math.floor(area.width / 2), y: area.y + Math.floor(area.height / 2) },
    area,
  };
}

/** Right-clicks the icon and returns the menu window that appeared. */
async function openTrayMenu(icon: TrayIcon): Promise<{ window: string; geometry: Geometry }> {
  const before = new Set(await stack.visibleWindows());
  await stack.run("xdotool", [
    "mousemove",
    String(icon.centre.x),
    String(icon.centre.y),
    "click",
    "3",
  ]);
  const window = await poll(
    async () => {
      for (const id of await stack.visibleWindows()) {
        if (before.has(id)) continue;
        const g = await stack.geometry(id);
        if (g.height > 60 && g.width > 60) return id;
      }
      return undefined;
    },
    "the tray menu to appear after a right-click on the icon",
    10_000,
  );
  return { window, geometry: await stack.geometry(window) };
}

async function pickFromMenu(menu: string, downs: number): Promise<void> {
  await stack.run("xdotool", ["key", ...Array.from({ length: downs }, () => "Down"), "Return"]);
  await poll(
    async () => ((await stack.visibleWindows()).includes(menu) ? undefined : true),
    "the tray menu to close after picking an item",
    5_000,
  );
}

test("the robot on a desktop: sign-in window by itself, tray icon and menu, sign in, log out", async () => {
  daemon = await startDaemon({
    dataDir: temp.dataDir,
    env,
    args: ["--tray", "--browser", join(temp.path, "chromium")],
    timeoutMs: 30_000,
  });
  assert.match(daemon.stdout, /not signed in/, "the daemon says the robot is not signed in");

  // 1. The sign-in window opens by itself.
  const window = await appWindow();
  await poll(
    async () => ((await windowOpens()) >= 1 ? true : undefined),
    "a window.open audit entry: the app window signed itself in with its one-time link",
  );
  const windowArea = await stack.geometry(window);
  assert.ok(windowArea.width >= 800, `the app window is ${windowArea.width} px wide`);
  await settledShot(join(SHOTS, "robot-desktop-signin.png"), windowArea);
  assert.ok(
    (await spread(join(SHOTS, "robot-desktop-signin.png"))) > 0.02,
    "the sign-in window shows a blank screen",
  );

  // 2. The tray icon: registered with the watcher, and drawn in the panel.
  const registered = await stack.run("gdbus", [
    "call",
    "--session",
    "--dest",
    "org.kde.StatusNotifierWatcher",
    "--object-path",
    "/StatusNotifierWatcher",
    "--method",
    "org.freedesktop.DBus.Properties.Get",
    "org.kde.StatusNotifierWatcher",
    "RegisteredStatusNotifierItems",
  ]);
  assert.match(registered, /StatusNotifierItem/, `the watcher lists no item: ${registered}`);
  const icon = await trayIcon();
  const iconShot = join(temp.path, "icon.png");
  await stack.screenshot(iconShot, icon.area);
  assert.ok((await spread(iconShot)) > 0.05, "the tray area is a flat colour: no icon drawn");

  // 3. Right-click, the menu (screenshot with the icon), Secrets opens the window again.
  const opensBefore = await windowOpens();
  const menu = await openTrayMenu(icon);
  const top = Math.max(0, menu.geometry.y - 16);
  await settledShot(join(SHOTS, "robot-tray-menu.png"), {
    x: 0,
    y: top,
    width: Math.min(SCREEN.width, menu.geometry.x + menu.geometry.width + 260),
    height: SCREEN.height - top,
  });
  await pickFromMenu(menu.window, 1);
  await poll(
    async () => ((await windowOpens()) > opensBefore ? true : undefined),
    "Secrets in the tray menu to open the window (a new window.open)",
  );
  assert.deepEqual(
    await stack.windowsNamed(WINDOW_TITLE),
    [window],
    "Secrets opened a second window",
  );

  // 4. Sign in in the window, typed as a person would.
  await settledShot(join(temp.path, "before-typing.png"), windowArea);
  await keys(window, "key", "Tab");
  await keys(window, "type", "--delay", "15", ANA.email);
  await keys(window, "key", "Tab");
  await keys(window, "type", "--delay", "15", ANA.password);
  await keys(window, "key", "Return");
  await poll(
    async () => ((await status()).signedIn ? true : undefined),
    "the robot to be signed in after typing the email and password into the window",
  );
  assert.equal((await status()).email, ANA.email);
  await settledShot(join(SHOTS, "robot-desktop-window.png"), windowArea);

  // 5. Log out from the tray: the window asks, confirming signs out.
  const opensBeforeLogout = await windowOpens();
  const logoutMenu = await openTrayMenu(icon);
  await pickFromMenu(logoutMenu.window, 3);
  await poll(
    async () => ((await windowOpens()) > opensBeforeLogout ? true : undefined),
    "Log out in the tray menu to open the window on its confirmation",
  );
  assert.equal((await status()).signedIn, true, "Log out signed out without asking");
  await settledShot(join(temp.path, "logout-dialog.png"), windowArea);
  await keys(window, "key", "Tab", "Return");
  await poll(
    async () => ((await status()).signedIn ? undefined : true),
    "the robot to be signed out after confirming Log out in the window",
  );

  assert.equal(await daemon.stop(), 0, `the daemon stopped badly: ${daemon.stderr}`);
  await poll(
    () => (pidsWithArgument(join(temp.dataDir, "window-profile")).length === 0 ? true : undefined),
    "the app window's browser to close with the daemon",
    10_000,
  );
});
