/**
 * `npm run package`: every installable artefact of Heptora into `dist/` (the design's section 6 lists
 * them; the README's "Install" section says how each is installed). `npm run package -- NAME`
 * runs only the steps whose name contains NAME.
 */
import "./node-version.ts";
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import type { PackageContext } from "./package/context.ts";
import { STEPS } from "./package/steps.ts";

const root = join(import.meta.dirname, "..");
const dist = join(root, "dist");
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  version: string;
};
const filters = process.argv.slice(2);
const context: PackageContext = {
  root,
  dist,
  version,
  log: (line) => console.error(line),
};

mkdirSync(dist, { recursive: true });
const chosen = STEPS.filter((s) => filters.length === 0 || filters.some((f) => s.name.includes(f)));
if (chosen.length === 0) {
  console.error(`No packaging step matches ${filters.join(", ")}.`);
  process.exit(1);
}
const written: string[] = [];
for (const step of chosen) {
  context.log(`Packaging ${step.name}...`);
  try {
    written.push(...(await step.run(context)));
  } catch (error) {
    // A step fails with one line saying what went wrong and what to do (a tool to install).
    console.error(`${step.name}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
for (const file of written) {
  const size = (statSync(file).size / 1024 / 1024).toFixed(1);
  console.log(`${basename(file).padEnd(48)} ${size.padStart(7)} MB`);
}
