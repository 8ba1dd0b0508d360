/**
 * @heptora/protocol: the schemas, types and error codes of every message that crosses a boundary.
 * No I/O: this package may be imported by every other one, the browser UIs included.
 */
export * from "./echo.ts";
export * from "./error-body.ts";
export * from "./errors.ts";
export * from "./fields.ts";
export * from "./names.ts";
export * from "./platform-api/index.ts";
export * from "./robot-api/index.ts";
export * from "./validation-errors.ts";
export * from "./web-security.ts";
