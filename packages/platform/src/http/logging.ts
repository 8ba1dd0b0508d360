/**
 * Logger settings: JSON lines on stderr (stdout carries only the "listening" line), and request
 * URLs logged without their query string, which may hold a reset token.
 */
import type { FastifyServerOptions } from "fastify";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "silent";

export function loggerOptions(level: LogLevel): FastifyServerOptions["logger"] {
  return {
    level,
    stream: process.stderr,
    serializers: {
      req: (request: { method: string; url: string }) => ({
        method: request.method,
        path: request.url.split("?")[0],
      }),
    },
  };
}
