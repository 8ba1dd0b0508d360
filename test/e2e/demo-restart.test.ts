/**
 * Issue 14: `npm start`'s demo robot keeps its key where a restart with the printed command finds
 * it. Before, npm start put the key file in ./.heptora/robot.key (told to the robot through
 * HEPTORA_KEY_FILE), and `heptora --data-dir .heptora/robot start`, as the messages suggest,
 * failed with "The vault's key file is missing". A demo folder of that older layout is moved to
 * the default place once. Runs the real `npm start` script in a temporary demo folder and home.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { cleanEnv, heptora, startDaemon } from "../../packages/robot/test/support/cli.ts";
import { makeTempDir } from "../../packages/robot/test/support/temp.ts";

const root = join(import.meta.dirname, "..", "..");
const temp = makeTempDir("demo-");
after(() => temp.remove());

function demoEnv(name: string): NodeJS.ProcessEnv {
  const home = join(temp.path, name, "home");
  mkdirSync(home, { recursive: true, mode: 0o700 });
  return cleanEnv({
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    HEPTORA_DEMO_HOME: join(temp.path, name, "demo"),
  });
}

/** `npm start` until it has printed everything; returns what it printed. */
async function npmStart(env: NodeJS.ProcessEnv): Promise<string> {
  const child: ChildProcess = spawn(
    process.execPath,
    [join(root, "scripts", "start.ts"), "--port", "0"],
    { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  let err = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    err += chunk.toString("utf8");
  });
  const exited = once(child, "exit");
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not finish: ${err}`)), 60_000);
    child.stdout?.on("data", () => {
      if (out.includes("Stop with Ctrl+C")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}: ${err}`));
    });
  });
  child.kill("SIGINT");
  await exited;
  return out;
}

/** The printed restart command, run as printed (npx heptora = the bin), until it is ready. */
async function restartAsPrinted(printed: string, env: NodeJS.ProcessEnv) {
  const line = printed.match(/Restart the robot alone: +npx heptora (.+)$/m)?.[1];
  assert.ok(line, printed);
  const args = line.trim().split(/\s+/);
  const dataDir = args[args.indexOf("--data-dir") + 1] as string;
  assert.equal(args.at(-1), "start");
  const daemon = await startDaemon({ dataDir: join(root, dataDir), env });
  return { daemon, dataDir: join(root, dataDir) };
}

describe("npm start's demo robot", () => {
  test("restarts with the printed command: its key is where heptora start looks", async () => {
    const env = demoEnv("fresh");
    const printed = await npmStart(env);
    assert.match(printed, /Heptora robot \(data dir .*\): signed in as /);
    const { daemon, dataDir } = await restartAsPrinted(printed, env);
    try {
      const status = await heptora(["--data-dir", dataDir, "vault", "status", "--json"], { env });
      assert.equal(status.code, 0, status.stderr);
      assert.equal(JSON.parse(status.stdout).locked, false);
    } finally {
      await daemon.stop();
    }
  });

  test("a demo folder whose key file sits in .heptora/robot.key is moved once, then restarts", async () => {
    const env = demoEnv("older");
    const demo = env.HEPTORA_DEMO_HOME as string;
    const oldKey = join(demo, "robot.key");
    // The older npm start: the robot's key file beside its data dir, known only through the env.
    const older = await startDaemon({
      dataDir: join(demo, "robot"),
      env: { ...env, HEPTORA_KEY_FILE: oldKey },
    });
    await older.stop();
    assert.ok(existsSync(oldKey));
    const printed = await npmStart(env);
    assert.equal(existsSync(oldKey), false, "moved to the default place");
    const { daemon } = await restartAsPrinted(printed, env);
    const status = await heptora(["--data-dir", join(demo, "robot"), "vault", "status", "--json"], {
      env,
    });
    await daemon.stop();
    assert.equal(JSON.parse(status.stdout).locked, false);
  });
});
