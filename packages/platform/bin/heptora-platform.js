#!/usr/bin/env node
// heptora-platform: checks the Node.js version before loading the TypeScript sources, which
// need Node's type stripping (24.7+ also brings crypto.argon2).
const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
if (major < 24 || (major === 24 && minor < 7)) {
  console.error(
    `heptora-platform: needs Node.js 24.7 or newer (found ${process.versions.node}). Run it with the Node.js from the repository (npm start, npx) or install Node.js 24 LTS.`,
  );
  process.exit(1);
}

// node:sqlite prints an "experimental" warning on first use; it tells an operator nothing.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  const text = typeof warning === "string" ? warning : warning?.message;
  if (typeof text === "string" && text.includes("SQLite is an experimental feature")) return;
  emitWarning(warning, ...rest);
};

const { main } = await import("../src/main.ts");
process.exitCode = await main(process.argv.slice(2), process.env, process);
