/**
 * Starts the automation as a child of `heptora run`: same working directory, the environment it
 * is given, stdin inherited, stdout and stderr piped through the masker. Forwards SIGINT, SIGTERM
 * and SIGHUP to the child and reports its exit code, or 128 + the signal number when a signal
 * ended it (as shells do).
 *
 * On POSIX the child starts in a session of its own (setsid, `detached`), so it has no
 * controlling terminal: opening /dev/tty fails (ENXIO), and nothing it prints can go around the
 * masked pipes (docs/adr/0075). It keeps the inherited stdin (a terminal stays readable), and
 * signals go to its whole process group, as Ctrl-C in a terminal would.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { constants } from "node:os";
import type { Readable, Writable } from "node:stream";
import { createMarkerCounter, maskedCount } from "./mask-count.ts";
import { createMaskingTransform, type MaskingTransform } from "./masking-stream.ts";

const FORWARDED_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

export interface RunChildOptions {
  command: string;
  args: readonly string[];
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Values to replace with `***` in the child's output (each with its disguises). */
  mask: readonly string[];
  /**
   * Values learnt while the child runs (set or changed meanwhile): `subscribe` gets the function
   * that adds them to the masks, and returns the unsubscribe function.
   */
  maskUpdates?: (learn: (values: readonly string[]) => void) => () => void;
  stdout: Writable;
  stderr: Writable;
  /** Where signals arrive (the `heptora run` process); injectable for tests. */
  signalSource?: Pick<NodeJS.Process, "on" | "off">;
}

export interface ChildOutcome {
  exitCode: number;
  /** Set when the child could not be started at all. */
  startError?: string;
  /** The signal that ended the child, if one did. */
  signal?: string;
  /** How many values were masked per stream (counts only, for the run's record). */
  masked: { stdout: number; stderr: number };
}

export async function runChild(options: RunChildOptions): Promise<ChildOutcome> {
  const child = spawn(options.command, [...options.args], {
    cwd: options.cwd,
    env: options.env as NodeJS.ProcessEnv,
    stdio: ["inherit", "pipe", "pipe"],
    windowsHide: true,
    // A new session: no controlling terminal to write around the masks (not on Windows, where
    // detached means a new console window).
    detached: process.platform !== "win32",
  });
  const signalSource = options.signalSource ?? process;
  const forward = (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    if (process.platform !== "win32" && child.pid !== undefined) {
      try {
        process.kill(-child.pid, signal);
        return;
      } catch {
        // The group is gone already (or never formed): the child itself below.
      }
    }
    child.kill(signal);
  };
  for (const signal of FORWARDED_SIGNALS) signalSource.on(signal, forward);

  const maskings = [createMaskingTransform(options.mask), createMaskingTransform(options.mask)];
  const unsubscribe = options.maskUpdates?.((values) => {
    for (const masking of maskings) masking.learn(values);
  });
  const outputs = [
    pump(child.stdout, options.stdout, maskings[0] as MaskingTransform),
    pump(child.stderr, options.stderr, maskings[1] as MaskingTransform),
  ];
  try {
    const outcome = await new Promise<Omit<ChildOutcome, "masked">>((resolve) => {
      child.once("error", (error: NodeJS.ErrnoException) => {
        const reason =
          error.code === "ENOENT"
            ? `Cannot start '${options.command}': command not found.`
            : error.code === "EACCES"
              ? `Cannot start '${options.command}': permission denied.`
              : `Cannot start '${options.command}': ${error.code ?? error.message}.`;
        resolve({ exitCode: error.code === "ENOENT" ? 127 : 126, startError: reason });
      });
      child.once("close", (code, signal) => {
        if (code !== null) resolve({ exitCode: code });
        else {
          const number = signal === null ? 0 : (constants.signals[signal] ?? 0);
          resolve({ exitCode: 128 + number, ...(signal !== null && { signal }) });
        }
      });
    });
    const [stdout, stderr] = await Promise.all(outputs);
    return { ...outcome, masked: { stdout: stdout ?? 0, stderr: stderr ?? 0 } };
  } finally {
    unsubscribe?.();
    for (const signal of FORWARDED_SIGNALS) signalSource.off(signal, forward);
  }
}

/** Child stream -> masker -> destination, without ending the destination (it is our stdout). */
async function pump(
  source: Readable | null,
  destination: Writable,
  masking: MaskingTransform,
): Promise<number> {
  if (source === null) return 0;
  // The run record's masked count (mask-count.ts): markers out minus markers in.
  const written = createMarkerCounter();
  const shown = createMarkerCounter();
  source.on("data", (chunk: Buffer) => written.feed(chunk));
  masking.on("data", (chunk: Buffer) => shown.feed(chunk));
  source.pipe(masking);
  masking.pipe(destination, { end: false });
  source.on("error", (error) => masking.destroy(error));
  try {
    await once(masking, "end");
  } catch {
    // A broken child pipe ends its output; the exit code still tells the story.
  }
  return maskedCount(written, shown);
}
