/**
 * Builds the two React + Vite apps (platform web app, robot Secrets window) when their sources are
 * newer than their build, so that a newcomer never runs a build by hand.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
export const WEB_APPS = ["packages/platform/web", "packages/robot/web"] as const;
/** Sources both apps bundle: a change here rebuilds them too. */
const SHARED = ["packages/web-kit"] as const;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir)) {
    if (entry === "dist" || entry === "node_modules") continue;
    const full = join(dir, entry);
    const info = statSync(full);
    newest = Math.max(newest, info.isDirectory() ? newestMtime(full) : info.mtimeMs);
  }
  return newest;
}

export function buildWebApps(): void {
  for (const app of WEB_APPS) {
    const dir = join(root, app);
    if (!existsSync(join(dir, "vite.config.ts"))) continue;
    const built = join(dir, "dist", "index.html");
    const newest = Math.max(newestMtime(dir), ...SHARED.map((d) => newestMtime(join(root, d))));
    if (existsSync(built) && statSync(built).mtimeMs >= newest) continue;
    console.error(`Building ${app}...`);
    const vite = join(root, "node_modules", "vite", "bin", "vite.js");
    const result = spawnSync(process.execPath, [vite, "build", "--logLevel", "warn"], {
      cwd: dir,
      stdio: "inherit",
    });
    if (result.status !== 0) {
      console.error(`Building ${app} failed (see above).`);
      process.exit(1);
    }
  }
}

if (import.meta.main) buildWebApps();
