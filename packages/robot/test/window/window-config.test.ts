/** The Secrets window's inactivity timeout: HEPTORA_UI_IDLE_MINUTES, 15 minutes by default. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, parseConfig } from "../../src/config.ts";

test("the window closes after 15 minutes without activity unless configured", () => {
  assert.equal(parseConfig({ dataDir: "/tmp/r" }, {}).windowIdleMs, 15 * 60_000);
  const custom = parseConfig({ dataDir: "/tmp/r" }, { HEPTORA_UI_IDLE_MINUTES: "5" });
  assert.equal(custom.windowIdleMs, 5 * 60_000);
});

test("a bad HEPTORA_UI_IDLE_MINUTES fails at start with one line naming it", () => {
  for (const value of ["0", "-3", "abc", "100000"]) {
    assert.throws(
      () => parseConfig({ dataDir: "/tmp/r" }, { HEPTORA_UI_IDLE_MINUTES: value }),
      (error: unknown) =>
        error instanceof ConfigError && error.message.startsWith("HEPTORA_UI_IDLE_MINUTES"),
    );
  }
});
