/**
 * Runs the real `heptora` bin as a child process: one-shot commands, and the daemon
 * (`heptora start`) waited on until it prints its ready line.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";

export const HEPTORA_BIN = join(import.meta.dirname, "..", "..", "bin", "heptora.js");

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A desktop session's variables: a test that wants a desktop passes its own. */
const DESKTOP_VARIABLES = new Set(["DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS"]);

/**
 * The environment of a spawned heptora: ours without HEPTORA_* and without the desktop session
 * (no window or tray icon pops up on the developer's screen), plus `extra`.
 */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("HEPTORA_") && !DESKTOP_VARIABLES.has(key)) env[key] = value;
  }
  for (const [key, value] of Object.entries(extra)) {
    if (value !== undefined) env[key] = value;
  }
  return env;
}

export async function heptora(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string } = {},
): Promise<CliResult> {
  const child = spawn(process.execPath, [HEPTORA_BIN, ...args], {
    env: options.env ?? cleanEnv(),
    cwd: options.cwd,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  child.stdin.end(options.input ?? "");
  const [code, signal] = (await once(child, "close")) as [number | null, NodeJS.Signals | null];
  return { code, signal, stdout, stderr };
}

export interface RunningDaemon {
  child: ChildProcess;
  readonly stdout: string;
  readonly stderr: string;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL (no clean shutdown) and wait. */
  kill9(): Promise<void>;
}

export async function startDaemon(options: {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  platformUrl?: string;
  timeoutMs?: number;
  /** More switches for `heptora start` (--tray, --browser PATH). */
  args?: readonly string[];
}): Promise<RunningDaemon> {
  const args = ["start", "--data-dir", options.dataDir, ...(options.args ?? [])];
  if (options.platformUrl !== undefined) args.push("--platform", options.platformUrl);
  const child = spawn(process.execPath, [HEPTORA_BIN, ...args], {
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const exited = once(child, "exit");
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`heptora start did not get ready in time. stderr: ${stderr}`));
    }, options.timeoutMs ?? 20_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      if (stdout.includes("Heptora robot running")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`heptora start exited with ${code}: ${stderr}`));
    });
  });
  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      const [code] = (await exited) as [number | null];
      return code;
    },
    async kill9() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGKILL");
      await exited;
    },
  };
}
