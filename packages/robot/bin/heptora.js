#!/usr/bin/env node
// The `heptora` command. Checks the Node.js version in one line, turns on Node's compile cache in
// a private directory, then runs the TypeScript sources directly (Node's type stripping; see
// docs/adr/0001 and, for the start-up time, docs/adr/0061).
const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
if (major < 24 || (major === 24 && minor < 7)) {
  console.error(
    `heptora needs Node.js 24.7 or newer (found ${process.versions.node}): install Node.js 24 LTS or run it with npx heptora from the repository.`,
  );
  process.exit(1);
}
// node:sqlite (the vault) still announces itself as experimental on Node 24; that line would
// break "one line of output" for every command, so only that warning is silenced.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  const text = typeof warning === "string" ? warning : warning?.message;
  if (typeof text === "string" && text.startsWith("SQLite is an experimental feature")) return;
  emitWarning(warning, ...rest);
};
// The compile cache keeps the type-stripped source and V8's code cache of every module between
// runs: a command starts without parsing and compiling the CLI again. Whoever can write the cache
// can run code as us, so it lives in a directory of our own (created 0700, owned by us, not a
// symlink); when that cannot be had, the command runs without it. NODE_DISABLE_COMPILE_CACHE=1
// turns it off.
function privateCacheDir() {
  // getBuiltinModule, not import: see src/main.ts.
  const { lstatSync, mkdirSync } = process.getBuiltinModule("node:fs");
  const { tmpdir } = process.getBuiltinModule("node:os");
  const { join } = process.getBuiltinModule("node:path");
  const uid = process.getuid?.();
  const dir = join(tmpdir(), `heptora-compile-cache-${uid ?? "user"}`);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if (error?.code !== "EEXIST") return undefined;
  }
  try {
    const stat = lstatSync(dir);
    if (!stat.isDirectory()) return undefined;
    if (uid !== undefined && (stat.uid !== uid || (stat.mode & 0o077) !== 0)) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}
const cacheDir = privateCacheDir();
if (cacheDir !== undefined) process.getBuiltinModule("node:module").enableCompileCache(cacheDir);

const { runFromProcess } = await import("../src/main.ts");
await runFromProcess();
