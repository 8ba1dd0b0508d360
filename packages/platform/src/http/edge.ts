/**
 * The edge of the HTTP server (ADR 0069): what reaches the platform before a route runs is
 * answered in the catalogue's error shape with the security headers, like every other error:
 * - a request Node cannot parse (an unknown method such as FOO, a broken request line, headers
 *   too large, a timeout): `clientErrorHandler`, written to the socket;
 * - a path with broken percent-encoding, or a path segment longer than the router takes:
 *   `frameworkErrors`;
 * - a query with broken percent-encoding: checked here, not decoded to U+FFFD;
 * - a method a known path does not take: 405 `method_not_allowed` with an `Allow` header listing
 *   the ones it does (checked before the body is read, so QUERY without a Content-Type is a 405
 *   too); a method on an unknown path: 404 `route_not_found`.
 * None of these is logged with a stack: they are the client's mistakes.
 */
import type { Socket } from "node:net";
import { HeptoraError, PLATFORM_API_PREFIX, SECURITY_HEADERS } from "@heptora/protocol";
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from "fastify";
import type { Route } from "./route.ts";

/** An error rendered the one way, with the security headers set here too: a framework error
 *  answered outside a route may not pass through the onSend hooks. */
export function sendError(reply: FastifyReply, error: HeptoraError): FastifyReply {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
  reply.header("x-request-id", reply.request.id);
  return reply
    .code(error.status)
    .header("cache-control", "no-store")
    .header("content-type", "application/json; charset=utf-8")
    .send(error.toBody());
}

/** Fastify's `frameworkErrors`: a bad URL, a too long path segment. */
export const frameworkErrors: NonNullable<FastifyServerOptions["frameworkErrors"]> = (
  error,
  _request,
  reply,
) => {
  const answer =
    error.code === "FST_ERR_MAX_PARAM_LENGTH"
      ? new HeptoraError("route_not_found", {
          message: "There is no such endpoint: a part of the path is too long.",
          hint: "The API is described at /api/v1/openapi.json.",
        })
      : new HeptoraError("invalid_url", {
          hint: "Encode each byte as % and two hex digits, and text as UTF-8.",
        });
  sendError(reply, answer);
};

/** The raw answer to a request Node's HTTP parser refused (no Fastify request exists). */
function socketAnswer(error: HeptoraError): string {
  const body = JSON.stringify(error.toBody());
  const headers = {
    ...SECURITY_HEADERS,
    "cache-control": "no-store",
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(body)),
    connection: "close",
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `HTTP/1.1 ${error.status} ${STATUS_TEXT[error.status] ?? "Error"}\r\n${lines.join("\r\n")}\r\n\r\n${body}`;
}

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  408: "Request Timeout",
  431: "Request Header Fields Too Large",
};

/** Fastify's `clientErrorHandler`: Node's HTTP parser refused the request. */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === "ECONNRESET" || socket.destroyed || !socket.writable) return;
  const answer =
    error.code === "ERR_HTTP_REQUEST_TIMEOUT"
      ? new HeptoraError("request_timeout", { hint: "Send the whole request promptly." })
      : error.code === "HPE_HEADER_OVERFLOW"
        ? new HeptoraError("headers_too_large", { hint: "Send fewer or shorter headers." })
        : new HeptoraError("malformed_request", {
            message:
              error.code === "HPE_INVALID_METHOD"
                ? "The request's method is not one this server knows."
                : "The request is not valid HTTP.",
            hint: "The API takes GET, POST, PUT, PATCH and DELETE: see /api/v1/openapi.json.",
          });
  socket.end(socketAnswer(answer));
}

/** Whether every %XX in `text` decodes (as UTF-8). `+` is a space in a query, so not checked. */
function isWellEncoded(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

interface PathMethods {
  readonly pattern: RegExp;
  readonly methods: readonly string[];
}

/** `/processes/:id/variables/:name` as a regex over the raw (still encoded) path. */
function patternOf(url: string): RegExp {
  const escaped = url
    .split("/")
    .map((part) =>
      part.startsWith(":")
        ? "[^/]+"
        : part === "*"
          ? ".*"
          : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
    )
    .join("/");
  return new RegExp(`^${escaped}$`);
}

/**
 * The methods each path takes: the API routes, plus `extra` (the OpenAPI document, the probes).
 * GET implies HEAD, as Fastify answers HEAD for every GET route. Any other path outside /api
 * belongs to the web app, which takes GET and HEAD.
 */
export function methodTable(
  routes: readonly Route[],
  extra: readonly { method: string; url: string }[],
): PathMethods[] {
  const byUrl = new Map<string, Set<string>>();
  const add = (url: string, method: string) => {
    const set = byUrl.get(url) ?? new Set<string>();
    set.add(method);
    if (method === "GET") set.add("HEAD");
    byUrl.set(url, set);
  };
  for (const route of routes) add(`${PLATFORM_API_PREFIX}${route.url}`, route.method);
  for (const { method, url } of extra) add(url, method);
  return [...byUrl].map(([url, methods]) => ({
    pattern: patternOf(url),
    methods: [...methods].sort(),
  }));
}

/** The methods `path` takes; undefined when no route has that path. */
export function allowedMethods(table: readonly PathMethods[], path: string): string[] | undefined {
  const matching = table.filter((entry) => entry.pattern.test(path));
  if (matching.length > 0) return [...new Set(matching.flatMap((entry) => entry.methods))].sort();
  if (path === "/api" || path.startsWith("/api/")) return undefined;
  return ["GET", "HEAD"];
}

/**
 * Before anything else reads the request: a query with broken percent-encoding is 400
 * `invalid_url`; a method the path does not take is 405 with `Allow`, or 404 on an unknown path.
 */
export function installRequestChecks(app: FastifyInstance, table: readonly PathMethods[]): void {
  app.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
    const [path = "", query] = splitUrl(request.url);
    if (query !== undefined && !isWellEncoded(query.replaceAll("+", " "))) {
      throw new HeptoraError("invalid_url", {
        message: "The query string has a broken percent-encoding (%XX).",
        hint: "Encode each byte as % and two hex digits, and text as UTF-8.",
      });
    }
    const allowed = allowedMethods(table, path);
    if (allowed === undefined) throw routeNotFound(request.method, path);
    if (allowed.includes(request.method)) return;
    reply.header("allow", allowed.join(", "));
    throw new HeptoraError("method_not_allowed", {
      message: `${path.slice(0, 200)} does not take ${request.method.slice(0, 20)}.`,
      hint: `It takes ${allowed.join(", ")}.`,
      details: { allow: allowed },
    });
  });
}

function splitUrl(url: string): [string, string | undefined] {
  const at = url.indexOf("?");
  return at === -1 ? [url, undefined] : [url.slice(0, at), url.slice(at + 1)];
}

export function routeNotFound(method: string, path: string): HeptoraError {
  return new HeptoraError("route_not_found", {
    message: `There is no endpoint ${method.slice(0, 20)} ${path.slice(0, 200)}.`,
    hint: "The API is described at /api/v1/openapi.json.",
  });
}
