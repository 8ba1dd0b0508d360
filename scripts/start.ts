/**
 * `npm start`: the platform on http://127.0.0.1:8080 (SQLite in ./.heptora/) and a robot beside it
 * (data dir ./.heptora/robot, its key where `heptora start --data-dir` finds it: the OS keychain,
 * or the data dir's default key file; scripts/demo-robot-key.ts), with a demo
 * administrator and a demo process "Invoice Processing" on first start. The robot is signed in as
 * the demo administrator, so the Secrets window opens on the demo's variables. Prints the URLs,
 * how to sign in, and the commands to use the robot. Flags of `heptora-platform serve` pass
 * through: `npm start -- --port 9090`.
 */
import "./node-version.ts";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { join, relative } from "node:path";
import { moveDemoKeyToDefault } from "./demo-robot-key.ts";
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
// HEPTORA_DEMO_HOME: another folder than ./.heptora (the tests use a temporary one).
const dataDir = process.env.HEPTORA_DEMO_HOME ?? join(root, ".heptora");
const robotDataDir = join(dataDir, "robot");
const heptoraBin = join(root, "packages", "robot", "bin", "heptora.js");
const shown = (path: string) => relative(process.cwd(), path) || ".";

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
// With --public-url, the platform answers only to that address (ADR 0069): people and the robot
// use it; without one, the address it listens on.
const ownUrl = config.publicUrl ?? platform.url;
const demo = await ensureDemoAccount(platform.db, platform.app, dataDir, ownUrl);

// The robot's key goes where a plain `heptora start --data-dir` finds it again (issue 14).
const movedKey = moveDemoKeyToDefault({
  oldKeyFile: join(dataDir, "robot.key"),
  robotDataDir,
  env: process.env,
});
if (movedKey !== undefined) console.error(`The demo robot's key file moved to ${movedKey}.`);
const robotEnv = process.env;

/** Starts `heptora start` and resolves once it prints its ready line. */
async function startRobot(): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [heptoraBin, "start", "--data-dir", robotDataDir, "--platform", ownUrl],
    { env: robotEnv, stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stderr?.pipe(process.stderr);
  let out = "";
  child.stdout?.setEncoding("utf8");
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: string) => {
      out += chunk;
      if (out.includes("Heptora robot running")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`the robot stopped at start (exit ${code})`)));
  });
  return child;
}

/** Runs a `heptora` client command; its output is returned, not shown. */
async function heptora(args: string[], input?: string): Promise<{ code: number; out: string }> {
  const child = spawn(process.execPath, [heptoraBin, ...args, "--data-dir", robotDataDir], {
    env: robotEnv,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  child.stdin.end(input ?? "");
  const [code] = (await once(child, "exit")) as [number | null];
  return { code: code ?? 1, out: out.trim() };
}

let robot: ChildProcess | undefined;
let robotNote: string;
try {
  robot = await startRobot();
  const status = JSON.parse((await heptora(["status", "--json"])).out) as { signedIn?: boolean };
  if (status.signedIn === true || demo.password === undefined) {
    robotNote = status.signedIn === true ? "signed in" : "not signed in";
  } else {
    const login = await heptora(
      ["login", "--email", demo.email, "--password-stdin"],
      `${demo.password}\n`,
    );
    robotNote = login.code === 0 ? `signed in as ${demo.email}` : `not signed in (${login.out})`;
  }
} catch (error) {
  robotNote = `not running: ${error instanceof Error ? error.message : String(error)}`;
}

// Ctrl+C stops the robot, then the platform. Listening before the first line is printed: a
// signal that came between the hint "Stop with Ctrl+C" and the listener would end this process
// at once and leave the robot running without it.
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    const stopRobot = async (): Promise<void> => {
      if (robot === undefined || robot.exitCode !== null) return;
      robot.kill("SIGTERM");
      await once(robot, "exit");
    };
    const robotStopped = stopRobot();
    Promise.all([robotStopped, platform.close()]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

const cli = `npx heptora --data-dir ${shown(robotDataDir)}`;
console.log(`Heptora platform listening on ${platform.url}`);
console.log("");
if (demo.password !== undefined) {
  console.log(`  Sign in at ${ownUrl} as ${demo.email}`);
  console.log(`  with the password ${demo.password}`);
  console.log(
    demo.created
      ? `  (a demo administrator created just now; the password is kept in ${shown(demo.credentialsFile)})`
      : `  (the demo administrator; password from ${shown(demo.credentialsFile)})`,
  );
} else {
  console.log(`  Sign in at ${ownUrl} with your administrator account.`);
}
console.log(`  Mail (password reset links) goes to the ${platform.mail}.`);
console.log("");
console.log(`Heptora robot (data dir ${shown(robotDataDir)}): ${robotNote}`);
console.log("");
console.log(`  Open the Secrets window:    ${cli} ui`);
console.log(`  List the demo's secrets:    ${cli} secrets list`);
console.log(`  Set them from the terminal: ${cli} secrets set SAP_USER  (then SAP_PASSWORD)`);
console.log(
  `  Run an automation:          PYTHONPATH=sdk-python ${cli} run "Invoice Processing" -- python3 examples/python-invoice/main.py`,
);
console.log(`  What each run read:         ${cli} runs list`);
console.log(`  Its key protection:         ${cli} vault status`);
console.log(`  Restart the robot alone:    ${cli} start`);
console.log("");
console.log(`  Data: ${shown(dataDir)}. Stop with Ctrl+C.`);

robot?.once("exit", (code) => {
  if (!stopping) console.error(`The robot stopped (exit ${code}); the platform goes on.`);
});
