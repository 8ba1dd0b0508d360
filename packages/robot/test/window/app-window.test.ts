/**
 * The Secrets window as an app window in a real Chromium (headless here; the desktop test shows
 * it on a screen): the one-time link reaches the browser over the DevTools pipe, never on its
 * command line or in its environment, the browser signs in with it, and a second show reuses the
 * open window.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  APP_START_PAGE,
  createAppWindow,
  findAppBrowser,
  platformBrowserArgs,
} from "../../src/window/app-window.ts";
import { waitFor } from "../support/wait.ts";
import { type WindowFixture, windowFixture } from "./window-client.ts";

const CHROMIUM = process.env.HEPTORA_CHROMIUM ?? "/usr/bin/chromium";
const HEADLESS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic"];

let w: WindowFixture;
before(async () => {
  w = await windowFixture();
});
after(() => w.close());

const opened = () => w.fx.service.listAudit({ limit: 100, type: "window.open" }).entries.length;

/** Every process of the browser: the one we started and its descendants. */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(join("/proc", entry, "stat"), "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const all: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    all.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return all;
}

function readable(pid: number, file: "cmdline" | "environ"): string {
  try {
    return readFileSync(join("/proc", String(pid), file), "utf8");
  } catch {
    return "";
  }
}

test("the link reaches the browser over the pipe only, signs it in, and a second show reuses the window", async () => {
  const app = createAppWindow({
    browser: CHROMIUM,
    profileDir: join(w.fx.temp.dataDir, "window-profile"),
    extraArgs: HEADLESS,
  });
  try {
    const before = opened();
    const link = w.window.openLink().url;
    const token = new URL(link).searchParams.get("t") as string;
    await app.show(link);
    await waitFor(() => opened() === before + 1, "the browser to sign in with the link");
    const pid = app.pid as number;
    assert.ok(app.isOpen);
    const tree = processTree(pid);
    assert.ok(tree.length >= 1);
    for (const process of tree) {
      assert.ok(!readable(process, "cmdline").includes(token), "the link is on a command line");
      assert.ok(!readable(process, "environ").includes(token), "the link is in an environment");
    }
    assert.ok(readable(pid, "cmdline").includes(`--app=${APP_START_PAGE}`), "not an app window");
    const prefs = JSON.parse(
      readFileSync(join(w.fx.temp.dataDir, "window-profile", "Default", "Preferences"), "utf8"),
    ) as { credentials_enable_service?: boolean; profile?: { password_manager_enabled?: boolean } };
    assert.equal(prefs.credentials_enable_service, false, "the profile may save passwords");
    assert.equal(prefs.profile?.password_manager_enabled, false, "the password manager is on");

    await app.show(w.window.openLink().url);
    await waitFor(() => opened() === before + 2, "the second link to be used");
    assert.equal(app.pid, pid, "a second show opened another browser");
  } finally {
    await app.close();
  }
  assert.equal(app.isOpen, false);
});

test("finds Edge, Chrome or Chromium where each OS keeps them, and honours an override", () => {
  const only = (path: string) => (candidate: string) => candidate === path;
  assert.equal(
    findAppBrowser("linux", { PATH: "/opt/x:/usr/bin" }, only("/usr/bin/chromium")),
    "/usr/bin/chromium",
  );
  assert.equal(
    findAppBrowser(
      "linux",
      { PATH: "/usr/bin" },
      (p) => p === "/usr/bin/chromium" || p === "/usr/bin/google-chrome",
    ),
    "/usr/bin/google-chrome",
  );
  assert.equal(
    findAppBrowser("linux", { PATH: "relative/dir" }, () => false),
    undefined,
  );
  const edge = "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe";
  assert.equal(
    findAppBrowser("win32", { "ProgramFiles(x86)": "C:\\Program Files (x86)" }, only(edge)),
    edge,
  );
  const chrome = "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome";
  assert.equal(findAppBrowser("darwin", {}, only(chrome)), chrome);
  assert.equal(
    findAppBrowser("linux", {}, () => false, "/opt/brave/brave"),
    "/opt/brave/brave",
  );
});

test("turns Chromium's sandbox off only as root on Linux, where it refuses to start otherwise", () => {
  assert.deepEqual(platformBrowserArgs("linux", 0), ["--no-sandbox"]);
  assert.deepEqual(platformBrowserArgs("linux", 1000), []);
  assert.deepEqual(platformBrowserArgs("win32", undefined), []);
  assert.deepEqual(platformBrowserArgs("darwin", 0), []);
});
