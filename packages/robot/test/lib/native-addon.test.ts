/** An optional native addon: loaded from an install's library folder, undefined when absent. */
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { addonFolders, loadNativeAddon } from "../../src/lib/native-addon.ts";
import { makeTempDir } from "../support/temp.ts";

const temp = makeTempDir();
after(() => temp.remove());

test("an addon that is not installed anywhere is undefined, not an error", () => {
  assert.equal(loadNativeAddon("@heptora/no-such-addon"), undefined);
  assert.equal(loadNativeAddon("@heptora/no-such-addon", [temp.path]), undefined);
});

test("an addon in an install's node_modules folder is loaded from there", () => {
  const lib = join(temp.path, "usr-lib-heptora");
  mkdirSync(join(lib, "node_modules", "fake-addon"), { recursive: true });
  writeFileSync(join(lib, "node_modules", "fake-addon", "index.js"), "exports.kind = 'fake';\n");
  const addon = loadNativeAddon<{ kind: string }>("fake-addon", [temp.path, lib]);
  assert.equal(addon?.kind, "fake");
});

test("an installed executable looks in /usr/lib/heptora on Linux, beside itself elsewhere", () => {
  assert.deepEqual(addonFolders("/usr/bin/heptora", "linux"), ["/usr/lib/heptora", "/usr/bin"]);
  assert.deepEqual(addonFolders("/opt/heptora/heptora", "darwin"), ["/opt/heptora"]);
});
