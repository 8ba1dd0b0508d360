/**
 * One log line per request (ADR 0084), for the journal and any log shipper: the request id, the
 * method, the ROUTE PATTERN (`/api/v1/processes/:id`, never the URL as sent: a reset token rides
 * in a query string and ids are nobody's business in a log), the status, the duration in
 * milliseconds and the client address. Never a header, a cookie, a query or a body.
 *
 * The request id is the platform's own (`req_` and 16 hex digits), sent back as `X-Request-Id`
 * on every answer and quoted by a 500's body. An incoming `X-Request-Id` is kept only from a
 * trusted reverse proxy (`--trust-proxy`) and only when well-formed, so a proxy's id ties its
 * access log to ours while a client cannot write into our log.
 *
 * A probe that succeeds (`/healthz`, `/readyz` answering 200, which a load balancer asks every
 * few seconds) is logged at debug level, so the journal is not mostly health checks; a failing
 * probe is logged like any request.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { FastifyInstance } from "fastify";
import { PROBE_PATHS } from "./health.ts";

export const REQUEST_ID_HEADER = "x-request-id";

/** What a proxy's id may look like: HAProxy's unique-id, nginx's $request_id, a UUID. */
const WELL_FORMED_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** Fastify's `genReqId`: the trusted proxy's id when well-formed, else a fresh one. */
export function requestIdGenerator(
  trusts: (address: string) => boolean,
): (raw: IncomingMessage) => string {
  return (raw) => {
    const sent = raw.headers[REQUEST_ID_HEADER];
    const peer = raw.socket?.remoteAddress;
    if (
      typeof sent === "string" &&
      WELL_FORMED_ID.test(sent) &&
      peer !== undefined &&
      trusts(peer)
    ) {
      return sent;
    }
    return `req_${randomBytes(8).toString("hex")}`;
  };
}

/** `X-Request-Id` on every answer, and the one access-log line when it is sent. */
export function installRequestLog(app: FastifyInstance): void {
  app.addHook("onRequest", async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url;
    const quiet = reply.statusCode === 200 && route !== undefined && PROBE_PATHS.has(route);
    request.log[quiet ? "debug" : "info"](
      {
        method: request.method,
        route: route ?? null,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
        ip: request.ip,
      },
      "request",
    );
  });
}
