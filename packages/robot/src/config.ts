/**
 * The robot's configuration, resolved once from the command line and the environment
 * (flag > environment variable > default, as the settings table says: settings.ts), validated
 * and frozen. Nothing else in the robot reads `process.env` for its own settings (`heptora run`
 * passes the environment on to the child), and the vault is given its paths from here.
 */
import { socketPathFor } from "./lib/socket-path.ts";
import { insecurePlatform, insecurePlatformMessage } from "./platform/insecure-platform.ts";
import {
  ConfigError,
  type ConfigFlags,
  camelCase,
  type DefaultContext,
  type Setting,
  type Settings,
  settings,
} from "./settings.ts";

export {
  ConfigError,
  type ConfigFlags,
  DEFAULT_PLATFORM_URL,
  DEFAULT_SYNC_INTERVAL_SECONDS,
  DEFAULT_WINDOW_IDLE_MINUTES,
  parsePlatformUrl,
} from "./settings.ts";

export interface RobotConfig extends Settings {
  /** Derived from the data dir (socket-path.ts). */
  readonly socketPath: string;
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
  const resolved: Record<string, unknown> = {};
  const context: DefaultContext = {
    env,
    platform,
    get dataDir() {
      const dataDir = resolved.dataDir;
      if (typeof dataDir !== "string") throw new Error("The data dir is resolved first.");
      return dataDir;
    },
  };
  const config: Record<string, unknown> = {};
  /** Where each setting given came from, to name it in an error. */
  const sources: Record<string, string> = {};
  for (const [key, row] of Object.entries(settings) as [string, Setting<unknown>][]) {
    const fromFlag =
      row.flag === undefined
        ? undefined
        : nonEmpty((flags as Record<string, string | undefined>)[camelCase(row.flag)]);
    const fromEnv = nonEmpty(env[row.env]);
    if (fromFlag !== undefined) {
      resolved[key] = row.parse(fromFlag, `--${row.flag}`, platform);
      sources[key] = `--${row.flag}`;
    } else if (fromEnv !== undefined) {
      resolved[key] = row.parse(fromEnv, row.env, platform);
      sources[key] = row.env;
    } else if (row.lazyDefault !== true) resolved[key] = row.fallback(context);
    else {
      let value: unknown;
      let computed = false;
      Object.defineProperty(config, key, {
        enumerable: true,
        get() {
          if (!computed) [value, computed] = [row.fallback(context), true];
          return value;
        },
      });
      continue;
    }
    config[key] = resolved[key];
  }
  const socketPath = socketPathFor(resolved.dataDir as string, platform);
  if (platform !== "win32" && Buffer.byteLength(socketPath) > 103) {
    throw new ConfigError(
      `The data dir path is too long for the robot's socket (${socketPath}): choose a shorter --data-dir.`,
    );
  }
  config.socketPath = socketPath;
  const platformUrl = resolved.platformUrl;
  if (
    typeof platformUrl === "string" &&
    resolved.allowInsecurePlatform !== true &&
    insecurePlatform(platformUrl)
  ) {
    throw new ConfigError(insecurePlatformMessage(platformUrl, sources.platformUrl ?? "The URL"));
  }
  return Object.freeze(config) as unknown as RobotConfig;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}
