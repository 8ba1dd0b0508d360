/**
 * `heptora ARGS` on a pseudo-terminal (`script`), for the masked prompts: what it shows, typing
 * into it, its exit code.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { HEPTORA_BIN } from "./cli.ts";

export function onTerminal(args: string[], env: NodeJS.ProcessEnv) {
  const quote = (word: string) => `'${word.replaceAll("'", "'\\''")}'`;
  const command = [process.execPath, HEPTORA_BIN, ...args].map(quote).join(" ");
  const child = spawn("script", ["-qfec", command, "/dev/null"], {
    env: { ...env, SHELL: "/bin/sh" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let shown = "";
  const waiters: { text: string; count: number; resolve: () => void }[] = [];
  const occurrences = (text: string) => shown.split(text).length - 1;
  child.stdout.on("data", (chunk: Buffer) => {
    shown += chunk.toString("utf8");
    for (const w of [...waiters]) {
      if (occurrences(w.text) >= w.count) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  const exited = once(child, "exit");
  return {
    get shown() {
      return shown;
    },
    /** Resolves once `text` has been shown `count` times. */
    waitFor(text: string, count = 1): Promise<void> {
      if (occurrences(text) >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ text, count, resolve }));
    },
    type(text: string) {
      child.stdin.write(text);
    },
    async exitCode(): Promise<number | null> {
      const [code] = (await exited) as [number | null];
      child.stdin.end();
      return code;
    },
  };
}
