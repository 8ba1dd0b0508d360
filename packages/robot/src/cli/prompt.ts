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

/** Bracketed paste (xterm, and every common terminal): a paste arrives between these. */
const PASTE_MODE_ON = "\u001b[?2004h";
const PASTE_MODE_OFF = "\u001b[?2004l";
const PASTE_START = "\u001b[200~";
const PASTE_END = "\u001b[201~";

/** One line break at the end of a paste (a copied line often carries one): not part of it. */
const TRAILING_LINE_BREAK = /(?:\r\n|\r|\n)$/;

/**
 * A masked prompt on a terminal; Ctrl-C aborts (exit code 130), Ctrl-D ends the input.
 *
 * The prompt takes one line (docs/adr/0073). A multi-line paste is refused whole, with
 * `multiLineHint` saying where such a value goes, never cut at its first line break: the terminal
 * is asked for bracketed paste, so a paste is told apart from typing even when it ends with a
 * line break (which is dropped, as a copied line often carries one); a terminal without it sends
 * a paste as typed text, where a line break followed by more text in the same read is a paste.
 */
export function promptHidden(
  io: CliIo,
  question: string,
  multiLineHint = "Pass a value with line breaks on standard input instead.",
): Promise<string> {
  const { stdin, stderr } = io;
  return new Promise((resolve, reject) => {
    let value = "";
    /** The text of a paste in progress; undefined while typing. */
    let pasted: string | undefined;
    // Raw (no echo) before the question shows: what is typed as soon as it shows is not echoed.
    stdin.setRawMode?.(true);
    const bracketed = stdin.setRawMode !== undefined;
    if (bracketed) stderr.write(PASTE_MODE_ON);
    stderr.write(question);
    stdin.resume();
    const finish = (error?: Error) => {
      if (bracketed) stderr.write(PASTE_MODE_OFF);
      stdin.setRawMode?.(false);
      stdin.pause();
      stdin.off("data", onData);
      stderr.write("\n");
      if (error === undefined) resolve(value);
      else reject(error);
    };
    const multiLine = () =>
      finish(
        new UsageError(
          `What was pasted has line breaks, and this prompt takes one line: nothing was changed. ${multiLineHint}`,
        ),
      );
    const type = (char: string) => {
      if (char < " " || char === "\u007f") return;
      value += char;
      stderr.write("*");
    };
    const onData = (data: Buffer | string) => {
      const text = data.toString();
      let i = 0;
      while (i < text.length) {
        if (text.startsWith(PASTE_START, i)) {
          pasted = "";
          i += PASTE_START.length;
          continue;
        }
        if (text.startsWith(PASTE_END, i)) {
          const body = (pasted ?? "").replace(TRAILING_LINE_BREAK, "");
          pasted = undefined;
          i += PASTE_END.length;
          if (/[\r\n]/.test(body)) return multiLine();
          for (const char of body) type(char);
          continue;
        }
        const char = String.fromCodePoint(text.codePointAt(i) ?? 0);
        i += char.length;
        if (pasted !== undefined) {
          pasted += char;
          continue;
        }
        if (char === "\r" || char === "\n" || char === "\u0004") {
          // More than line breaks after it in the same read: a paste the terminal did not bracket.
          if (/[^\r\n]/.test(text.slice(i))) return multiLine();
          return finish();
        }
        if (char === "\u0003") return finish(new PromptAborted());
        if (char === "\u007f" || char === "\b") {
          if (value.length > 0) {
            value = [...value].slice(0, -1).join("");
            stderr.write("\b \b");
          }
          continue;
        }
        type(char);
      }
    };
    stdin.on("data", onData);
  });
}
