/**
 * `npm test`: every test of every package, the Python SDK's included (run from a node test),
 * in one node:test run. Extra arguments narrow it: `npm test -- packages/vault`.
 */
import "./node-version.ts";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { ensurePythonBuildBackend } from "./package/python-sdk.ts";
import {
  BROWSER_TOOLS,
  DESKTOP_TOOLS,
  ensureTools,
  INSTALL_TOOLS,
  KEYCHAIN_TOOLS,
  PROXY_TOOLS,
} from "./system-packages.ts";
import { buildWebApps } from "./web-build.ts";

const root = join(import.meta.dirname, "..");

function findTests(dir: string, out: string[]): string[] {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir)) {
    if (entry === "node_modules" || entry === "dist" || entry.startsWith(".")) continue;
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) findTests(full, out);
    else if (entry.endsWith(".test.ts")) out.push(relative(root, full));
  }
  return out;
}

const filters = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const passThrough = process.argv.slice(2).filter((a) => a.startsWith("--"));
const all = [...findTests(join(root, "packages"), []), ...findTests(join(root, "test"), [])];
const selected = filters.length === 0 ? all : all.filter((f) => filters.some((x) => f.includes(x)));
if (selected.length === 0) {
  console.error(`No test file matches ${filters.join(", ")}.`);
  process.exit(1);
}

const needs = (...parts: string[]) => selected.some((f) => parts.some((part) => f.includes(part)));
if (needs("browser", "/web/", "app-window", "desktop")) {
  ensureTools(BROWSER_TOOLS, "The browser tests");
  buildWebApps();
}
if (needs("/tray/", "desktop")) ensureTools(DESKTOP_TOOLS, "The tray and desktop tests");
if (needs("test/package/python-sdk")) ensurePythonBuildBackend("The Python SDK's wheel tests");
if (needs("haproxy")) ensureTools(PROXY_TOOLS, "The reverse-proxy test");
if (needs("os-keychain")) ensureTools(KEYCHAIN_TOOLS, "The OS keychain tests");
if (needs("test/install")) {
  ensureTools(INSTALL_TOOLS, "The install tests");
  buildWebApps(); // the executables carry the web builds
}
// A real full disk (a small tmpfs mounted under the data dir) and folders of another user (chown
// to uid 65534) need root, as CI runs; nothing to install makes them work otherwise.
const isRoot = typeof process.getuid !== "function" || process.getuid() === 0;
if (!isRoot && needs("robot/test/cli/disk-full", "robot/test/cli/private-dirs")) {
  console.error(
    "The robot's full-disk and folder-ownership tests need root (they mount a small tmpfs and chown to another user): run 'sudo npm test', as CI does.",
  );
  process.exit(1);
}

const concurrency = process.env.HEPTORA_TEST_CONCURRENCY ?? "3";
const result = spawnSync(
  process.execPath,
  [
    "--test",
    `--test-concurrency=${concurrency}`,
    "--test-timeout=180000",
    ...passThrough,
    ...selected,
  ],
  { cwd: root, stdio: "inherit", env: { ...process.env, HEPTORA_REPO_ROOT: root } },
);
process.exit(result.status ?? 1);
