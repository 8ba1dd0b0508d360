/**
 * The OS keychain slot's native binding for the self-contained robot (docs/adr/0082): the `.node`
 * file of @napi-rs/keyring's platform package for each executable's machine kind, which esbuild
 * cannot bundle. It ships beside the executables in dist/ (`keyring.linux-x64-gnu.node`,
 * `keyring.win32-x64-msvc.node`: the package's own names, one per machine kind, so both sit in one
 * folder and a renamed executable still finds its own) and in the robot's .deb as
 * /usr/lib/heptora/keyring.linux-x64-gnu.node. The robot loads it with
 * packages/robot/src/lib/native-addon.ts; without it a new vault gets a key file, and says why.
 *
 * Version and integrity are package-lock.json's, so the executables carry the binding the tests
 * ran: the Linux one from node_modules (npm ci checked it), the Windows one (never installed on
 * Linux) fetched with `npm pack` and checked against the lock's integrity.
 */
import { copyFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { PackageContext } from "./context.ts";
import { packedFile, type SeaTarget } from "./sea.ts";

export const KEYRING_BINDINGS = {
  "linux-x64": { pkg: "@napi-rs/keyring-linux-x64-gnu", file: "keyring.linux-x64-gnu.node" },
  "win-x64": { pkg: "@napi-rs/keyring-win32-x64-msvc", file: "keyring.win32-x64-msvc.node" },
} as const satisfies Record<SeaTarget, { pkg: string; file: string }>;

function locked(root: string, pkg: string): { version: string; integrity: string } {
  const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as {
    packages: Record<string, { version?: string; integrity?: string }>;
  };
  const entry = lock.packages[`node_modules/${pkg}`];
  if (entry?.version === undefined || entry.integrity === undefined) {
    throw new Error(`package-lock.json has no version and integrity for ${pkg}: run npm install.`);
  }
  return { version: entry.version, integrity: entry.integrity };
}

/** The binding's file for `target` (from node_modules or the packaging cache). */
export function keyringBinding(context: PackageContext, target: SeaTarget): string {
  const { pkg, file } = KEYRING_BINDINGS[target];
  const { version, integrity } = locked(context.root, pkg);
  const installed = join(context.root, "node_modules", pkg);
  if (existsSync(join(installed, file))) {
    const { version: found } = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
    if (found === version) return join(installed, file);
  }
  return packedFile(context, { pkg, version, file: `package/${file}`, integrity });
}

/** Copies the binding for `target` into dist/ under its own name; returns that path. */
export function writeKeyringBinding(context: PackageContext, target: SeaTarget): string {
  const output = join(context.dist, KEYRING_BINDINGS[target].file);
  copyFileSync(keyringBinding(context, target), output);
  return output;
}
