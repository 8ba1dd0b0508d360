/**
 * The robot's settings, in one table: for each, the command-line flag (if any), the environment
 * variable, how a value is parsed and checked, and the default. The table drives the global
 * options of every command (`parseArgs`), the resolution flag > environment > default
 * (config.ts), and the settings part of `heptora --help`. Adding a setting is adding a row.
 *
 * Cheap to import (no vault, no zod): every command, `heptora --help` included, loads it.
 */
import { absolutePath, defaultDataDir, defaultKeyFilePath } from "./paths.ts";

type Env = Readonly<Record<string, string | undefined>>;

/** What a default may depend on: the environment, the platform, the settings resolved before. */
export interface DefaultContext {
  env: Env;
  platform: NodeJS.Platform;
  /** The data dir, resolved first (the key file's default is derived from it). */
  readonly dataDir: string;
}

export interface Setting<T> {
  /** The long option, without `--`; undefined when only the environment sets it. */
  flag: string | undefined;
  /** The value's placeholder in the usage text. */
  placeholder: string;
  env: string;
  description: string;
  /** How the default reads in the usage text. */
  defaultText: string;
  /** Parses a non-empty value; throws ConfigError naming `source` (the flag or variable). */
  parse(raw: string, source: string, platform: NodeJS.Platform): T;
  fallback(context: DefaultContext): T;
  /** A switch: the flag takes no value (`--allow-insecure-platform`), the variable 1/0. */
  boolean?: true;
  /**
   * The default is computed on first read, not at start-up: for a default that cannot fail and
   * costs (the key file's hashes the data dir with node:crypto, which only the daemon needs).
   */
  lazyDefault?: true;
}

/** A configuration problem: one line naming the flag or variable, for the user. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

export const DEFAULT_PLATFORM_URL = "http://127.0.0.1:8080";
export const DEFAULT_SYNC_INTERVAL_SECONDS = 30;
export const DEFAULT_WINDOW_IDLE_MINUTES = 15;

function setting<T>(row: Setting<T>): Setting<T> {
  return row;
}

/** Resolved in this order (the key file's default needs the data dir). */
export const settings = {
  dataDir: setting({
    flag: "data-dir",
    placeholder: "D",
    env: "HEPTORA_HOME",
    description: "where the robot keeps its vault",
    defaultText: "the OS default",
    parse: (raw, _source, platform) => absolutePath(raw, platform),
    fallback: ({ env, platform }) => defaultDataDir({ env, platform }),
  }),
  platformUrl: setting<string | undefined>({
    flag: "platform",
    placeholder: "URL",
    env: "HEPTORA_PLATFORM_URL",
    description: "the platform to sign in to",
    defaultText: `the one signed in with, else ${DEFAULT_PLATFORM_URL}`,
    parse: (raw, source) => parsePlatformUrl(raw, source),
    fallback: () => undefined,
  }),
  keyFile: setting({
    flag: "key-file",
    placeholder: "F",
    env: "HEPTORA_KEY_FILE",
    description: "the key file that opens the vault",
    defaultText: "one per data dir under the OS config dir",
    parse: (raw, _source, platform) => absolutePath(raw, platform),
    fallback: ({ env, platform, dataDir }) => defaultKeyFilePath({ dataDir, env, platform }),
    lazyDefault: true,
  }),
  browser: setting<string | undefined>({
    flag: "browser",
    placeholder: "PATH",
    env: "HEPTORA_BROWSER",
    description: "the Chromium-family browser that shows the Secrets window",
    defaultText: "Edge, Chrome or Chromium where installed",
    parse: (raw, _source, platform) => absolutePath(raw, platform),
    fallback: () => undefined,
  }),
  syncIntervalMs: setting({
    flag: undefined,
    placeholder: "SECONDS",
    env: "HEPTORA_SYNC_INTERVAL",
    description: "seconds between two syncs with the platform",
    defaultText: String(DEFAULT_SYNC_INTERVAL_SECONDS),
    parse: (raw, source) =>
      Math.round(numberBetween(raw, source, 0.1, 86_400, "a number of seconds") * 1000),
    fallback: () => DEFAULT_SYNC_INTERVAL_SECONDS * 1000,
  }),
  allowInsecurePlatform: setting<boolean>({
    flag: "allow-insecure-platform",
    placeholder: "",
    env: "HEPTORA_ALLOW_INSECURE_PLATFORM",
    description: "accept a plain-http platform URL to another machine (docs/adr/0073)",
    defaultText: "no",
    boolean: true,
    parse: (raw, source) => parseSwitch(raw, source),
    fallback: () => false,
  }),
  windowIdleMs: setting({
    flag: undefined,
    placeholder: "MINUTES",
    env: "HEPTORA_UI_IDLE_MINUTES",
    description: "minutes without activity that end a Secrets window session",
    defaultText: String(DEFAULT_WINDOW_IDLE_MINUTES),
    parse: (raw, source) =>
      Math.round(numberBetween(raw, source, 1, 1440, "a number of minutes") * 60_000),
    fallback: () => DEFAULT_WINDOW_IDLE_MINUTES * 60_000,
  }),
  // Key slots (docs/adr/0078).
  autoLockMs: setting({
    flag: "auto-lock-minutes",
    placeholder: "MINUTES",
    env: "HEPTORA_AUTO_LOCK_MINUTES",
    description: "lock the vault after this many minutes without use (0: never)",
    defaultText: "0",
    parse: (raw, source) =>
      Math.round(numberBetween(raw, source, 0, 10_080, "a number of minutes") * 60_000),
    fallback: () => 0,
  }),
  passphraseFile: setting<string | undefined>({
    flag: undefined,
    placeholder: "FILE",
    env: "HEPTORA_VAULT_PASSPHRASE_FILE",
    description: "a file (mode 0600) whose passphrase unlocks the vault at start, unattended",
    defaultText: "none",
    parse: (raw, _source, platform) => absolutePath(raw, platform),
    fallback: () => undefined,
  }),
  osKeychain: setting<boolean>({
    flag: undefined,
    placeholder: "",
    env: "HEPTORA_OS_KEYCHAIN",
    description:
      "use the OS keychain (Secret Service, Keychain, Credential Manager) where reachable",
    defaultText: "yes",
    boolean: true,
    parse: (raw, source) => parseSwitch(raw, source),
    fallback: () => true,
  }),
} as const;

export type SettingKey = keyof typeof settings;

/** The resolved settings. */
export type Settings = {
  readonly [K in SettingKey]: (typeof settings)[K] extends Setting<infer T> ? T : never;
};

type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

type FlagName = {
  [K in SettingKey]: (typeof settings)[K]["flag"];
}[SettingKey] &
  string;

/** The settings a command line can carry, by camel-cased flag name (`--data-dir` -> dataDir). */
export type ConfigFlags = { [F in FlagName as CamelCase<F>]?: string | undefined };

export function camelCase(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** The `parseArgs` options every command accepts: one per setting with a flag, and --help. */
export function settingOptions(): Record<
  string,
  { type: "string" } | { type: "boolean"; short?: string }
> {
  const options: Record<string, { type: "string" } | { type: "boolean"; short?: string }> = {};
  for (const row of Object.values(settings) as Setting<unknown>[]) {
    if (row.flag !== undefined) {
      options[row.flag] = row.boolean === true ? { type: "boolean" } : { type: "string" };
    }
  }
  options.help = { type: "boolean", short: "h" };
  return options;
}

/** The ConfigFlags out of parseArgs values. */
export function flagsFrom(values: Readonly<Record<string, unknown>>): ConfigFlags {
  const flags: Record<string, string | undefined> = {};
  for (const row of Object.values(settings) as Setting<unknown>[]) {
    const value = row.flag === undefined ? undefined : values[row.flag];
    if (row.flag !== undefined && typeof value === "string") flags[camelCase(row.flag)] = value;
    if (row.flag !== undefined && value === true) flags[camelCase(row.flag)] = "1";
  }
  return flags;
}

/** The settings part of `heptora --help`. */
export function settingsUsage(): string[] {
  const rows = Object.values(settings) as Setting<unknown>[];
  const left = (row: Setting<unknown>) =>
    row.flag === undefined ? row.env : `--${row.flag}${row.boolean ? "" : ` ${row.placeholder}`}`;
  const width = Math.max(...rows.map((row) => left(row).length));
  const line = (row: Setting<unknown>) =>
    `  ${left(row).padEnd(width)}  ${row.description} (${
      row.flag === undefined ? "" : `else ${row.env}, `
    }else ${row.defaultText})`;
  return [
    "Every command takes:",
    ...rows.filter((row) => row.flag !== undefined).map(line),
    "Set in the environment only:",
    ...rows.filter((row) => row.flag === undefined).map(line),
  ];
}

/** A platform base URL: http(s), no credentials, no query; the trailing slash removed. */
export function parsePlatformUrl(input: string, source: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new ConfigError(`${source} is not a URL: expected e.g. http://127.0.0.1:8080.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(`${source} must be an http:// or https:// URL.`);
  }
  if (url.username !== "" || url.password !== "") {
    throw new ConfigError(`${source} must not carry a user name or password.`);
  }
  if (url.search !== "" || url.hash !== "") {
    throw new ConfigError(`${source} must not carry a query or fragment.`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/** A switch in the environment: 1/true/yes/on or 0/false/no/off. */
function parseSwitch(raw: string, source: string): boolean {
  const value = raw.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(value)) return true;
  if (["0", "false", "no", "off"].includes(value)) return false;
  throw new ConfigError(`${source} must be 1 or 0 (or true/false, yes/no, on/off).`);
}

function numberBetween(raw: string, source: string, min: number, max: number, what: string) {
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new ConfigError(`${source} must be ${what} between ${min} and ${max}.`);
  }
  return value;
}
