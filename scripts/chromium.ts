/**
 * Makes sure Debian's Chromium is there for the browser tests. As root with apt-get it installs
 * it; otherwise it says in one line what to install.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export const CHROMIUM_PATH = process.env.HEPTORA_CHROMIUM ?? "/usr/bin/chromium";

export function ensureChromium(): void {
  if (existsSync(CHROMIUM_PATH)) return;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const hasApt = spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status === 0;
  if (isRoot && hasApt) {
    console.error("Chromium is missing: installing Debian's chromium for the browser tests...");
    const update = spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
    const install = spawnSync("apt-get", ["install", "-y", "-qq", "chromium"], {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    if (update.status === 0 && install.status === 0 && existsSync(CHROMIUM_PATH)) return;
  }
  console.error(
    `The browser tests need Chromium at ${CHROMIUM_PATH}: install it with 'sudo apt-get install -y chromium' (or set HEPTORA_CHROMIUM to its path).`,
  );
  process.exit(1);
}
