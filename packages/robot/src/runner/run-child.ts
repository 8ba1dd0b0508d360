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
import { constants } from "node:os";
import type { Readable, Writable } from "node:stream";
import { createMarkerCounter, maskedCount } from "./mask-count.ts";
import { createMaskingOutput } from "./masking-stream.ts";

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

  const outputs = [
    pumpMasked(child.stdout, options.stdout, options.mask),
    pumpMasked(child.stderr, options.stderr, options.mask),
  ];
  const unsubscribe = options.maskUpdates?.((values) => {
    for (const output of outputs) output.learn(values);
  });
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
    const [stdout, stderr] = await Promise.all(outputs.map((output) => output.done));
    return { ...outcome, masked: { stdout: stdout ?? 0, stderr: stderr ?? 0 } };
  } finally {
    unsubscribe?.();
    for (const signal of FORWARDED_SIGNALS) signalSource.off(signal, forward);
  }
}

/**
 * Child stream -> masker -> destination, without ending the destination (it is our stdout).
 * The masker's output goes straight to the destination as views of the child's chunks (no
 * Transform stream, no copies: docs/adr/0075, "Performance"); when the destination is full, the
 * child's stream pauses until it drains. `done` settles with the masked count once the child's
 * stream has ended and what was held is written.
 */
function pumpMasked(
  source: Readable | null,
  destination: Writable,
  values: readonly string[],
): { learn(values: readonly string[]): void; done: Promise<number> } {
  if (source === null) return { learn: () => {}, done: Promise.resolve(0) };
  // The run record's masked count (mask-count.ts): markers out minus markers in.
  const written = createMarkerCounter();
  const shown = createMarkerCounter();
  let waiting = false;
  const resume = () => {
    waiting = false;
    source.resume();
  };
  const masking = createMaskingOutput(values, (parts) => {
    const several = parts.length > 1;
    // Several views of one chunk leave in one write where the destination can (writev).
    if (several) destination.cork();
    let room = true;
    for (const part of parts) {
      shown.feed(part);
      room = destination.write(part) && room;
    }
    if (several) destination.uncork();
    // A write as large as the destination's buffer reports it full even when it went out at
    // once (stdout to a pipe, a file or a terminal writes synchronously on Linux): pause only
    // while something is actually queued.
    if (!room && !waiting && destination.writableLength > 0) {
      waiting = true;
      source.pause();
      destination.once("drain", resume);
    }
  });
  source.on("data", (chunk: Buffer) => {
    written.feed(chunk);
    masking.write(chunk);
  });
  const done = new Promise<number>((resolve) => {
    let ended = false;
    const finish = () => {
      if (ended) return;
      ended = true;
      // A broken child pipe ends its output too; the exit code still tells the story.
      masking.end();
      destination.off("drain", resume);
      resolve(maskedCount(written, shown));
    };
    source.once("end", finish);
    source.once("error", finish);
    source.once("close", finish);
  });
  return { learn: (more) => masking.learn(more), done };
}
