/**
 * One error handler for the whole API: a HeptoraError is rendered as
 * `{ error: { code, message, hint?, details? } }` with its status; Fastify's own errors (body
 * too large, malformed JSON, wrong media type) are mapped to catalogue codes; a ZodError thrown
 * past a route's own parsing is rendered like a route's validation failure; anything else is a
 * 500 `internal_error` carrying only a request id, the detail going to the log.
 */
import { fromZodError, HeptoraError, safeEcho } from "@heptora/protocol";
import type { FastifyError, FastifyInstance } from "fastify";
import { ZodError } from "zod";
import { isDiskFull } from "../db/sql-db.ts";

export const BODY_LIMIT_BYTES = 1024 * 1024;

function fromFastify(error: FastifyError): HeptoraError | undefined {
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new HeptoraError("body_too_large", {
        message: "The request body is larger than 1 MiB.",
      });
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new HeptoraError("unsupported_media_type", {
        hint: "Send the body with Content-Type: application/json.",
      });
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return new HeptoraError("invalid_json", {
        message: "The request body is empty but its Content-Type says JSON.",
      });
    case "FST_ERR_ROUTE_MISSING_CONTENT_TYPE":
      return new HeptoraError("unsupported_media_type", {
        message: `A ${error.message.split("'")[1] ?? "request"} request needs a Content-Type.`,
        hint: "Send the body with Content-Type: application/json.",
      });
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return new HeptoraError("invalid_json");
    default:
      if (error instanceof SyntaxError && error.statusCode === 400) {
        return new HeptoraError("invalid_json");
      }
      return undefined;
  }
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    let known =
      error instanceof HeptoraError
        ? error
        : error instanceof ZodError
          ? fromZodError(error)
          : fromFastify(error);
    if (known === undefined && isDiskFull(error)) {
      // The operator's problem, said once per refused write, without a stack (ADR 0069).
      request.log.error(
        { code: (error as { code?: unknown }).code },
        "The disk is full: a write was refused and rolled back.",
      );
      known = new HeptoraError("disk_full", {
        hint:
          "Nothing of this change was saved; earlier changes are safe. Free space on the " +
          "platform's disk (or ask its operator to), then try again.",
      });
    }
    if (known === undefined) {
      request.log.error({ err: error }, "unhandled error");
      known = new HeptoraError("internal_error", {
        hint: `If it happens again, report it with request id ${request.id}.`,
        details: { requestId: request.id },
      });
    }
    if (known.retryAfterSeconds !== undefined) {
      reply.header("retry-after", String(Math.max(1, Math.ceil(known.retryAfterSeconds))));
    }
    return reply.code(known.status).send(known.toBody());
  });

  app.setNotFoundHandler((request, reply) => {
    const error = new HeptoraError("route_not_found", {
      message: `There is no endpoint ${safeEcho(`${request.method} ${request.url.split("?")[0]}`, 200)}.`,
      hint: "The API is described at /api/v1/openapi.json.",
    });
    return reply.code(error.status).send(error.toBody());
  });
}
