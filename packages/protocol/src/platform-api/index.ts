/**
 * Schemas and types of the platform HTTP API (`/api/v1`). The platform validates with them; the
 * robot and the web app parse answers with them. Paths are in `PlatformApiPaths`.
 */
export * from "./api-tokens.ts";
export * from "./audit.ts";
export * from "./auth.ts";
export * from "./common.ts";
export * from "./patch.ts";
export * from "./paths.ts";
export * from "./processes.ts";
export * from "./robots.ts";
export * from "./users.ts";
