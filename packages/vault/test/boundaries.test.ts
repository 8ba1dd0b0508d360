/** The vault depends on nothing networked: only these modules may be imported by its sources. */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";

const ALLOWED = new Set([
  "node:crypto",
  "node:fs",
  "node:path",
  "node:os",
  "node:sqlite",
  "@heptora/protocol",
]);
const src = join(import.meta.dirname, "..", "src");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = join(dir, entry);
    return statSync(full).isDirectory() ? sources(full) : entry.endsWith(".ts") ? [full] : [];
  });
}

describe("vault boundaries", () => {
  it("imports only node:crypto, node:fs, node:path, node:os, node:sqlite and @heptora/protocol", () => {
    const offending: string[] = [];
    for (const file of sources(src)) {
      const code = readFileSync(file, "utf8")
        .replace(/\/\*[\s\S]*?\*\//g, "")
        .replace(/^\s*\/\/.*$/gm, "");
      const specifiers =
        /^\s*(?:import|export)\s[^;'"]*?\bfrom\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']/gm;
      for (const match of code.matchAll(specifiers)) {
        const specifier = match[1] ?? match[2] ?? match[3] ?? "";
        if (specifier.startsWith(".")) continue;
        if (!ALLOWED.has(specifier)) offending.push(`${relative(src, file)}: ${specifier}`);
      }
    }
    assert.deepEqual(offending, []);
  });
});
