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

const GENERIC_ERRORS: Record<string, readonly ErrorCode[]> = {
  public: ["validation_failed", "invalid_json", "body_too_large", "csrf_rejected"],
  optional: ["validation_failed", "csrf_rejected"],
  user: ["unauthenticated", "session_expired", "csrf_rejected", "validation_failed"],
  admin: [
    "unauthenticated",
    "session_expired",
    "csrf_rejected",
    "insufficient_permissions",
    "validation_failed",
  ],
  robot: ["invalid_robot_token", "validation_failed"],
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
  for (const code of [
    ...(GENERIC_ERRORS[route.auth] ?? []),
    ...tokenErrors,
    ...route.errors,
    "internal_error",
  ]) {
    const status = ErrorCatalogue[code as ErrorCode].status;
    const codes = byStatus.get(status) ?? new Set<string>();
    codes.add(code);
    byStatus.set(status, codes);
  }
  const out: Record<string, Json> = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    out[String(status)] = {
      description: `Error: ${[...codes].map((c) => `\`${c}\``).join(", ")}.`,
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    };
  }
  return out;
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

export function buildOpenApi(routes: readonly Route[], version: string): Json {
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
        `Cookie sessions must send \`Origin\` and \`${CSRF_HEADER}\` on every write.`,
    },
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
        session: { type: "apiKey", in: "cookie", name: SESSION_COOKIE },
        csrfToken: { type: "apiKey", in: "header", name: "X-CSRF-Token" },
        robotToken: { type: "http", scheme: "bearer" },
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
