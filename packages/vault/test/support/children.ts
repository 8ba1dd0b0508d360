/** Spawning writer-child.ts and reading its acknowledgements line by line (no sleeps). */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";

const CHILD = join(import.meta.dirname, "writer-child.ts");

export interface Child {
  process: ChildProcessWithoutNullStreams;
  lines: string[];
  /** Resolves with the line that satisfies `predicate` (already seen or still to come). */
  waitFor(predicate: (line: string, index: number) => boolean): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

export function spawnWriter(args: string[]): Child {
  const child = spawn(process.execPath, ["--no-warnings", CHILD, ...args], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const waiters: {
    predicate: (line: string, index: number) => boolean;
    resolve: (l: string) => void;
  }[] = [];
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  createInterface({ input: child.stdout }).on("line", (line) => {
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(line, lines.length - 1)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stderr: string;
  }>((resolve) => {
    child.on("exit", (code, signal) => {
      // Let the last buffered stdout lines arrive before reporting the exit.
      child.stdout.on("close", () => resolve({ code, signal, stderr }));
      if (child.stdout.closed) resolve({ code, signal, stderr });
    });
  });
  return {
    process: child,
    lines,
    waitFor(predicate) {
      const seen = lines.findIndex((line, i) => predicate(line, i));
      if (seen >= 0) return Promise.resolve(lines[seen] as string);
      return new Promise((resolve, reject) => {
        waiters.push({ predicate, resolve });
        void exited.then(({ code, signal, stderr: err }) =>
          reject(new Error(`child exited (${code ?? signal}) before the line came: ${err}`)),
        );
      });
    },
    exited,
  };
}

/** "ack NAME VERSION" lines as [name, version]. */
export function acks(lines: readonly string[]): [string, number][] {
  return lines
    .filter((l) => l.startsWith("ack "))
    .map((l) => {
      const [, name, version] = l.split(" ");
      return [name ?? "", Number(version)];
    });
}
