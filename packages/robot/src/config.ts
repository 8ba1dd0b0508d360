/**
 * The robot's configuration, parsed once from the command line and the environment
 * (flag > environment variable > default), validated and frozen. Nothing else in the robot reads
 * `process.env` for its own settings (`heptora run` passes the environment on to the child).
 *
 * | setting       | flag           | environment             | default                      |
 * | ------------- | -------------- | ----------------------- | ---------------------------- |
 * | data dir      | `--data-dir`   | `HEPTORA_HOME`          | the OS convention (vault)    |
 * | platform URL  | `--platform`   | `HEPTORA_PLATFORM_URL`  | the one signed in with, else http://127.0.0.1:8080 |
 * | key file      | `--key-file`   | `HEPTORA_KEY_FILE`      | under the OS config dir      |
 * | sync interval |                | `HEPTORA_SYNC_INTERVAL` | 30 (seconds)                 |
 * | window idle   |                | `HEPTORA_UI_IDLE_MINUTES` | 15 (Secrets window session) |
 */
import { posix, win32 } from "node:path";
import { defaultKeyFilePath, resolveDataDir } from "@heptora/vault";
import { socketPathFor } from "./lib/socket-path.ts";

export const DEFAULT_PLATFORM_URL = "http://127.0.0.1:8080";
export const DEFAULT_SYNC_INTERVAL_SECONDS = 30;
export const DEFAULT_WINDOW_IDLE_MINUTES = 15;

export interface RobotConfig {
  readonly dataDir: string;
  readonly socketPath: string;
  readonly keyFile: string;
  /** Set when `--platform` or `HEPTORA_PLATFORM_URL` names one; else undefined. */
  readonly platformUrl: string | undefined;
  readonly syncIntervalMs: number;
  /** Inactivity after which a Secrets window session ends. */
  readonly windowIdleMs: number;
}

/** The settings a command line can carry; every command accepts them. */
export interface ConfigFlags {
  dataDir?: string | undefined;
  platform?: string | undefined;
  keyFile?: string | undefined;
}

/** A configuration problem: one line naming the flag or variable, for the user. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/**
 * @example
 * parseConfig({ dataDir: "/tmp/r" }, { HEPTORA_SYNC_INTERVAL: "5" });
 * // { dataDir: "/tmp/r", socketPath: "/tmp/r/robot.sock", syncIntervalMs: 5000, ... }
 */
export function parseConfig(
  flags: ConfigFlags,
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform = process.platform,
): RobotConfig {
  const dataDir = resolveDataDir({ dataDir: nonEmpty(flags.dataDir), env, platform });
  const keyFlag = nonEmpty(flags.keyFile);
  const keyFile =
    keyFlag !== undefined
      ? (platform === "win32" ? win32 : posix).resolve(keyFlag)
      : defaultKeyFilePath({ dataDir, env, platform });
  const platformFlag = nonEmpty(flags.platform);
  const platformEnv = nonEmpty(env.HEPTORA_PLATFORM_URL);
  const platformUrl =
    platformFlag !== undefined
      ? parsePlatformUrl(platformFlag, "--platform")
      : platformEnv !== undefined
        ? parsePlatformUrl(platformEnv, "HEPTORA_PLATFORM_URL")
        : undefined;
  const socketPath = socketPathFor(dataDir, platform);
  if (platform !== "win32" && Buffer.byteLength(socketPath) > 103) {
    throw new ConfigError(
      `The data dir path is too long for the robot's socket (${socketPath}): choose a shorter --data-dir.`,
    );
  }
  return Object.freeze({
    dataDir,
    socketPath,
    keyFile,
    platformUrl,
    syncIntervalMs: parseSyncInterval(env.HEPTORA_SYNC_INTERVAL),
    windowIdleMs: parseWindowIdle(env.HEPTORA_UI_IDLE_MINUTES),
  });
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

function parseSyncInterval(raw: string | undefined): number {
  const text = nonEmpty(raw);
  if (text === undefined) return DEFAULT_SYNC_INTERVAL_SECONDS * 1000;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 0.1 || seconds > 86_400) {
    throw new ConfigError(
      "HEPTORA_SYNC_INTERVAL must be a number of seconds between 0.1 and 86400.",
    );
  }
  return Math.round(seconds * 1000);
}

function parseWindowIdle(raw: string | undefined): number {
  const text = nonEmpty(raw);
  if (text === undefined) return DEFAULT_WINDOW_IDLE_MINUTES * 60_000;
  const minutes = Number(text);
  if (!Number.isFinite(minutes) || minutes < 1 || minutes > 1440) {
    throw new ConfigError(
      "HEPTORA_UI_IDLE_MINUTES must be a number of minutes between 1 and 1440.",
    );
  }
  return Math.round(minutes * 60_000);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}
