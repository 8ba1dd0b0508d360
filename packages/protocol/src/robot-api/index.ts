/**
 * Schemas and types of the robot local API: HTTP/1.1 over the robot's Unix socket (or named
 * pipe). `GET /v1/secrets/{name}` and `GET /v1/secrets` (the declared names) serve automations
 * (run token); `/v1/manage/*` serves the `heptora` CLI (management token). Errors are
 * `{ error: { code, message, hint? } }` with codes from errors.ts.
 */
export * from "./environment.ts";
export * from "./manage-api.ts";
export * from "./run-api.ts";
export * from "./run-records.ts";
export * from "./vault-keys.ts";
