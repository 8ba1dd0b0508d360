import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, parseConfig, parsePlatformUrl } from "../src/config.ts";

test("flags win over the environment, which wins over defaults", () => {
  const env = {
    HEPTORA_HOME: "/env/home",
    HEPTORA_PLATFORM_URL: "https://env.example.com/",
    HEPTORA_KEY_FILE: "/env/key",
    HEPTORA_SYNC_INTERVAL: "5",
  };
  const fromFlags = parseConfig(
    { dataDir: "/flag/data", platform: "https://flag.example:9000", keyFile: "/flag/key" },
    env,
    "linux",
  );
  assert.equal(fromFlags.dataDir, "/flag/data");
  assert.equal(fromFlags.socketPath, "/flag/data/robot.sock");
  assert.equal(fromFlags.platformUrl, "https://flag.example:9000");
  assert.equal(fromFlags.keyFile, "/flag/key");
  assert.equal(fromFlags.syncIntervalMs, 5000);

  const fromEnv = parseConfig({}, env, "linux");
  assert.equal(fromEnv.dataDir, "/env/home");
  assert.equal(fromEnv.platformUrl, "https://env.example.com");
  assert.equal(fromEnv.keyFile, "/env/key");
  assert.ok(Object.isFrozen(fromEnv));
});

test("defaults: the OS data dir, no platform override, a key file outside the data dir, 30 s", () => {
  const config = parseConfig({}, { HOME: "/home/ana" }, "linux");
  assert.ok(config.dataDir.endsWith("/heptora"), config.dataDir);
  assert.equal(config.platformUrl, undefined);
  assert.ok(!config.keyFile.startsWith(config.dataDir), config.keyFile);
  assert.equal(config.syncIntervalMs, 30_000);
});

test("on Windows the socket is a named pipe derived from the data dir", () => {
  const a = parseConfig({ dataDir: "C:\\robots\\a" }, {}, "win32");
  const b = parseConfig({ dataDir: "C:\\robots\\b" }, {}, "win32");
  assert.match(a.socketPath, /^\\\\\.\\pipe\\heptora-[0-9a-f]{24}$/);
  assert.notEqual(a.socketPath, b.socketPath);
});

test("a bad setting fails with one line naming the flag or variable", () => {
  const cases: [Parameters<typeof parseConfig>[0], Record<string, string>, RegExp][] = [
    [{ platform: "ftp://x" }, {}, /--platform must be an http/],
    [{ platform: "not a url" }, {}, /--platform is not a URL/],
    [{}, { HEPTORA_PLATFORM_URL: "http://user:pw@host" }, /HEPTORA_PLATFORM_URL must not carry/],
    [{}, { HEPTORA_SYNC_INTERVAL: "soon" }, /HEPTORA_SYNC_INTERVAL must be a number/],
    [{}, { HEPTORA_SYNC_INTERVAL: "0" }, /HEPTORA_SYNC_INTERVAL/],
    [{ dataDir: `/tmp/${"x".repeat(120)}` }, {}, /too long for the robot's socket/],
  ];
  for (const [flags, env, message] of cases) {
    assert.throws(
      () => parseConfig({ dataDir: "/tmp/r", ...flags }, env, "linux"),
      (error: unknown) =>
        error instanceof ConfigError &&
        message.test(error.message) &&
        !error.message.includes("\n"),
    );
  }
});

test("a platform URL keeps its path and loses its trailing slash", () => {
  assert.equal(
    parsePlatformUrl("https://heptora.example.com/base/", "x"),
    "https://heptora.example.com/base",
  );
  assert.equal(parsePlatformUrl(" http://127.0.0.1:8080 ", "x"), "http://127.0.0.1:8080");
});
