/**
 * Starts a real robot daemon (`heptora start`) against a platform, in a throw-away data dir with
 * its own key file, for browser tests of the Secrets window; and runs `heptora` commands on it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { openVault } from "@heptora/vault";
import { REPO_ROOT } from "./browser.ts";

const BIN = join(REPO_ROOT, "packages", "robot", "bin", "heptora.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunningRobot {
  dataDir: string;
  /** Runs `heptora <args> --data-dir <dataDir>` (before any `--`) and waits for it. */
  cli(args: readonly string[], input?: string): Promise<CliResult>;
  /** A fresh one-time link from `heptora ui --no-open`. */
  windowLink(): Promise<string>;
  /**
   * A person's value as the vault holds it, read beside the daemon (a second connection): values
   * stay sealed for everyone while no one is signed in (docs/adr/0066), yet they are still there.
   */
  storedValue(person: string, name: string): string | undefined;
  stop(): Promise<void>;
}

export async function startRobot(platformUrl: string): Promise<RunningRobot> {
  // A short path: the daemon's Unix socket path must fit in about 100 bytes.
  const dir = mkdtempSync("/tmp/hw-");
  const dataDir = join(dir, "data");
  const env: NodeJS.ProcessEnv = { NO_COLOR: "1", HEPTORA_KEY_FILE: join(dir, "robot.key") };
  // Not the desktop session: the daemon would open its own sign-in window and tray icon.
  const desktop = new Set(["DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS"]);
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("HEPTORA_") && !desktop.has(key) && value !== undefined) env[key] = value;
  }
  const child = spawn(
    process.execPath,
    [BIN, "start", "--data-dir", dataDir, "--platform", platformUrl],
    {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`robot did not start:\n${output}`)), 30_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Heptora robot running")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`robot exited with ${code}:\n${output}`));
    });
  });

  async function cli(args: readonly string[], input = ""): Promise<CliResult> {
    // Before a `--` (heptora run): what follows it is the automation's command line.
    const end = args.indexOf("--");
    const own =
      end === -1 ? [...args, "--data-dir", dataDir] : args.toSpliced(end, 0, "--data-dir", dataDir);
    const run = spawn(process.execPath, [BIN, ...own], {
      env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    run.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    run.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    run.stdin.end(input);
    const [code] = (await once(run, "close")) as [number | null];
    return { code, stdout, stderr };
  }

  return {
    dataDir,
    cli,
    async windowLink() {
      const result = await cli(["ui", "--no-open"]);
      const link = /http:\/\/127\.0\.0\.1:\d+\/session\/open\?t=[\w-]+/.exec(result.stdout)?.[0];
      if (result.code !== 0 || link === undefined) {
        throw new Error(`heptora ui failed (${result.code}): ${result.stderr}`);
      }
      return link;
    },
    storedValue(person, name) {
      const vault = openVault({ dataDir, keyFile: join(dir, "robot.key") });
      try {
        return vault.getSecret(person, name)?.value;
      } finally {
        vault.close();
      }
    },
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}
