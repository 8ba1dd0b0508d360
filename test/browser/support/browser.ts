/**
 * Shared Chromium support for the browser tests (platform web app, robot Secrets window): one
 * headless browser per test file, pages that record console errors and CSP violations, and
 * screenshots saved under artifacts/screenshots/.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

export const REPO_ROOT = join(import.meta.dirname, "..", "..", "..");
export const SCREENSHOT_DIR = join(REPO_ROOT, "artifacts", "screenshots");
const CHROMIUM_PATH = process.env.HEPTORA_CHROMIUM ?? "/usr/bin/chromium";

export const DESKTOP = { width: 1280, height: 800 } as const;
export const SMALL = { width: 800, height: 600 } as const;

/** Headless Debian Chromium with the flags this machine needs (no sandbox, no network chatter). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  /** Console errors, page errors and CSP violations seen so far (none is the goal). */
  problems: () => string[];
}

/**
 * A fresh context (its own cookies and storage) with one page that records what went wrong.
 * `expectedErrors` filters further console lines a test provokes on purpose.
 */
export async function openPage(
  browser: Browser,
  options: { viewport?: { width: number; height: number }; expectedErrors?: RegExp[] } = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: options.viewport ?? DESKTOP });
  const page = await context.newPage();
  const seen: string[] = [];
  // Chromium logs every 4xx answer as a console error; the app handles those (401 before sign-in,
  // 403 for a member, 400 for a bad name), so they are not problems. A 5xx still is.
  const expected = [
    /Failed to load resource: .*status of 4\d\d/,
    ...(options.expectedErrors ?? []),
  ];
  page.on("console", (message) => {
    if (message.type() !== "error" && message.type() !== "warning") return;
    const text = message.text();
    const isCsp = /Content Security Policy|Refused to/i.test(text);
    if (message.type() === "warning" && !isCsp) return;
    if (!isCsp && expected.some((re) => re.test(text))) return;
    seen.push(`console ${message.type()}: ${text}`);
  });
  page.on("pageerror", (error) => seen.push(`page error: ${error.message}`));
  return { context, page, problems: () => [...seen] };
}

/** Saves a full-viewport PNG as artifacts/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, animations: "disabled", caret: "hide" });
  return path;
}
