/**
 * Opens the Secrets window's one-time link in the user's browser, when this machine has a desktop:
 * as an app-style window where a Chromium-family browser is installed (`--app=URL`), else with the
 * system's opener (xdg-open, open, rundll32). Never throws: without a desktop or an opener, the
 * caller prints the link instead.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";

export interface Opener {
  command: string;
  args: string[];
}

const APP_BROWSERS = ["google-chrome", "google-chrome-stable", "chromium", "chromium-browser"];
const MAC_CHROME = "/Applications/Google Chrome.app";

/** How to open `url` here, or undefined when there is no desktop to open it on. */
export function browserOpener(
  url: string,
  platform: NodeJS.Platform,
  env: Readonly<Record<string, string | undefined>>,
  exists: (path: string) => boolean = existsSync,
): Opener | undefined {
  if (platform === "win32") {
    // rundll32 takes the URL as one argument: no cmd.exe parsing of `&` or `^`.
    return { command: "rundll32", args: ["url.dll,FileProtocolHandler", url] };
  }
  if (platform === "darwin") {
    if (exists(MAC_CHROME)) {
      return { command: "open", args: ["-na", "Google Chrome", "--args", `--app=${url}`] };
    }
    return { command: "open", args: [url] };
  }
  const desktop = (env.DISPLAY ?? "") !== "" || (env.WAYLAND_DISPLAY ?? "") !== "";
  if (!desktop) return undefined;
  for (const dir of (env.PATH ?? "").split(delimiter).filter(Boolean)) {
    for (const name of APP_BROWSERS) {
      const path = join(dir, name);
      if (exists(path)) return { command: path, args: [`--app=${url}`] };
    }
  }
  return { command: "xdg-open", args: [url] };
}

/** Starts the opener detached; resolves true once it runs, false when it cannot start. */
export function openInBrowser(opener: Opener): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      const child = spawn(opener.command, opener.args, { detached: true, stdio: "ignore" });
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
