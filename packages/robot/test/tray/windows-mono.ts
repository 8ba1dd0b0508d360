/**
 * For the tests that drive the real heptora-tray.exe: Mono, an Xvfb display for WinForms (:87, no
 * other test uses it), the helper built by scripts/tray-build.ts, and a client that writes the
 * daemon's lines and reads the helper's events. Missing Mono or Xvfb fails in one line that says
 * what to install: the tests never skip silently.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { buildTrayHelper, TRAY_HELPER } from "../../../../scripts/tray-build.ts";
import {
  decodeEvent,
  encodeCommand,
  type TrayCommand,
  type TrayEvent,
} from "../../src/tray/windows/tray-protocol.ts";

export const XVFB_DISPLAY = 87;
export const MONO_TEST_INSTALL =
  "apt-get install -y mono-mcs mono-runtime libmono-system-windows-forms4.0-cil libgdiplus xvfb";
const WAIT_MS = 30_000;

function which(program: string): string | undefined {
  const found = spawnSync("sh", ["-c", `command -v ${program}`], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

/** Mono's absolute path, with the helper built; throws one line saying what to install. */
export function requireMonoHelper(): { mono: string; helper: string } {
  const mono = which("mono");
  if (!mono || !which("Xvfb")) {
    throw new Error(`The Windows tray tests need Mono and Xvfb: ${MONO_TEST_INSTALL}`);
  }
  const outcome = buildTrayHelper();
  if (outcome === "no-mcs" || outcome === "no-winforms") {
    throw new Error(
      `The Windows tray tests need Mono's compiler and WinForms: ${MONO_TEST_INSTALL}`,
    );
  }
  return { mono, helper: TRAY_HELPER };
}

export interface Display {
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/** Xvfb on :87, ready when it writes its display number to the fd given by -displayfd. */
export async function startXvfb(): Promise<Display> {
  const xvfb = spawn(
    "Xvfb",
    [`:${XVFB_DISPLAY}`, "-displayfd", "3", "-nolisten", "tcp", "-screen", "0", "800x600x24"],
    { stdio: ["ignore", "ignore", "pipe", "pipe"] },
  );
  let said = "";
  xvfb.stderr?.on("data", (chunk: Buffer) => {
    said = (said + chunk.toString()).slice(-2000);
  });
  const exited = new Promise<void>((resolve) => xvfb.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("Xvfb did not start in time.")), WAIT_MS);
    xvfb.stdio[3]?.on("data", () => {
      clearTimeout(timer);
      resolve();
    });
    xvfb.once("exit", () => {
      clearTimeout(timer);
      const line = said.split("\n").find((l) => /already active|error/i.test(l)) ?? said.trim();
      reject(new Error(`Xvfb :${XVFB_DISPLAY} did not start: ${line}`));
    });
    xvfb.once("error", (error) => reject(error));
  });
  return {
    env: { ...process.env, DISPLAY: `:${XVFB_DISPLAY}` },
    async stop() {
      if (xvfb.exitCode === null && xvfb.signalCode === null) xvfb.kill();
      await exited;
    },
  };
}

/** Resolves with `promise`, or fails after WAIT_MS naming what did not happen: no test hangs. */
export function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out waiting for ${what}.`)), WAIT_MS);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

const started = new Set<ChildProcess>();

/** Tracks a child for killAll(). */
export function track<T extends ChildProcess>(child: T): T {
  started.add(child);
  child.once("exit", () => started.delete(child));
  return child;
}

/** Ends every helper a test left running (after a failure), so the run never hangs on one. */
export function killAll(): void {
  for (const child of started) child.kill("SIGKILL");
}

/** The daemon's end of one helper: raw writes, decoded events, how it ended. */
export class HelperClient {
  readonly child: ChildProcess;
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly stderr: string[] = [];
  private readonly events: TrayEvent[] = [];
  private wake: (() => void) | undefined;
  private buffered = "";

  constructor(mono: string, helper: string, env: NodeJS.ProcessEnv) {
    this.child = track(spawn(mono, [helper], { env, stdio: ["pipe", "pipe", "pipe"] }));
    this.child.stdin?.on("error", () => {});
    this.child.stdout?.setEncoding("utf8");
    this.child.stdout?.on("data", (chunk: string) => {
      this.buffered += chunk;
      let at = this.buffered.indexOf("\n");
      while (at >= 0) {
        this.events.push(decodeEvent(this.buffered.slice(0, at)));
        this.buffered = this.buffered.slice(at + 1);
        at = this.buffered.indexOf("\n");
      }
      this.wake?.();
    });
    this.child.stderr?.setEncoding("utf8");
    this.child.stderr?.on("data", (chunk: string) => this.stderr.push(chunk));
    this.exited = new Promise((resolve) =>
      this.child.once("exit", (code, signal) => {
        this.wake?.();
        resolve({ code, signal });
      }),
    );
  }

  /** How the helper ended (fails if it has not within the wait). */
  exit(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return within(this.exited, "the helper to exit");
  }

  write(raw: string): void {
    this.child.stdin?.write(raw);
  }

  send(command: TrayCommand): void {
    this.write(encodeCommand(command));
  }

  /** The next event, in order. */
  async next(): Promise<TrayEvent> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const event = this.events.shift();
      if (event) return event;
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`The helper exited before answering: ${this.stderr.join("").trim()}`);
      }
      if (Date.now() > deadline) throw new Error("The helper did not answer in time.");
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        this.wake = () => {
          clearTimeout(timer);
          this.wake = undefined;
          resolve();
        };
      });
    }
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
  }
}
