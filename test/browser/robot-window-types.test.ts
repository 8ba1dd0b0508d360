/**
 * The root tsconfig leaves the web apps out (they need DOM, JSX and bundler resolution), and Vite
 * strips types without checking them: so the robot's Secrets window is type-checked here.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { REPO_ROOT } from "./support/browser.ts";

test("the robot's Secrets window type-checks", () => {
  const tsc = join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
  const project = join(REPO_ROOT, "packages", "robot", "web", "tsconfig.json");
  const result = spawnSync(process.execPath, [tsc, "--noEmit", "-p", project], {
    encoding: "utf8",
    timeout: 120_000,
  });
  assert.equal(result.status, 0, result.stdout + result.stderr);
});
