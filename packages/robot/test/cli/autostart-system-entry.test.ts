/**
 * `heptora autostart` beside the system-wide entry the Debian package installs
 * (/etc/xdg/autostart/heptora.desktop, here a directory of XDG_CONFIG_DIRS): status reports it,
 * disable hides it for this person only, enable brings the robot back.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { desktopEntry } from "../../src/autostart/autostart.ts";
import { cleanEnv, heptora } from "../support/cli.ts";
import { makeTempDir } from "../support/temp.ts";

const temp = makeTempDir();
after(() => temp.remove());

test("autostart disable hides the system-wide entry with a Hidden=true entry of the person's; enable and status follow", async () => {
  const home = join(temp.path, "home");
  const xdg = join(temp.path, "etc-xdg");
  const system = join(xdg, "autostart", "heptora.desktop");
  mkdirSync(join(xdg, "autostart"), { recursive: true });
  writeFileSync(system, desktopEntry(["/usr/bin/heptora", "start"]));
  const env = cleanEnv({ HOME: home, XDG_CONFIG_DIRS: `relative/ignored:${xdg}` });
  delete env.XDG_CONFIG_HOME;
  const cli = async (...args: string[]) => {
    const result = await heptora(["--data-dir", temp.dataDir, "autostart", ...args, "--json"], {
      env,
    });
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as { enabled: boolean; where: string; command: string | null };
  };
  const mine = join(home, ".config", "autostart", "heptora.desktop");

  assert.deepEqual(await cli("status"), {
    enabled: true,
    where: system,
    command: "/usr/bin/heptora start",
  });

  assert.equal((await cli("disable")).enabled, false);
  assert.match(readFileSync(mine, "utf8"), /^Hidden=true$/m);
  assert.deepEqual(await cli("status"), { enabled: false, where: mine, command: null });
  assert.ok(existsSync(system), "the system-wide entry is the package's: left alone");

  const enabled = await cli("enable");
  assert.equal(enabled.enabled, true);
  assert.doesNotMatch(readFileSync(mine, "utf8"), /Hidden=true/);
  assert.equal((await cli("status")).enabled, true);
});
