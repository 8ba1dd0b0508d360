import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { parseConfig } from "../src/config.ts";
import { defaultDataDir, defaultKeyFilePath } from "../src/paths.ts";

describe("the data dir", () => {
  it("prefers --data-dir, then HEPTORA_HOME", () => {
    const env = { HEPTORA_HOME: "/srv/heptora" };
    assert.equal(parseConfig({ dataDir: "/data/x" }, env, "linux").dataDir, "/data/x");
    assert.equal(parseConfig({}, env, "linux").dataDir, "/srv/heptora");
  });

  it("follows the OS convention otherwise", () => {
    const home = "/home/ana";
    assert.equal(
      defaultDataDir({ env: {}, platform: "linux", homedir: home }),
      "/home/ana/.local/share/heptora",
    );
    assert.equal(
      defaultDataDir({ env: { XDG_DATA_HOME: "/xdg" }, platform: "linux", homedir: home }),
      "/xdg/heptora",
    );
    assert.equal(
      defaultDataDir({ env: { XDG_DATA_HOME: "relative" }, platform: "linux", homedir: home }),
      "/home/ana/.local/share/heptora",
    );
    assert.equal(
      defaultDataDir({ env: {}, platform: "darwin", homedir: "/Users/ana" }),
      "/Users/ana/Library/Application Support/Heptora",
    );
    assert.equal(
      defaultDataDir({
        env: { LOCALAPPDATA: "C:\\Users\\ana\\AppData\\Local" },
        platform: "win32",
        homedir: "C:\\Users\\ana",
      }),
      "C:\\Users\\ana\\AppData\\Local\\Heptora",
    );
  });
});

describe("defaultKeyFilePath", () => {
  const root = mkdtempSync(join(tmpdir(), "heptora-paths-"));
  after(() => rmSync(root, { recursive: true, force: true }));

  it("puts the key under the config dir, outside the data dir", () => {
    const dataDir = join(root, "data");
    const path = defaultKeyFilePath({ dataDir, env: {}, platform: "linux", homedir: "/home/ana" });
    assert.match(path, /^\/home\/ana\/\.config\/heptora\/keys\/[0-9a-f]{32}\.key$/);
    const xdg = defaultKeyFilePath({
      dataDir,
      env: { XDG_CONFIG_HOME: "/cfg" },
      platform: "linux",
    });
    assert.match(xdg, /^\/cfg\/heptora\/keys\/[0-9a-f]{32}\.key$/);
    const mac = defaultKeyFilePath({ dataDir, env: {}, platform: "darwin", homedir: "/Users/a" });
    assert.match(mac, /^\/Users\/a\/Library\/Preferences\/Heptora\/keys\/[0-9a-f]{32}\.key$/);
    const win = defaultKeyFilePath({
      dataDir: "C:\\robot",
      env: { APPDATA: "C:\\Users\\a\\AppData\\Roaming" },
      platform: "win32",
    });
    assert.match(win, /^C:\\Users\\a\\AppData\\Roaming\\Heptora\\keys\\[0-9a-f]{32}\.key$/);
  });

  it("lets HEPTORA_KEY_FILE override", () => {
    const config = parseConfig(
      { dataDir: "/d" },
      { HEPTORA_KEY_FILE: "/secure/robot.key" },
      "linux",
    );
    assert.equal(config.keyFile, "/secure/robot.key");
  });

  it("gives one key per data dir, the same through a symlink and before creation", () => {
    const env = { XDG_CONFIG_HOME: "/cfg" };
    const real = join(root, "real");
    const before = defaultKeyFilePath({ dataDir: join(real, "robot"), env, platform: "linux" });
    mkdirSync(join(real, "robot"), { recursive: true });
    symlinkSync(real, join(root, "link"));
    const viaLink = defaultKeyFilePath({ dataDir: join(root, "link", "robot"), env });
    assert.equal(viaLink, before);
    const other = defaultKeyFilePath({ dataDir: join(root, "other"), env, platform: "linux" });
    assert.notEqual(other, before);
  });
});
