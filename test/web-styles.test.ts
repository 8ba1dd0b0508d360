/**
 * The web apps' stylesheets speak only in the kit's tokens: no hex colour outside a `:root` block
 * in any stylesheet of the kit or of the two apps, and every `var(--name)` they use is a token the
 * kit's `:root` defines. One palette, in one place, so both apps look like one product.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";

const root = join(import.meta.dirname, "..");
const KIT_STYLES = join(root, "packages", "web-kit", "src", "styles.css");
const STYLE_DIRS = ["packages/web-kit", "packages/platform/web", "packages/robot/web"];

function stylesheets(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    if (entry === "node_modules" || entry === "dist") continue;
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) stylesheets(full, out);
    else if (entry.endsWith(".css")) out.push(full);
  }
  return out;
}

/** A hex colour in a declaration's value: #rgb, #rgba, #rrggbb or #rrggbbaa. */
const HEX = /#(?:[0-9a-f]{8}|[0-9a-f]{6}|[0-9a-f]{3,4})(?![0-9a-z_-])/gi;

interface Found {
  line: number;
  text: string;
  inRoot: boolean;
}

/**
 * Every hex colour of a stylesheet with its line and whether it stands inside a `:root` block
 * (at any depth, e.g. in `@media { :root { … } }`). Comments are skipped; a `#abc` in a selector
 * (an id) is not a colour: only what stands in a declaration counts.
 */
export function hexColours(css: string): Found[] {
  const found: Found[] = [];
  const preludes: string[] = [];
  let line = 1;
  let start = 0; // where the current prelude or declaration began
  for (let i = 0; i < css.length; i++) {
    const c = css[i];
    if (c === "\n") line++;
    if (c === "/" && css[i + 1] === "*") {
      const end = css.indexOf("*/", i + 2);
      const stop = end < 0 ? css.length : end + 2;
      for (let j = i; j < stop; j++) if (css[j] === "\n") line++;
      i = stop - 1;
      continue;
    }
    if (c === "{") {
      preludes.push(
        css
          .slice(start, i)
          .replace(/\/\*[\s\S]*?\*\//g, "")
          .trim(),
      );
      start = i + 1;
    } else if (c === "}") {
      preludes.pop();
      start = i + 1;
    } else if (c === ";") {
      start = i + 1;
    } else if (c === "#") {
      HEX.lastIndex = i;
      const match = HEX.exec(css);
      if (match?.index !== i) continue;
      // A selector runs up to a `{`; a declaration's value up to a `;` or a `}`.
      const rest = css.slice(i).search(/[{;}]/);
      if (rest >= 0 && css[i + rest] === "{") continue;
      found.push({ line, text: match[0], inRoot: preludes.includes(":root") });
    }
  }
  return found;
}

/** The custom properties a stylesheet defines inside `:root`, and those it reads with var(). */
function tokens(css: string): { defined: Set<string>; used: Set<string> } {
  const defined = new Set<string>();
  for (const block of css.matchAll(/:root\s*\{([^}]*)\}/g)) {
    for (const m of (block[1] ?? "").matchAll(/(--[\w-]+)\s*:/g)) if (m[1]) defined.add(m[1]);
  }
  const used = new Set<string>();
  for (const m of css.matchAll(/var\(\s*(--[\w-]+)/g)) if (m[1]) used.add(m[1]);
  return { defined, used };
}

test("no stylesheet of the web apps or the kit has a hex colour outside :root", () => {
  const offenders: string[] = [];
  for (const dir of STYLE_DIRS) {
    for (const file of stylesheets(join(root, dir))) {
      for (const hex of hexColours(readFileSync(file, "utf8"))) {
        if (!hex.inRoot) offenders.push(`${relative(root, file)}:${hex.line}: ${hex.text}`);
      }
    }
  }
  assert.deepEqual(offenders, [], "use (or add) a token in the kit's :root instead");
});

test("the web apps' stylesheets use only tokens the kit's :root defines, and define none", () => {
  const kit = tokens(readFileSync(KIT_STYLES, "utf8")).defined;
  const problems: string[] = [];
  for (const dir of STYLE_DIRS) {
    for (const file of stylesheets(join(root, dir))) {
      const { defined, used } = tokens(readFileSync(file, "utf8"));
      const name = relative(root, file);
      for (const token of used) if (!kit.has(token)) problems.push(`${name} uses ${token}`);
      if (file !== KIT_STYLES) {
        for (const token of defined) problems.push(`${name} defines ${token}`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

test("the scanner finds hex colours outside :root by line, and nothing else", () => {
  const css = [
    "/* The palette. */ :root {",
    "  --accent: #0f766e;",
    "  --shadow: 0 1px 2px #0000001a;",
    "}",
    "/* #abcdef in a comment, */",
    "#main .fade { color: var(--accent); }",
    ".a {",
    "  color: #fff;",
    "  border: 1px solid #ABCDEF80;",
    "}",
    "@media (max-width: 700px) { .b { background: #f5f7f8 } :root { --x: #123; } }",
    ".c { background: url(#gradient) #abcd; }",
  ].join("\n");
  assert.deepEqual(
    hexColours(css).map((h) => `${h.line} ${h.text} ${h.inRoot ? "root" : "outside"}`),
    [
      "2 #0f766e root",
      "3 #0000001a root",
      "8 #fff outside",
      "9 #ABCDEF80 outside",
      "11 #f5f7f8 outside",
      "11 #123 root",
      "12 #abcd outside",
    ],
  );
});
