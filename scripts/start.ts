/**
 * `npm start`: the platform on http://127.0.0.1:8080 with SQLite in ./.heptora/, a demo
 * administrator created on first start, and how to sign in. Flags of `heptora-platform serve`
 * pass through: `npm start -- --port 9090`.
 */
import "./node-version.ts";
import { join } from "node:path";
import { buildWebApps } from "./web-build.ts";

// node:sqlite's "experimental" warning tells a newcomer nothing.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: never[]) => {
  const text = typeof warning === "string" ? warning : warning.message;
  if (text.includes("SQLite is an experimental feature")) return;
  emitWarning(warning, ...rest);
}) as typeof process.emitWarning;

const { ensureDemoAccount, parseConfig, StartError, startPlatform } = await import(
  "@heptora/platform"
);

const root = join(import.meta.dirname, "..");
const dataDir = join(root, ".heptora");

buildWebApps();

const config = (() => {
  try {
    return parseConfig(
      [
        "serve",
        "--db",
        join(dataDir, "platform.db"),
        "--outbox",
        join(dataDir, "outbox"),
        "--log-level",
        "warn",
        ...process.argv.slice(2),
      ],
      process.env,
    );
  } catch (error) {
    console.error(`npm start: ${error instanceof Error ? error.message : error}`);
    process.exit(2);
  }
})();
if (config.command !== "serve") process.exit(2);

let platform: Awaited<ReturnType<typeof startPlatform>>;
try {
  platform = await startPlatform(config);
} catch (error) {
  console.error(`npm start: ${error instanceof StartError ? error.message : String(error)}`);
  process.exit(1);
}
const demo = await ensureDemoAccount(platform.db, platform.app, dataDir, config.publicUrl);

console.log(`Heptora platform listening on ${platform.url}`);
console.log("");
if (demo.password !== undefined) {
  console.log(`  Sign in at ${platform.url} as ${demo.email}`);
  console.log(`  with the password ${demo.password}`);
  console.log(
    demo.created
      ? `  (a demo administrator created just now; the password is kept in ${demo.credentialsFile})`
      : `  (the demo administrator; password from ${demo.credentialsFile})`,
  );
} else {
  console.log(`  Sign in at ${platform.url} with your administrator account.`);
}
console.log(`  Mail (password reset links) goes to the ${platform.mail}.`);
console.log(`  Data: ${dataDir}. Stop with Ctrl+C.`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    platform.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
