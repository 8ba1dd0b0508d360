/** How `heptora ui` opens the window: app-style where it can, never without a desktop. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { browserOpener } from "../../src/window/open-browser.ts";

const URL = "http://127.0.0.1:40000/session/open?t=abc";

test("no desktop on Linux: nothing is opened, the link is printed instead", () => {
  assert.equal(
    browserOpener(URL, "linux", { PATH: "/usr/bin" }, () => true),
    undefined,
  );
});

test("a Linux desktop with Chromium gets an app-style window", () => {
  const opener = browserOpener(
    URL,
    "linux",
    { DISPLAY: ":0", PATH: "/opt/x:/usr/bin" },
    (p) => p === "/usr/bin/chromium",
  );
  assert.deepEqual(opener, { command: "/usr/bin/chromium", args: [`--app=${URL}`] });
});

test("a Linux desktop without Chromium uses xdg-open", () => {
  const opener = browserOpener(
    URL,
    "linux",
    { WAYLAND_DISPLAY: "wayland-0", PATH: "" },
    () => false,
  );
  assert.deepEqual(opener, { command: "xdg-open", args: [URL] });
});

test("macOS and Windows use the system opener, the URL as one argument", () => {
  assert.deepEqual(
    browserOpener(URL, "darwin", {}, () => false),
    {
      command: "open",
      args: [URL],
    },
  );
  assert.deepEqual(browserOpener(URL, "win32", {}, () => false)?.args, [
    "url.dll,FileProtocolHandler",
    URL,
  ]);
});
