/**
 * What `heptora autostart` writes on each OS (content, place, idempotence, removal), as pure logic
 * for Windows and macOS and for real on Linux, in a temporary home.
 */
import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import {
  createAutostart,
  desktopEntry,
  launchAgentPlist,
  type RegistryShell,
  WINDOWS_RUN_KEY,
  windowsCommandLine,
} from "../../src/autostart/autostart.ts";
import { makeTempDir } from "../support/temp.ts";

const temp = makeTempDir();
after(() => temp.remove());

const COMMAND = ["/opt/heptora/bin/heptora", "start", "--data-dir", "/home/ana/My Robot"];

test("Linux: an XDG autostart entry, written once, read back, removed by disable", () => {
  const home = join(temp.path, "home");
  const autostart = createAutostart({ platform: "linux", home, env: {}, command: COMMAND });
  const where = join(home, ".config", "autostart", "heptora.desktop");
  assert.deepEqual(autostart.status(), { enabled: false, where, command: null });

  const enabled = autostart.enable();
  assert.equal(enabled.where, where);
  const text = readFileSync(where, "utf8");
  assert.match(text, /^\[Desktop Entry\]\nType=Application\nName=Heptora\n/);
  assert.match(
    text,
    /^Exec=\/opt\/heptora\/bin\/heptora start --data-dir "\/home\/ana\/My Robot"$/m,
  );
  assert.equal(statSync(where).mode & 0o777, 0o600);
  const mtime = statSync(where).mtimeMs;
  autostart.enable();
  assert.equal(readFileSync(where, "utf8"), text, "enabling twice changes nothing");
  assert.equal(statSync(where).mtimeMs, mtime);
  assert.equal(autostart.status().enabled, true);
  assert.equal(
    autostart.status().command,
    '/opt/heptora/bin/heptora start --data-dir "/home/ana/My Robot"',
  );

  assert.equal(autostart.disable().enabled, false);
  assert.equal(autostart.status().enabled, false);
  assert.equal(autostart.disable().enabled, false, "disabling twice is fine");
});

test("Linux: XDG_CONFIG_HOME is honoured when absolute", () => {
  const config = join(temp.path, "cfg");
  const autostart = createAutostart({
    platform: "linux",
    home: "/home/x",
    env: { XDG_CONFIG_HOME: config },
    command: COMMAND,
  });
  assert.equal(autostart.where, join(config, "autostart", "heptora.desktop"));
  const relative = createAutostart({
    platform: "linux",
    home: "/home/x",
    env: { XDG_CONFIG_HOME: "rel" },
    command: COMMAND,
  });
  assert.equal(relative.where, "/home/x/.config/autostart/heptora.desktop");
});

test("a desktop entry's Exec quotes what the spec reserves", () => {
  const text = desktopEntry(["/a b/heptora", "start", "--data-dir", 'we"ird $HOME `x` 100%']);
  assert.match(text, /^Exec="\/a b\/heptora" start --data-dir "we\\"ird \\\$HOME \\`x\\` 100%%"$/m);
});

test("macOS: a LaunchAgent that runs at load, with each argument escaped", () => {
  const home = join(temp.path, "mac");
  const autostart = createAutostart({ platform: "darwin", home, env: {}, command: COMMAND });
  assert.equal(autostart.where, join(home, "Library", "LaunchAgents", "com.heptora.robot.plist"));
  const plist = launchAgentPlist(["/x/heptora", "start", "--data-dir", "/d/<a&b>"]);
  assert.match(plist, /<key>Label<\/key>\n {2}<string>com\.heptora\.robot<\/string>/);
  assert.match(plist, /<key>RunAtLoad<\/key>\n {2}<true\/>/);
  assert.match(plist, /<string>\/d\/&lt;a&amp;b&gt;<\/string>/);
  autostart.enable();
  assert.equal(autostart.status().enabled, true);
  assert.equal(autostart.status().command, COMMAND.join(" "));
  autostart.disable();
  assert.equal(autostart.status().enabled, false);
});

test("Windows: the HKCU Run value, set, read back and removed through the registry", () => {
  const values = new Map<string, string>();
  const calls: string[] = [];
  const registry: RegistryShell = {
    query: (key, name) => values.get(`${key}\\${name}`),
    set(key, name, value) {
      calls.push(`set ${name}`);
      values.set(`${key}\\${name}`, value);
    },
    remove(key, name) {
      calls.push(`remove ${name}`);
      values.delete(`${key}\\${name}`);
    },
  };
  const command = ["C:\\Program Files\\Heptora\\heptora.exe", "start", "--data-dir", "C:\\Data\\"];
  const autostart = createAutostart({
    platform: "win32",
    home: "C:\\Users\\ana",
    env: {},
    command,
    registry,
  });
  assert.equal(autostart.where, `${WINDOWS_RUN_KEY}\\Heptora`);
  assert.equal(autostart.status().enabled, false);
  autostart.enable();
  autostart.enable();
  assert.equal(
    values.get(`${WINDOWS_RUN_KEY}\\Heptora`),
    '"C:\\Program Files\\Heptora\\heptora.exe" start --data-dir C:\\Data\\',
  );
  assert.equal(autostart.status().enabled, true);
  autostart.disable();
  autostart.disable();
  assert.deepEqual(calls, ["set Heptora", "set Heptora", "remove Heptora"]);
  assert.equal(windowsCommandLine(['a "b"', "c\\"]), '"a \\"b\\"" c\\');
  assert.equal(windowsCommandLine(["with space\\"]), '"with space\\\\"');
});
