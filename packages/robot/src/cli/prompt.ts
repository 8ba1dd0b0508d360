/**
 * Reading what the user types: a visible line (email), a masked line (password, secret value:
 * each character echoes as `*`), or everything on standard input (`--value-stdin`,
 * `--password-stdin`). Values read here go to the daemon and nowhere else.
 */
import { createInterface } from "node:readline/promises";
import type { CliIo } from "./command.ts";
import { PromptAborted, UsageError } from "./command.ts";

/** Reads all of standard input; drops one trailing newline (as `echo value |` adds one). */
export async function readAllStdin(io: CliIo, maxBytes = 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of io.stdin) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    total += buffer.length;
    if (total > maxBytes) throw new UsageError("Standard input is too large.");
    chunks.push(buffer);
  }
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

export async function promptLine(io: CliIo, question: string): Promise<string> {
  const rl = createInterface({ input: io.stdin, output: io.stderr, terminal: true });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

/** A masked prompt on a terminal; Ctrl-C aborts (exit code 130), Ctrl-D ends the input. */
export function promptHidden(io: CliIo, question: string): Promise<string> {
  const { stdin, stderr } = io;
  return new Promise((resolve, reject) => {
    let value = "";
    stderr.write(question);
    stdin.setRawMode?.(true);
    stdin.resume();
    const finish = (error?: Error) => {
      stdin.setRawMode?.(false);
      stdin.pause();
      stdin.off("data", onData);
      stderr.write("\n");
      if (error === undefined) resolve(value);
      else reject(error);
    };
    const onData = (data: Buffer | string) => {
      for (const char of data.toString()) {
        if (char === "\r" || char === "\n" || char === "\u0004") return finish();
        if (char === "\u0003") return finish(new PromptAborted());
        if (char === "\u007f" || char === "\b") {
          if (value.length > 0) {
            value = [...value].slice(0, -1).join("");
            stderr.write("\b \b");
          }
          continue;
        }
        if (char < " ") continue;
        value += char;
        stderr.write("*");
      }
    };
    stdin.on("data", onData);
  });
}
