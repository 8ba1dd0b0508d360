/**
 * `heptora-platform --version` from the sources (bin/heptora-platform.js), as the installed
 * executable answers it (test/install): the version of the root package.json, on one line, exit 0,
 * touching no database; `--help` lists it.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { run } from "../support/spawn.ts";

const ROOT = join(import.meta.dirname, "..", "..", "..", "..");
const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  version: string;
};

describe("heptora-platform --version", () => {
  const cwd = mkdtempSync(join(tmpdir(), "heptora-version-"));
  after(() => rmSync(cwd, { recursive: true, force: true }));

  it("prints the root package.json's version and exits 0, creating nothing", async () => {
    for (const flag of ["--version", "-v"]) {
      const result = await run([flag], { cwd });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, `heptora-platform ${version}\n`);
      assert.equal(result.stderr, "");
    }
    assert.deepEqual(readdirSync(cwd), [], "no .heptora folder, no database");
  });

  it("is listed by --help, and refuses anything after it in one line", async () => {
    const help = await run(["--help"], { cwd });
    assert.match(help.stdout, /^ {2}heptora-platform --version +print the version$/m);
    const extra = await run(["--version", "--port", "1"], { cwd });
    assert.equal(extra.code, 2);
    assert.equal(extra.stderr, "heptora-platform: --version takes nothing after it.\n");
  });
});
