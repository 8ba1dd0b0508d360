/**
 * The OpenAPI 3.1 document, generated from the routes' zod schemas (z.toJSONSchema speaks JSON
 * Schema 2020-12, the dialect of OpenAPI 3.1). Served at /api/v1/openapi.json.
 */
import {
  CSRF_HEADER,
  ErrorCatalogue,
  type ErrorCode,
  PLATFORM_API_PREFIX,
  SESSION_COOKIE,
} from "@heptora/protocol";
import { z } from "zod";
import type { Route } from "./route.ts";

type Json = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: "input" | "output"): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
  }) as Json;
  return rest;
}

function parameters(schema: z.ZodType | undefined, location: "path" | "query"): Json[] {
  if (schema === undefined) return [];
  const object = jsonSchema(schema, "input") as {
    properties?: Record<string, Json>;
    required?: string[];
  };
  return Object.entries(object.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === "path" || (object.required ?? []).includes(name),
    schema: property,
    ...(typeof property.description === "string" ? { description: property.description } : {}),
  }));
}

/** What every route can answer, by its auth mode (authentication and its refusals). */
const AUTH_ERRORS: Record<string, readonly ErrorCode[]> = {
  public: [],
  optional: [],
  user: ["unauthenticated", "session_expired"],
  admin: ["unauthenticated", "session_expired", "insufficient_permissions"],
  robot: ["invalid_robot_token"],
};

/**
 * The errors any route can answer, as the registrar and the error handler behave: a bad query,
 * path or body is `validation_failed`; a write (any method but GET) may carry a body, so it can
 * meet the body parser's refusals, and a write by a cookie session (or from a foreign Origin)
 * is checked for CSRF.
 */
function genericErrors(route: Route): ErrorCode[] {
  // Before any route: a Host other than the platform's own is 421, a broken percent-encoding
  // in the path or query 400 (docs/adr/0069).
  const codes: ErrorCode[] = [
    ...(AUTH_ERRORS[route.auth] ?? []),
    "validation_failed",
    "invalid_url",
    "host_rejected",
  ];
  if (route.method !== "GET") {
    codes.push("invalid_json", "body_too_large", "unsupported_media_type", "disk_full");
    if (route.auth !== "robot") codes.push("csrf_rejected");
  }
  return codes;
}

const RETRY_AFTER: Json = {
  description: "Seconds to wait before trying again.",
  schema: { type: "integer", minimum: 1 },
};

/** What a route that accepts admin API tokens may answer to one (docs/adr/0072). */
const API_TOKEN_ERRORS: readonly ErrorCode[] = [
  "invalid_api_token",
  "api_token_read_only",
  "insufficient_permissions",
];

function errorResponses(route: Route): Record<string, Json> {
  const byStatus = new Map<number, Set<string>>();
  const tokenErrors = route.apiTokens === true ? API_TOKEN_ERRORS : [];
  for (const code of [...genericErrors(route), ...tokenErrors, ...route.errors, "internal_error"]) {
    const status = ErrorCatalogue[code as ErrorCode].status;
    const codes = byStatus.get(status) ?? new Set<string>();
    codes.add(code);
    byStatus.set(status, codes);
  }
  const out: Record<string, Json> = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    out[String(status)] = {
      description: `Error: ${[...codes].map((c) => `\`${c}\``).join(", ")}.`,
      ...(status === 429 && { headers: { "Retry-After": RETRY_AFTER } }),
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    };
  }
  return out;
}

/**
 * The `Origin` header, where the platform checks it: required on a cookie session's writes and
 * on same-origin-only routes (setup), refused when foreign on other unauthenticated writes.
 */
function originParameter(route: Route): Json[] {
  if (route.method === "GET" || route.auth === "robot") return [];
  const cookieWrite = route.auth === "user" || route.auth === "admin";
  // An admin API token needs no Origin (docs/adr/0072): required only where a cookie is the sole way.
  const required = (cookieWrite && route.apiTokens !== true) || route.sameOrigin === "required";
  const description = cookieWrite
    ? "The platform's own origin. A cookie-authenticated write without it (or with another) " +
      "is 403 `csrf_rejected`; send the session's CSRF token as `X-CSRF-Token` too." +
      (route.apiTokens === true ? " Not needed with an admin API token (`apiToken`)." : "")
    : required
      ? "The platform's own origin: without it, or with another, the request is 403 `csrf_rejected`."
      : route.auth === "optional"
        ? "When sent, the platform's own origin (another is 403 `csrf_rejected`); a signed-in " +
          "session must send it, with `X-CSRF-Token`."
        : "When sent, the platform's own origin: another is 403 `csrf_rejected`.";
  return [{ name: "Origin", in: "header", required, description, schema: { type: "string" } }];
}

function security(route: Route): Json[] {
  switch (route.auth) {
    case "robot":
      return [{ robotToken: [] }];
    case "user":
    case "admin": {
      const session = route.method === "GET" ? [{ session: [] }] : [{ session: [], csrfToken: [] }];
      return route.apiTokens === true ? [...session, { apiToken: [] }] : session;
    }
    default:
      return [];
  }
}

function operation(route: Route): Json {
  const success: Json = { description: route.status === 204 ? "Done, no content." : "Success." };
  const headers = Object.entries(route.responseHeaders);
  if (headers.length > 0) {
    success.headers = Object.fromEntries(
      headers.map(([name, description]) => [name, { description, schema: { type: "string" } }]),
    );
  }
  if (route.schemas.response !== undefined) {
    success.content = {
      "application/json": { schema: jsonSchema(route.schemas.response, "output") },
    };
  }
  const op: Json = {
    operationId: `${route.method.toLowerCase()}${route.url.replace(/[/:{}-]+(\w)/g, (_, c: string) => c.toUpperCase())}`,
    summary: route.summary,
    tags: [...route.tags],
    security: security(route),
    parameters: [
      ...parameters(route.schemas.params, "path"),
      ...parameters(route.schemas.query, "query"),
      ...originParameter(route),
    ],
    responses: { [String(route.status)]: success, ...errorResponses(route) },
  };
  if (route.description !== undefined) op.description = route.description;
  if (route.schemas.body !== undefined) {
    op.requestBody = {
      required: true,
      content: { "application/json": { schema: jsonSchema(route.schemas.body, "input") } },
    };
  }
  return op;
}

export interface OpenApiOptions {
  /** `--public-url`: the document's only server. Without it, the server the document came from. */
  readonly publicUrl?: string | undefined;
}

export function buildOpenApi(
  routes: readonly Route[],
  version: string,
  options: OpenApiOptions = {},
): Json {
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const path = `${PLATFORM_API_PREFIX}${route.url.replace(/:(\w+)/g, "{$1}")}`;
    paths[path] ??= {};
    (paths[path] as Json)[route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Heptora platform API",
      version,
      description:
        "Declares the secret variables of automation processes (names only, never values) and " +
        "lets robots sign in and sync them. Errors are `{ error: { code, message, hint? } }`. " +
        `Cookie sessions must send \`Origin\` and \`${CSRF_HEADER}\` on every write. ` +
        "Unknown body fields and unknown query parameters are refused (400 " +
        "`validation_failed`). Names, descriptions, emails and ids are trimmed of surrounding " +
        "whitespace before they are checked and stored: length limits apply to the trimmed text.",
    },
    servers: [
      options.publicUrl === undefined
        ? { url: "/", description: "The server this document was read from." }
        : { url: options.publicUrl.replace(/\/+$/, ""), description: "This platform." },
    ],
    paths,
    components: {
      schemas: {
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message"],
              properties: {
                code: { type: "string", enum: Object.keys(ErrorCatalogue) },
                message: { type: "string" },
                hint: { type: "string" },
                details: { type: "object" },
              },
            },
          },
        },
      },
      securitySchemes: {
        session: {
          type: "apiKey",
          in: "cookie",
          name: SESSION_COOKIE,
          description:
            "Set by `POST /api/v1/auth/login` (or `POST /api/v1/setup`). Every write made with " +
            "it (POST, PUT, PATCH, DELETE) must also send `Origin: <the platform's origin>` and " +
            "`X-CSRF-Token`; without either it is 403 `csrf_rejected`.",
        },
        csrfToken: {
          type: "apiKey",
          in: "header",
          name: "X-CSRF-Token",
          description:
            "The `csrfToken` from login, setup or `GET /api/v1/auth/session`; required with the " +
            "session cookie on every write.",
        },
        robotToken: {
          type: "http",
          scheme: "bearer",
          description:
            "The `token` from `POST /api/v1/robot/login`. Needs neither `Origin` nor " +
            "`X-CSRF-Token`.",
        },
        apiToken: {
          type: "http",
          scheme: "bearer",
          description:
            "An admin API token (`hpt_...`), created by an admin under API tokens in the web " +
            "app. No cookie, Origin or CSRF token needed. A `read` token may only GET.",
        },
      },
    },
  };
}
