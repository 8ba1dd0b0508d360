/**
 * The shape of a `heptora` command: its description in cli/commands/index.ts (name, usage,
 * options: what parsing and `--help` need) and its implementation, one file per command under
 * cli/commands/, loaded only when that command runs. A command gets a context with the parsed
 * config, its arguments, the terminal streams and a lazily created client of the daemon, and
 * returns an exit code.
 */
import type { Readable, Writable } from "node:stream";
import type { ParseArgsOptionsConfig } from "node:util";
import type { RobotConfig } from "../config.ts";
import { settingOptions } from "../settings.ts";
import type { RobotClient } from "./robot-client.ts";
import { terminalSafe } from "./terminal-text.ts";

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  /** Whether stdin is a terminal we may prompt on. */
  interactive: boolean;
}

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

export interface CommandContext {
  config: RobotConfig;
  /** Positional arguments after the command words. */
  args: string[];
  options: OptionValues;
  /** Arguments after `--` (only `heptora run` takes them). */
  rest: string[];
  io: CliIo;
  env: Readonly<Record<string, string | undefined>>;
  client(): RobotClient;
}

export interface Command {
  /** The command words, e.g. "secrets set". */
  name: string;
  usage: string;
  summary: string;
  options?: ParseArgsOptionsConfig;
  args: { min: number; max: number };
  /** Whether arguments after `--` are expected. */
  takesRest?: boolean;
  /**
   * What to say when there are more arguments than `args.max`, for a command where a stray
   * argument is likely a value or a password (the argument itself is never repeated).
   */
  tooManyArgs?: string;
  /** The implementation, imported on demand (`() => import("./status.ts")`). */
  load(): Promise<{ run: CommandRun }>;
}

export type CommandRun = (context: CommandContext) => Promise<number>;

/** Options every command accepts: the settings with a flag (settings.ts), and --help. */
export const globalOptions: ParseArgsOptionsConfig = settingOptions();

/** A problem with how the command was called: printed with the usage line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * Writes one line (or several, for a table) for a person at a terminal. Control and escape
 * sequences are shown as visible text (terminal-text.ts): platform text can carry them.
 */
export function writeLine(stream: Writable, line = ""): void {
  stream.write(`${terminalSafe(line)}\n`);
}

export function stringOption(options: OptionValues, name: string): string | undefined {
  const value = options[name];
  return typeof value === "string" ? value : undefined;
}

export function flag(options: OptionValues, name: string): boolean {
  return options[name] === true;
}

export function printJson(io: CliIo, value: unknown): void {
  writeLine(io.stdout, JSON.stringify(value, null, 2));
}

/** Ctrl-C at a prompt (prompt.ts): exit code 130. */
export class PromptAborted extends Error {
  constructor() {
    super("Cancelled.");
    this.name = "PromptAborted";
  }
}
