#!/usr/bin/env node
// The `heptora` command. Checks the Node.js version in one line, then runs the TypeScript sources
// directly (Node's type stripping; see docs/adr/0001).
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
const { runFromProcess } = await import("../src/main.ts");
await runFromProcess();
