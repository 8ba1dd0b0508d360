/**
 * The attended robot's desktop: the tray icon and the Secrets window as an app window. Started by
 * start-daemon.ts after the servers; it reads the robot's status (never a value), keeps the tray's
 * status line and tooltip current on every change, and turns tray picks into actions:
 *
 * | pick       | action                                                        |
 * | ---------- | ------------------------------------------------------------- |
 * | Secrets    | the window on its secrets                                     |
 * | Settings   | the window on its settings                                    |
 * | Log out    | the window, asking for confirmation before signing out        |
 * | Quit       | the daemon stops                                              |
 *
 * At the first start with no one signed in and a desktop present, the sign-in window opens by
 * itself. Where no tray host exists the robot runs as before and says how to open the window.
 */
import type { LocalStatus, WindowPath } from "@heptora/protocol";
import type { ChangeSignal } from "../service/changes.ts";
import { type Tray, TrayAction, type TrayState, TrayUnavailableError } from "../tray/tray.ts";

export const TrayMode = { Auto: "auto", On: "on", Off: "off" } as const;
export type TrayMode = (typeof TrayMode)[keyof typeof TrayMode];

/** Whether a person's desktop session is there to show a window and a tray icon on. */
export function hasDesktop(
  platform: NodeJS.Platform,
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  if (platform === "win32" || platform === "darwin") return true;
  return (env.DISPLAY ?? "") !== "" || (env.WAYLAND_DISPLAY ?? "") !== "";
}

/** The tray's first line, for a person. */
/** The tray's short word for why the platform signed the robot out, by sign-out cause. */
const SIGNED_OUT_LINES: Readonly<Record<string, string>> = {
  revoked: "sign-in revoked",
  password_changed: "password changed",
  account_deactivated: "account deactivated",
  expired: "sign-in expired",
  refused: "the platform refused the sign-in",
};

export function statusLine(status: LocalStatus): string {
  if (status.locked) return "Vault locked";
  if (!status.signedIn) {
    const cause = status.signedOutCause;
    return cause !== null && Object.hasOwn(SIGNED_OUT_LINES, cause)
      ? `Signed out: ${SIGNED_OUT_LINES[cause]}`
      : "Not signed in";
  }
  if (status.sync.lastError !== null) return "Platform unreachable, working offline";
  return `Signed in as ${status.email ?? "?"}`;
}

export function trayState(status: LocalStatus, version: string): TrayState {
  const line = statusLine(status);
  return {
    status: line,
    tooltip: `Heptora ${version}\n${line}`,
    items: [
      { action: TrayAction.Secrets, label: "Secrets", enabled: true },
      { action: TrayAction.Settings, label: "Settings", enabled: true },
      { action: TrayAction.LogOut, label: "Log out", enabled: status.signedIn },
      { action: TrayAction.Quit, label: "Quit Heptora", enabled: true },
    ],
  };
}

export interface DesktopDeps {
  status(): LocalStatus;
  changes: Pick<ChangeSignal, "subscribe">;
  /** Shows the Secrets window on a section (an app window, or the fallback). */
  showWindow(next: WindowPath): Promise<void>;
  /** Starts the OS's tray; throws TrayUnavailableError where there is none. */
  startTray?: (state: TrayState) => Promise<Tray>;
  mode: TrayMode;
  /** The window was open, and in use, when the robot last stopped: open it again. */
  resumeWindow?: boolean;
  /** Whether a person's desktop session is there (a display to open a window on). */
  desktop: boolean;
  version: string;
  quit(): void;
  log(line: string): void;
  /** A line for the person running `heptora start`. */
  say(line: string): void;
}

export interface Desktop {
  readonly tray: Tray | undefined;
  close(): Promise<void>;
}

const ACTION_PATHS: Record<Exclude<TrayAction, "quit">, WindowPath> = {
  secrets: "/",
  settings: "/settings",
  logout: "/logout",
};

/** Throws TrayUnavailableError when the mode is "on" and no tray can be shown. */
export async function startDesktop(deps: DesktopDeps): Promise<Desktop> {
  const show = (next: WindowPath) =>
    deps.showWindow(next).catch((error: unknown) => {
      deps.log(`The Secrets window could not be opened: ${(error as Error).message}`);
    });

  let tray: Tray | undefined;
  if (deps.mode !== TrayMode.Off) {
    try {
      if (!deps.desktop) throw new TrayUnavailableError("There is no desktop session here.");
      if (deps.startTray === undefined) {
        throw new TrayUnavailableError("This operating system has no tray support yet.");
      }
      tray = await deps.startTray(trayState(deps.status(), deps.version));
    } catch (error) {
      if (!(error instanceof TrayUnavailableError) || deps.mode === TrayMode.On) throw error;
      deps.say(`No tray icon: ${error.message} Open the Secrets window with \`heptora ui\`.`);
    }
  }

  let stop = () => {};
  if (tray !== undefined) {
    const current = tray;
    current.onAction((action) => {
      if (action === TrayAction.Quit) deps.quit();
      else void show(ACTION_PATHS[action]);
    });
    stop = deps.changes.subscribe(() => current.update(trayState(deps.status(), deps.version)));
  }

  const status = deps.status();
  if (!status.signedIn) {
    deps.say("The robot is not signed in.");
    if (!deps.desktop) {
      deps.say("Sign in with `heptora login`, or open the Secrets window with `heptora ui`.");
    }
  }
  if (deps.desktop && (!status.signedIn || deps.resumeWindow === true)) await show("/");

  return {
    tray,
    async close() {
      stop();
      await tray?.close();
    },
  };
}
