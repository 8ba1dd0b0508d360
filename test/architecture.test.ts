/**
 * The dependency arrows of docs/architecture.md, made executable: scans every import of every
 * source file and fails on a forbidden edge.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { test } from "node:test";

const root = join(import.meta.dirname, "..");

function sourceFiles(dir: string, out: string[] = []): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const entry of entries) {
    if (entry === "node_modules" || entry === "dist") continue;
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) sourceFiles(full, out);
    else if (/\.(ts|tsx|js|mjs)$/.test(entry)) out.push(full);
  }
  return out;
}

/** Every module specifier a file imports, statically or dynamically. */
export function importsOf(text: string): string[] {
  const found = new Set<string>();
  // Comments may show imports as examples; they load nothing.
  const source = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const patterns = [
    /\bimport\s+(?:type\s+)?(?:[\w*{}\s,]+\s+from\s+)?["']([^"']+)["']/g,
    /\bexport\s+(?:type\s+)?[\w*{}\s,]+\s+from\s+["']([^"']+)["']/g,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of source.matchAll(pattern)) if (match[1]) found.add(match[1]);
  }
  return [...found];
}

interface Rule {
  from: string;
  forbidden: (specifier: string, file: string) => boolean;
  why: string;
}

const reachesInto = (pkg: string) => (spec: string, file: string) =>
  spec === `@heptora/${pkg}` ||
  spec.startsWith(`@heptora/${pkg}/`) ||
  (spec.startsWith(".") && join(file, "..", spec).includes(join("packages", pkg, "")));

const isRelativeInto = (dir: string) => (spec: string, file: string) =>
  spec.startsWith(".") && join(file, "..", spec).startsWith(join(root, dir, ""));

/** The only modules the vault's sources may import: storage and crypto, nothing networked. */
const VAULT_ALLOWED = new Set([
  "node:crypto",
  "node:fs",
  "node:path",
  "node:os",
  "node:sqlite",
  "@heptora/protocol",
]);

const rules: Rule[] = [
  {
    from: "packages/platform",
    forbidden: reachesInto("vault"),
    why: "the platform must never be able to hold a secret value",
  },
  { from: "packages/platform", forbidden: reachesInto("robot"), why: "they meet only over HTTP" },
  { from: "packages/robot", forbidden: reachesInto("platform"), why: "they meet only over HTTP" },
  {
    from: "packages/vault/src",
    forbidden: (s) =>
      ["node:net", "node:http", "node:https", "node:http2", "node:dgram", "node:tls"].includes(s) ||
      s === "fastify" ||
      s === "pg" ||
      s.startsWith("@heptora/platform") ||
      s.startsWith("@heptora/robot"),
    why: "the vault depends on nothing networked",
  },
  {
    from: "packages/vault/src",
    forbidden: (s) => !s.startsWith(".") && !VAULT_ALLOWED.has(s),
    why: `the vault imports only ${[...VAULT_ALLOWED].join(", ")}`,
  },
  {
    from: "packages/robot/src/window",
    forbidden: isRelativeInto("packages/robot/src/socket"),
    why: "the window server and the socket server are siblings: start-daemon.ts wires them",
  },
  {
    from: "packages/robot/src/socket",
    forbidden: isRelativeInto("packages/robot/src/window"),
    why: "the window server and the socket server are siblings: start-daemon.ts wires them",
  },
  {
    from: "packages/robot/src/service",
    forbidden: (s, file) =>
      s.startsWith("node:http") ||
      s.startsWith("node:net") ||
      ["socket", "window", "http", "cli"].some((dir) =>
        isRelativeInto(`packages/robot/src/${dir}`)(s, file),
      ),
    why: "the robot service is transport-free: servers call it, never the other way",
  },
  {
    from: "packages/robot/src/http",
    forbidden: (s, file) =>
      ["socket", "window", "cli"].some((dir) =>
        isRelativeInto(`packages/robot/src/${dir}`)(s, file),
      ),
    why: "the route table is shared by both servers and depends on neither",
  },
  {
    from: "packages/protocol/src",
    forbidden: (s) =>
      s.startsWith("node:") || (s.startsWith("@heptora/") && s !== "@heptora/protocol"),
    why: "protocol does no I/O and depends on no other package",
  },
  {
    from: "packages/sdk/src",
    forbidden: (s) => reachesInto("vault")(s, "") || reachesInto("robot")(s, "") || s === "zod",
    why: "the SDK talks to the robot only and has no runtime dependency",
  },
];

test("no source file imports across a forbidden boundary", () => {
  const violations: string[] = [];
  for (const rule of rules) {
    for (const file of sourceFiles(join(root, rule.from))) {
      for (const spec of importsOf(readFileSync(file, "utf8"))) {
        if (rule.forbidden(spec, file)) {
          violations.push(`${relative(root, file)} imports '${spec}': ${rule.why}`);
        }
      }
    }
  }
  assert.deepEqual(violations, []);
});

test("the scanner sees the import forms that could smuggle in a forbidden edge", () => {
  const source = [
    'import { openVault } from "@heptora/vault";',
    'import type { X } from "@heptora/vault/src/x.ts";',
    'export { y } from "../../vault/src/y.ts";',
    'const z = await import("node:net");',
    '/** @example import { x } from "@heptora/platform"; */',
    '// import { y } from "@heptora/platform";',
  ].join("\n");
  assert.deepEqual(importsOf(source).sort(), [
    "../../vault/src/y.ts",
    "@heptora/vault",
    "@heptora/vault/src/x.ts",
    "node:net",
  ]);
  const platformFile = join(root, "packages/platform/src/modules/a/a.ts");
  assert.ok(reachesInto("vault")("../../../../vault/src/index.ts", platformFile));
  assert.ok(!reachesInto("vault")("./vault-like.ts", platformFile));
  const windowFile = join(root, "packages/robot/src/window/window-server.ts");
  assert.ok(isRelativeInto("packages/robot/src/socket")("../socket/local-api.ts", windowFile));
  assert.ok(!isRelativeInto("packages/robot/src/socket")("../http/route.ts", windowFile));
});

/** The module specifiers a file imports statically (at load time), type-only imports left out. */
export function staticImportsOf(source: string): string[] {
  const found = new Set<string>();
  const patterns = [
    /\bimport\s+(?!type\s)(?:[\w*{}\s,]+\s+from\s+)?["']([^"']+)["']/g,
    /\bexport\s+(?!type\s)[\w*{}\s,]+\s+from\s+["']([^"']+)["']/g,
  ];
  for (const pattern of patterns) {
    for (const match of source.matchAll(pattern)) if (match[1]) found.add(match[1]);
  }
  return [...found];
}

const cliDir = join(root, "packages/robot/src/cli");

test("the vault reads no environment: the robot gives it its paths", () => {
  const readers = sourceFiles(join(root, "packages/vault/src"))
    .filter((file) => /\bprocess\.env\b/.test(readFileSync(file, "utf8")))
    .map((file) => relative(root, file));
  assert.deepEqual(readers, []);
});

test("the CLI imports the daemon and the command implementations only on demand", () => {
  const violations: string[] = [];
  for (const file of sourceFiles(cliDir)) {
    for (const spec of staticImportsOf(readFileSync(file, "utf8"))) {
      const name = relative(root, file);
      if (spec.endsWith("start-daemon.ts")) {
        violations.push(`${name} imports the daemon statically: use await import() in its run`);
      }
      if (file.endsWith(join("commands", "index.ts")) && spec !== "../command.ts") {
        violations.push(`${name} imports '${spec}' statically: commands load with load()`);
      }
    }
  }
  assert.deepEqual(violations, []);
  assert.deepEqual(
    staticImportsOf('import type { A } from "./a.ts";\nawait import("./b.ts");'),
    [],
  );
  assert.deepEqual(staticImportsOf('import { run } from "../../start-daemon.ts";'), [
    "../../start-daemon.ts",
  ]);
});

/** What a `heptora` command that talks to the daemon must never load (docs/adr/0061). */
const notForClientCommands: [RegExp, string][] = [
  [/\/packages\/vault\//, "the vault"],
  [/\/packages\/robot\/src\/start-daemon\.ts$/, "the daemon"],
  [/\/packages\/robot\/src\/(service|socket|window|http|sync|runner)\//, "the daemon's parts"],
  [/^node:sqlite$/, "node:sqlite"],
  [/\/node_modules\/zod\//, "zod"],
];

test("the CLI never loads the vault or the daemon for commands that talk to the daemon", () => {
  const temp = mkdtempSync(join(tmpdir().length > 40 ? "/tmp" : tmpdir(), "harch-"));
  try {
    const bin = join(root, "packages/robot/bin/heptora.js");
    const recorder = join(root, "test/support/record-modules.ts");
    const dataDir = join(temp, "data");
    const commands = [["--help"], ["status"], ["secrets", "get", "SAP_USER"], ["status", "--json"]];
    for (const [i, args] of commands.entries()) {
      const log = join(temp, `modules-${i}.txt`);
      const result = spawnSync(
        process.execPath,
        ["--import", recorder, bin, "--data-dir", dataDir, ...args],
        {
          encoding: "utf8",
          env: {
            PATH: process.env.PATH,
            HEPTORA_MODULE_LOG: log,
            HEPTORA_KEY_FILE: join(temp, "k"),
          },
        },
      );
      // No robot runs on this data dir: the client commands end with "not running" (exit 1).
      if (args[0] !== "--help") assert.match(result.stderr, /The robot is not running/);
      const loaded = readFileSync(log, "utf8").split("\n");
      assert.ok(
        loaded.some((url) => url.endsWith("/packages/robot/src/main.ts")),
        "the recorder saw the CLI",
      );
      const found = loaded.flatMap((url) =>
        notForClientCommands
          .filter(([pattern]) => pattern.test(url))
          .map(([, what]) => `heptora ${args.join(" ")} loaded ${what}: ${url}`),
      );
      assert.deepEqual(found, []);
    }
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
});
