/**
 * `npm run bench`: runs every benchmark (`packages/<pkg>/bench/*.bench.ts`) one after the other
 * and prints their reports. `npm run bench -- vault` narrows it.
 */
import "./node-version.ts";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const filters = process.argv.slice(2);
const benches: string[] = [];
for (const pkg of readdirSync(join(root, "packages"))) {
  const dir = join(root, "packages", pkg, "bench");
  if (!existsSync(dir)) continue;
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith(".bench.ts")) continue;
    const path = join(dir, file);
    if (filters.length === 0 || filters.some((f) => path.includes(f))) benches.push(path);
  }
}
if (benches.length === 0) {
  console.error("No benchmark matches.");
  process.exit(1);
}
let failed = 0;
for (const bench of benches) {
  console.log(`\n# ${bench.slice(root.length + 1)}`);
  const result = spawnSync(process.execPath, ["--expose-gc", bench], {
    stdio: "inherit",
    cwd: root,
  });
  if (result.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
