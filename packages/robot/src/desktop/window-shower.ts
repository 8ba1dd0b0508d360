/**
 * Shows the Secrets window for a person at this machine: as an app window of a Chromium-family
 * browser (the link over its DevTools pipe, app-window.ts) where one is installed, else in the
 * default browser on the window's plain address, with a notice saying how to sign it in (a link
 * must never go on a command line, and the default opener takes its URL as an argument).
 */
import { spawn } from "node:child_process";
import type { WindowPath } from "@heptora/protocol";
import { createAppWindow, findAppBrowser, platformBrowserArgs } from "../window/app-window.ts";
import type { WindowServer } from "../window/window-server.ts";

export interface WindowShowerOptions {
  window: Pick<WindowServer, "openLink" | "origin"> | undefined;
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  /** --browser / HEPTORA_BROWSER. */
  browser: string | undefined;
  profileDir: string;
  desktop: boolean;
  log(line: string): void;
}

/** `opened: false` when there is no desktop to show it on (the CLI then prints a link). */
export interface ShowResult {
  opened: boolean;
  notice?: string;
}

export function createWindowShower(options: WindowShowerOptions) {
  const browser = findAppBrowser(options.platform, options.env, undefined, options.browser);
  const app =
    browser === undefined
      ? undefined
      : createAppWindow({
          browser,
          profileDir: options.profileDir,
          extraArgs: platformBrowserArgs(options.platform, process.getuid?.()),
          log: options.log,
        });
  return {
    async show(next: WindowPath): Promise<ShowResult> {
      const window = options.window;
      if (window === undefined || !options.desktop) return { opened: false };
      if (app !== undefined) {
        await app.show(window.openLink(next).url);
        return { opened: true };
      }
      const opened = await openDefault(`${window.origin}${next}`, options.platform);
      const notice =
        "No Edge, Chrome or Chromium was found (set --browser or HEPTORA_BROWSER): the window opened in your default browser. Sign it in with the link `heptora ui --no-open` prints.";
      options.log(notice);
      return { opened, notice };
    },
    /** Whether an app window is open now. */
    get isOpen(): boolean {
      return app?.isOpen ?? false;
    },
    close: () => app?.close() ?? Promise.resolve(),
  };
}

/** The system's opener on a URL without any secret in it. */
function openDefault(url: string, platform: NodeJS.Platform): Promise<boolean> {
  const [command, args] =
    platform === "win32"
      ? ["rundll32", ["url.dll,FileProtocolHandler", url]]
      : platform === "darwin"
        ? ["open", [url]]
        : ["xdg-open", [url]];
  return new Promise((resolve) => {
    try {
      const child = spawn(command as string, args as string[], { detached: true, stdio: "ignore" });
      child.once("error", () => resolve(false));
      child.once("spawn", () => {
        child.unref();
        resolve(true);
      });
    } catch {
      resolve(false);
    }
  });
}
