/**
 * `@heptora/sdk` as an npm tarball, `dist/heptora-sdk-<v>.tgz` (docs/adr/0081-sdk-packages.md):
 * the TypeScript compiler of the repository emits JavaScript (ESM) and `.d.ts` from
 * packages/sdk/src into a staging folder, with the published manifest beside them, and `npm pack`
 * packs that folder. The workspace's own package.json keeps pointing to the sources, so the
 * repository's tests and examples run them as they are.
 *
 * The package depends on nothing: the one type it takes from `@heptora/protocol` (the robot's
 * error codes) is written out into `robot-error-codes.d.ts`, and the step fails if any emitted
 * file still imports a package other than `node:*`.
 */
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ERROR_CODES } from "@heptora/protocol/errors";
import type { PackageContext, PackageStep } from "./context.ts";

interface WorkspaceManifest {
  name: string;
  version: string;
  [field: string]: unknown;
}

/**
 * The manifest that ships: the workspace's (name, version, description, license, engines, ...),
 * with `exports` to the built files and without the workspace-only fields.
 */
export function publishedManifest(workspace: WorkspaceManifest): Record<string, unknown> {
  const { private: _private, devDependencies: _dev, exports: _exports, ...rest } = workspace;
  return {
    ...rest,
    exports: {
      ".": { types: "./dist/index.d.ts", default: "./dist/index.js" },
      "./package.json": "./package.json",
    },
    types: "./dist/index.d.ts",
    files: ["dist"],
    sideEffects: false,
  };
}

/** Every specifier an emitted file imports or re-exports from (comments and examples aside). */
function specifiersOf(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const out: string[] = [];
  for (const match of code.matchAll(/\b(?:from|import)\s*\(?\s*["']([^"']+)["']/g)) {
    if (match[1] !== undefined) out.push(match[1]);
  }
  return out;
}

function run(command: string, args: string[], cwd: string): string {
  const env: NodeJS.ProcessEnv = {};
  // npm run sets npm_config_* (the workspace's prefix among them): a nested npm must not see them.
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.toLowerCase().startsWith("npm_")) env[key] = value;
  }
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8" });
  if (result.error !== undefined || result.status !== 0) {
    const why = result.error?.message ?? `${result.stdout}${result.stderr}`.trim();
    throw new Error(`${command} ${args.join(" ")} failed: ${why}`);
  }
  return result.stdout;
}

/** Builds the tarball into `context.dist` and returns its path. */
export async function buildTsSdk(context: PackageContext): Promise<string[]> {
  const sdk = join(context.root, "packages", "sdk");
  const workspace = JSON.parse(
    readFileSync(join(sdk, "package.json"), "utf8"),
  ) as WorkspaceManifest;
  if (workspace.version !== context.version) {
    throw new Error(
      `packages/sdk/package.json has version ${workspace.version} but the root package.json has ${context.version}: set both to the same version.`,
    );
  }
  const stage = mkdtempSync(join(tmpdir(), "heptora-sdk-stage-"));
  try {
    const out = join(stage, "dist");
    const tsc = join(context.root, "node_modules", "typescript", "bin", "tsc");
    run(
      process.execPath,
      [tsc, "-p", join(sdk, "tsconfig.build.json"), "--outDir", out],
      context.root,
    );
    // The one type taken from the protocol, written out: the package needs no other package.
    const codes = ERROR_CODES.map((code) => JSON.stringify(code)).join("\n  | ");
    writeFileSync(
      join(out, "robot-error-codes.d.ts"),
      `/** The codes a robot may answer with (the protocol's error catalogue, ${context.version}). */\nexport type ErrorCode =\n  | ${codes};\n`,
    );
    for (const file of readdirSync(out)) {
      const path = join(out, file);
      if (file.endsWith(".d.ts")) {
        // Declarations keep the sources' `.ts` specifiers; the shipped files are `.js`.
        const text = readFileSync(path, "utf8");
        writeFileSync(path, text.replace(/(["'])(\.{1,2}\/[^"']+)\.ts\1/g, "$1$2.js$1"));
      }
      for (const specifier of specifiersOf(readFileSync(path, "utf8"))) {
        if (!specifier.startsWith("./") && !specifier.startsWith("node:")) {
          throw new Error(
            `The built @heptora/sdk's ${file} imports '${specifier}': the published package may import only its own files and node:* modules.`,
          );
        }
      }
    }
    writeFileSync(
      join(stage, "package.json"),
      `${JSON.stringify(publishedManifest(workspace), null, 2)}\n`,
    );
    copyFileSync(join(sdk, "README.md"), join(stage, "README.md"));
    const packed = JSON.parse(
      run("npm", ["pack", "--json", "--pack-destination", context.dist], stage),
    ) as { filename: string }[];
    const filename = packed[0]?.filename;
    const expected = `heptora-sdk-${context.version}.tgz`;
    if (filename !== expected) {
      throw new Error(`npm pack wrote ${filename ?? "nothing"} where ${expected} was expected.`);
    }
    context.log(`  ${expected}: @heptora/sdk ${context.version}, ESM with .d.ts, no dependencies`);
    return [join(context.dist, expected)];
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

export const tsSdkStep: PackageStep = { name: "ts-sdk", run: buildTsSdk };
