/**
 * Logger settings: JSON lines on stdout, for the journal (systemd) or any collector, one line per
 * request from http/request-log.ts (the route pattern, never the URL as sent); the one line that
 * is not JSON is "Heptora platform listening on URL", which tools wait for. Should a request
 * still be serialised, its URL goes without the query string, which may hold a reset token.
 */
import type { FastifyServerOptions } from "fastify";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "silent";

export function loggerOptions(level: LogLevel): FastifyServerOptions["logger"] {
  return {
    level,
    stream: process.stdout,
    serializers: {
      req: (request: { method: string; url: string }) => ({
        method: request.method,
        path: request.url.split("?")[0],
      }),
    },
  };
}
