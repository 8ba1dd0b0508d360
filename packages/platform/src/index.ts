/**
 * @heptora/platform: the web platform as a library, for the `heptora-platform` binary, for
 * `npm start` (scripts/start.ts) and for tests.
 */
export { type AppDeps, buildApp, PLATFORM_VERSION } from "./app.ts";
export { type Config, ConfigError, parseConfig, type ServeConfig } from "./config.ts";
export { createAdmin } from "./create-admin.ts";
export { openDatabase } from "./db/open-db.ts";
export type { SqlDb } from "./db/sql-db.ts";
export { type DemoAccount, ensureDemoAccount } from "./demo.ts";
export {
  type PlatformOptions,
  type RunningPlatform,
  StartError,
  startPlatform,
} from "./start-platform.ts";
