/** Fails fast, in one line, when the Node.js running us is older than the project needs. */
const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
if (major < 24 || (major === 24 && minor < 7)) {
  console.error(
    `Heptora needs Node.js 24.7 or newer (found ${process.versions.node}). Run it through npm (npm test, npm start), which uses the pinned node from node_modules, or install Node.js 24 LTS.`,
  );
  process.exit(1);
}
