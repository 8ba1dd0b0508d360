/**
 * The `heptora` command line: finds the command, parses its options strictly, builds the config
 * once (flag > environment > default) and runs it. Exit codes: 0 success, 1 failure (one line
 * saying why), 2 wrong usage, 130 cancelled at a prompt. The daemon (`heptora start`) is one of
 * the commands; every other command is its client over the local socket.
 */
import type { ParseArgsOptionsConfig } from "node:util";
import { isHeptoraError } from "@heptora/protocol/errors";
import {
  type CliIo,
  type Command,
  globalOptions,
  type OptionValues,
  PromptAborted,
  UsageError,
  writeLine,
} from "./cli/command.ts";
import { commands } from "./cli/commands/index.ts";
import type { RobotClient } from "./cli/robot-client.ts";
import { ConfigError, parseConfig } from "./config.ts";
import { flagsFrom, settingsUsage } from "./settings.ts";
import { VERSION } from "./version.ts";

// Builtins through getBuiltinModule, not `import`: an ESM import of a builtin evaluates all of its
// lazy exports (node:fs loads fs/promises, node:crypto webcrypto...), a cost on every CLI start
// (docs/adr/0061).
const { parseArgs } = process.getBuiltinModule("node:util");

export async function main(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CliIo,
): Promise<number> {
  const separator = argv.indexOf("--");
  const head = separator < 0 ? [...argv] : argv.slice(0, separator);
  const rest = separator < 0 ? [] : argv.slice(separator + 1);

  const words = commandWords(head);
  const command = findCommand(words);
  if (command === undefined && (head[0] === "--version" || head[0] === "-v")) {
    writeLine(io.stdout, `heptora ${VERSION}`);
    return 0;
  }
  if (command === undefined) {
    const wantsHelp = words.length === 0 || words[0] === "help";
    if (wantsHelp) {
      writeLine(io.stdout, helpText());
      return 0;
    }
    writeLine(io.stderr, unknownCommand(words));
    return 2;
  }

  try {
    const nameWords = command.name.split(" ").length;
    const { values, positionals } = parseArgs({
      args: head,
      options: { ...globalOptions, ...command.options },
      allowPositionals: true,
      strict: true,
    });
    if (values.help === true) {
      writeLine(io.stdout, `Usage: ${command.usage}\n${command.summary}`);
      return 0;
    }
    const args = positionals.slice(nameWords);
    if (args.length < command.args.min) throw new UsageError("Missing argument.");
    if (args.length > command.args.max) {
      throw new UsageError(
        command.takesRest === true
          ? "Put -- between the process name and the command to run."
          : (command.tooManyArgs ??
              `Too many arguments: 'heptora ${command.name}' takes ${command.args.max === 0 ? "none" : `at most ${command.args.max}`}.`),
      );
    }
    if (rest.length > 0 && command.takesRest !== true) {
      throw new UsageError("This command takes no arguments after --.");
    }
    const config = parseConfig(flagsFrom(values), env);
    const [{ run }, { createRobotClient }] = await Promise.all([
      command.load(),
      import("./cli/robot-client.ts"),
    ]);
    let client: RobotClient | undefined;
    return await run({
      config,
      args,
      options: values as OptionValues,
      rest,
      io,
      env,
      client: () => {
        client ??= createRobotClient({ dataDir: config.dataDir, socketPath: config.socketPath });
        return client;
      },
    });
  } catch (error) {
    return report(error, command, io);
  }
}

function report(error: unknown, command: Command, io: CliIo): number {
  if (error instanceof PromptAborted) {
    writeLine(io.stderr, "Cancelled.");
    return 130;
  }
  if (error instanceof UsageError || isParseArgsError(error)) {
    writeLine(io.stderr, `${(error as Error).message} Usage: ${command.usage}`);
    return 2;
  }
  if (error instanceof ConfigError) {
    writeLine(io.stderr, error.message);
    return 2;
  }
  if (isHeptoraError(error)) {
    writeLine(
      io.stderr,
      error.hint === undefined ? error.message : `${error.message} ${error.hint}`,
    );
    return 1;
  }
  // Unknown errors: a name and a message, never a stack full of local state.
  const message = error instanceof Error ? error.message : String(error);
  writeLine(io.stderr, `heptora ${command.name} failed: ${message}`);
  return 1;
}

/**
 * "Unknown command": the words are repeated only when they look like a mistyped command (close to
 * a real one), never when they could be something else the person typed there, such as a value.
 */
function unknownCommand(words: readonly string[]): string {
  const known = new Set(commands.flatMap((c) => c.name.split(" ")));
  const plausible = words.every(
    (word) => known.has(word) || [...known].some((k) => closeTo(word, k)),
  );
  if (plausible && words.length > 0) {
    return `Unknown command 'heptora ${words.join(" ")}'. Run 'heptora --help'.`;
  }
  const group = words[0] !== undefined && known.has(words[0]) ? ` 'heptora ${words[0]}' ...` : "";
  return `Unknown command${group} (the word is not repeated here, in case it was a value). Run 'heptora --help'.`;
}

/** Whether `word` is at most two edits away from `target` (a typo), by Levenshtein distance. */
function closeTo(word: string, target: string): boolean {
  if (Math.abs(word.length - target.length) > 2) return false;
  let previous = Array.from({ length: target.length + 1 }, (_, i) => i);
  for (let i = 1; i <= word.length; i++) {
    const current = [i];
    for (let j = 1; j <= target.length; j++) {
      const cost = word[i - 1] === target[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
    }
    previous = current;
  }
  return (previous[target.length] ?? 0) <= 2;
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_");
}

/** The leading words of the command line that are not options (nor option values). */
function commandWords(head: readonly string[]): string[] {
  const all: ParseArgsOptionsConfig = { ...globalOptions };
  for (const command of commands) Object.assign(all, command.options);
  const { positionals } = parseArgs({
    args: [...head],
    options: all,
    allowPositionals: true,
    strict: false,
  });
  return positionals.slice(0, 2);
}

function findCommand(words: readonly string[]): Command | undefined {
  const two = words.slice(0, 2).join(" ");
  return commands.find((c) => c.name === two) ?? commands.find((c) => c.name === (words[0] ?? ""));
}

export function helpText(): string {
  const width = Math.max(...commands.map((c) => c.usage.length));
  return [
    "Heptora robot: keeps your automations' secrets on this machine.",
    "",
    "Usage:",
    ...commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    `  ${"heptora --version".padEnd(width)}  print the version`,
    "",
    ...settingsUsage(),
  ].join("\n");
}

/** Entry point of bin/heptora.js. */
export async function runFromProcess(): Promise<void> {
  // `heptora status | head -1`: the reader closed the pipe; that is its choice, not a failure,
  // and a stack trace would be noise. Stop quietly.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
      process.exit(process.exitCode ?? 0);
    });
  }
  // process.stdin is built on first use (a stream over fs or a socket, fs/promises): only the
  // commands that read it pay for it (docs/adr/0082, "Start-up"). isatty(0) is what its isTTY says.
  const { isatty } = process.getBuiltinModule("node:tty");
  process.exitCode = await main(process.argv.slice(2), process.env, {
    stdout: process.stdout,
    stderr: process.stderr,
    get stdin() {
      return process.stdin;
    },
    interactive: isatty(0),
  });
}
