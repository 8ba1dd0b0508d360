/**
 * The Secrets window as an app window: a Chromium-family browser (Edge, Chrome, Chromium) in app
 * mode (no address bar, no tabs) with a profile of its own inside the robot's data dir, so the
 * window's session cookie never reaches the person's everyday browser.
 *
 * No secret ever goes on the browser's command line or into its environment, where any local
 * user could read it (/proc/<pid>/cmdline): the browser starts on an empty page with
 * `--remote-debugging-pipe`, and the one-time link travels over that pipe, which only this
 * process holds. A second `show` while the window is open navigates and raises the same window
 * instead of stacking another.
 *
 * @example
 * const window = createAppWindow({ browser: findAppBrowser(process.platform, env), profileDir });
 * await window.show(secretsWindow.openLink().url);
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, join, posix, win32 } from "node:path";
import type { Readable, Writable } from "node:stream";
import { attachDevToolsPipe, type DevToolsPipe } from "./devtools-pipe.ts";

export interface AppWindowOptions {
  /** The browser's executable. */
  browser: string;
  /** Its profile dir (created 0700): cookies of the window live here only. */
  profileDir: string;
  /** Extra switches (tests run headless). */
  extraArgs?: readonly string[];
  log?: (line: string) => void;
}

export interface AppWindow {
  /** Opens the window on `url` (a one-time link), or navigates and raises the open one. */
  show(url: string): Promise<void>;
  /** Whether a window is open now. */
  readonly isOpen: boolean;
  /** The browser's process id while open (tests check its command line). */
  readonly pid: number | undefined;
  close(): Promise<void>;
}

interface Running {
  child: ChildProcess;
  cdp: DevToolsPipe;
  exited: Promise<void>;
  sessionId?: string;
}

/**
 * The app window's first page: empty, no secret. Not about:blank: Chromium opens `--app=about:blank`
 * as an ordinary window with tabs and an address bar (seen on Chromium 156 under Xvfb in
 * test/desktop); a data: URL gives the app window.
 */
export const APP_START_PAGE = "data:text/html,<title>Heptora</title>";

const TARGET_ATTEMPTS = 50;
const TARGET_RETRY_MS = 100;

export function createAppWindow(options: AppWindowOptions): AppWindow {
  let running: Running | undefined;

  function launch(): Running {
    mkdirSync(options.profileDir, { recursive: true, mode: 0o700 });
    turnOffPasswordSaving(options.profileDir);
    const child = spawn(
      options.browser,
      [
        `--user-data-dir=${options.profileDir}`,
        "--remote-debugging-pipe",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-sync",
        // The window's profile keeps nothing worth a keyring; asking the OS keyring (a prompt to
        // unlock or create one, on a desktop whose keyring is locked) would hold the window back.
        "--password-store=basic",
        "--window-size=1120,780",
        ...(options.extraArgs ?? []),
        `--app=${APP_START_PAGE}`,
      ],
      { stdio: ["ignore", "ignore", "ignore", "pipe", "pipe"], windowsHide: false },
    );
    const cdp = attachDevToolsPipe(child.stdio[3] as Writable, child.stdio[4] as Readable);
    const exited = new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.once("error", () => resolve());
    });
    const state: Running = { child, cdp, exited };
    void exited.then(() => {
      cdp.close();
      if (running === state) running = undefined;
    });
    return state;
  }

  /** The app window's page, attached once per browser (flat session). */
  async function pageSession(state: Running): Promise<string> {
    if (state.sessionId !== undefined) return state.sessionId;
    for (let attempt = 0; attempt < TARGET_ATTEMPTS; attempt++) {
      const { targetInfos } = (await state.cdp.call("Target.getTargets")) as {
        targetInfos?: { targetId: string; type: string }[];
      };
      const page = targetInfos?.find((target) => target.type === "page");
      if (page !== undefined) {
        const { sessionId } = (await state.cdp.call("Target.attachToTarget", {
          targetId: page.targetId,
          flatten: true,
        })) as { sessionId: string };
        state.sessionId = sessionId;
        return sessionId;
      }
      // The first page of a fresh browser appears shortly after start.
      await new Promise((resolve) => setTimeout(resolve, TARGET_RETRY_MS));
    }
    throw new Error("The browser opened no window.");
  }

  return {
    async show(url) {
      running ??= launch();
      const state = running;
      const sessionId = await pageSession(state);
      await state.cdp.call("Page.navigate", { url }, sessionId);
      await state.cdp.call("Page.bringToFront", {}, sessionId).catch(() => undefined);
    },
    get isOpen() {
      return running !== undefined;
    },
    get pid() {
      return running?.child.pid;
    },
    async close() {
      const state = running;
      if (state === undefined) return;
      await state.cdp.call("Browser.close").catch(() => undefined);
      const killer = setTimeout(() => state.child.kill("SIGKILL"), 5000);
      await state.exited;
      clearTimeout(killer);
    },
  };
}

/**
 * The window's profile never keeps the platform password: Chromium offers "Save password?" after
 * the sign-in form (seen in test/desktop), and a profile without a keyring stores it nearly in
 * the clear. Its Preferences file turns the password manager off, the rest of the file kept.
 */
function turnOffPasswordSaving(profileDir: string): void {
  const dir = join(profileDir, "Default");
  const file = join(dir, "Preferences");
  let prefs: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
    if (typeof parsed === "object" && parsed !== null) prefs = parsed as Record<string, unknown>;
  } catch {
    // None yet (a fresh profile) or unreadable: start from an empty one.
  }
  const profile =
    typeof prefs.profile === "object" && prefs.profile !== null
      ? (prefs.profile as Record<string, unknown>)
      : {};
  prefs.credentials_enable_service = false;
  prefs.profile = { ...profile, password_manager_enabled: false };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(prefs), { mode: 0o600 });
}

/**
 * The switches the app window needs on this OS as this user. Chromium refuses to start as root on
 * Linux unless its sandbox is off ("Running as root without --no-sandbox is not supported"), so
 * only there, only as root (a CI container, a robot run as root), the daemon adds `--no-sandbox`;
 * a person's own session keeps the sandbox.
 */
export function platformBrowserArgs(platform: NodeJS.Platform, uid: number | undefined): string[] {
  return platform === "linux" && uid === 0 ? ["--no-sandbox"] : [];
}

/** Where each OS keeps the Chromium-family browsers, in order of preference. */
const LINUX_NAMES = [
  "microsoft-edge",
  "microsoft-edge-stable",
  "google-chrome",
  "google-chrome-stable",
  "chromium",
  "chromium-browser",
];

/**
 * The browser to open the app window with: `override` (--browser / HEPTORA_BROWSER) when given,
 * else Edge, Chrome or Chromium in their standard places; undefined when none is installed (the
 * caller then falls back to the default browser with a notice).
 */
export function findAppBrowser(
  platform: NodeJS.Platform,
  env: Readonly<Record<string, string | undefined>>,
  exists: (path: string) => boolean = existsSync,
  override?: string,
): string | undefined {
  if (override !== undefined && override !== "") return override;
  const candidates: string[] = [];
  if (platform === "win32") {
    const roots = [env["ProgramFiles(x86)"], env.ProgramFiles, env.LOCALAPPDATA].filter(
      (root): root is string => root !== undefined && win32.isAbsolute(root),
    );
    for (const root of roots) {
      candidates.push(
        win32.join(root, "Microsoft", "Edge", "Application", "msedge.exe"),
        win32.join(root, "Google", "Chrome", "Application", "chrome.exe"),
        win32.join(root, "Chromium", "Application", "chrome.exe"),
      );
    }
  } else if (platform === "darwin") {
    for (const [app, binary] of [
      ["Microsoft Edge", "Microsoft Edge"],
      ["Google Chrome", "Google Chrome"],
      ["Chromium", "Chromium"],
    ] as const) {
      candidates.push(posix.join("/Applications", `${app}.app`, "Contents", "MacOS", binary));
    }
  } else {
    const dirs = [...(env.PATH ?? "").split(delimiter), "/usr/bin", "/snap/bin"];
    for (const name of LINUX_NAMES) {
      for (const dir of dirs) if (posix.isAbsolute(dir)) candidates.push(join(dir, name));
    }
  }
  return candidates.find((path) => exists(path));
}
