/** `heptora autostart` and `heptora --version` as a person runs them (no daemon needed). */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { cleanEnv, HEPTORA_BIN, heptora } from "../support/cli.ts";
import { makeTempDir } from "../support/temp.ts";

const temp = makeTempDir();
after(() => temp.remove());

test("autostart enable writes the XDG entry for this data dir; status reads it; disable removes it", async () => {
  const home = join(temp.path, "home");
  const env = cleanEnv({ HOME: home, XDG_CONFIG_HOME: undefined });
  delete env.XDG_CONFIG_HOME;
  const cli = (...args: string[]) =>
    heptora(["--data-dir", temp.dataDir, "autostart", ...args], { env });
  const entry = join(home, ".config", "autostart", "heptora.desktop");

  const enabled = await cli("enable");
  assert.equal(enabled.code, 0, enabled.stderr);
  assert.match(enabled.stdout, /The robot starts when you log in/);
  const text = readFileSync(entry, "utf8");
  assert.ok(text.includes(`${HEPTORA_BIN} start --data-dir ${temp.dataDir}`), text);

  const status = await cli("status", "--json");
  assert.deepEqual(JSON.parse(status.stdout).enabled, true);
  assert.equal((await cli("enable")).code, 0);
  assert.equal(readFileSync(entry, "utf8"), text, "enable twice writes the same entry");

  const disabled = await cli("disable");
  assert.equal(disabled.code, 0);
  assert.match(disabled.stdout, /does not start when you log in/);
  assert.equal(existsSync(entry), false);

  const wrong = await cli("sometimes");
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /Say enable, disable or status/);
});

test("--version prints the version", async () => {
  const result = await heptora(["--version"]);
  assert.equal(result.code, 0);
  assert.match(result.stdout, /^heptora \d+\.\d+\.\d+\n$/);
  const pkg = JSON.parse(
    readFileSync(join(import.meta.dirname, "..", "..", "package.json"), "utf8"),
  );
  assert.equal(result.stdout.trim(), `heptora ${pkg.version}`);
});
