/** Runs the real `heptora-platform` binary, as an operator would. */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { createInterface } from "node:readline";

export const BIN = join(import.meta.dirname, "..", "..", "bin", "heptora-platform.js");

export interface Served {
  readonly url: string;
  readonly child: ChildProcess;
  /** Sends SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `serve` and resolves once it printed its listening line. */
export async function serve(args: readonly string[], cwd: string): Promise<Served> {
  const child = spawn(
    process.execPath,
    [BIN, "serve", "--port", "0", "--log-level", "warn", ...args],
    {
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const exited = once(child, "exit");
  const url = await Promise.race([
    (async () => {
      for await (const line of lines) {
        const match = /^Heptora platform listening on (http:\/\/\S+)$/.exec(line);
        if (match?.[1] !== undefined) return match[1];
      }
      throw new Error(`heptora-platform closed stdout without listening: ${stderr}`);
    })(),
    exited.then(([code]) => {
      throw new Error(`heptora-platform exited with ${code}: ${stderr}`);
    }),
  ]);
  return {
    url,
    child,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      const [code] = await exited;
      return code as number | null;
    },
  };
}

/** Runs a command to completion. */
export async function run(
  args: readonly string[],
  options: { cwd: string; stdin?: string },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, stdio: "pipe" });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += String(chunk);
  });
  child.stderr.on("data", (chunk) => {
    stderr += String(chunk);
  });
  child.stdin.end(options.stdin ?? "");
  const [code] = await once(child, "exit");
  return { code: code as number | null, stdout, stderr };
}
