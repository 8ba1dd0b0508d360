/**
 * The real `heptora-platform` as a service manager runs it: a process configured by its
 * arguments and environment only (the systemd unit's EnvironmentFile), whose stdout (the journal)
 * is kept line by line.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { createInterface } from "node:readline";
import { BIN } from "./spawn.ts";

export interface ServiceProcess {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Every stdout line so far. */
  stdout(): string[];
  /** Every stderr byte so far. */
  stderr(): string;
  /** The JSON lines of stdout, parsed. */
  logs(): Record<string, unknown>[];
  /** Resolves with the first stdout line matching, already written or still to come. */
  waitForLine(pattern: RegExp): Promise<string>;
  /** Resolves with the exit code once the process ended. */
  exited: Promise<number | null>;
  /** SIGTERM if still running; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts `heptora-platform ...args` with exactly `env` (plus PATH) and resolves once it printed
 * its listening line; rejects with its stderr when it exits first.
 */
export async function startService(
  args: readonly string[],
  env: Record<string, string>,
  cwd: string,
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
    lines.push(line);
    for (const waiter of waiters.splice(0)) {
      if (waiter.pattern.test(line)) waiter.resolve(line);
      else waiters.push(waiter);
    }
  });
  const exited = once(child, "exit").then(([code]) => code as number | null);
  const waitForLine = (pattern: RegExp) => {
    const seen = lines.find((line) => pattern.test(line));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise<string>((resolve, reject) => {
      waiters.push({ pattern, resolve });
      exited.then((code) =>
        reject(new Error(`heptora-platform exited with ${code} before ${pattern}: ${stderr}`)),
      );
    });
  };
  const listening = await waitForLine(/^Heptora platform listening on http:\/\/\S+$/);
  const url = listening.replace("Heptora platform listening on ", "");
  return {
    url,
    port: Number(new URL(url).port),
    child,
    stdout: () => [...lines],
    stderr: () => stderr,
    logs: () =>
      lines
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    waitForLine,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

/** A port on 127.0.0.1 that nothing listens on (taken, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  server.close();
  await once(server, "close");
  return port;
}
