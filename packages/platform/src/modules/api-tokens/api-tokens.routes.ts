/**
 * `/tokens`: admins create, list and revoke admin API tokens from the web app. These routes
 * take a web session only: an API token cannot manage tokens (docs/adr/0072), so a leaked one
 * cannot mint its own replacement before it is revoked.
 */
import {
  ApiTokenListResponseSchema,
  CreateApiTokenRequestSchema,
  CreatedApiTokenSchema,
  IdSchema,
} from "@heptora/protocol";
import { z } from "zod";
import { defineRoute, type Route } from "../../http/route.ts";
import type { ApiTokensService } from "./api-tokens.service.ts";

const TokenParams = z.object({ id: IdSchema });

export function apiTokensRoutes(tokens: ApiTokensService): Route[] {
  return [
    defineRoute({
      method: "GET",
      url: "/tokens",
      summary: "List the organisation's admin API tokens",
      description:
        "Tokens not revoked, newest first, with when each was last used (updated at most once " +
        "a minute). Never the token itself: it is shown once, when created.",
      tags: ["tokens"],
      auth: "admin",
      status: 200,
      response: ApiTokenListResponseSchema,
      errors: ["api_token_not_allowed"],
      async handler({ actor }) {
        return { tokens: await tokens.list(actor) };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/tokens",
      summary: "Create an admin API token (shown once)",
      description:
        "The answer's `token` is shown this once; the platform keeps only its SHA-256. Send it as " +
        "`Authorization: Bearer <token>` (no cookie, Origin or CSRF token needed). A `read` token " +
        "may only GET; an `admin` token may do what its creator's web session may, except manage " +
        "API tokens. It acts as the admin who created it and stops working if they are no longer " +
        "an active admin.",
      tags: ["tokens"],
      auth: "admin",
      body: CreateApiTokenRequestSchema,
      status: 201,
      response: CreatedApiTokenSchema,
      errors: ["too_many_api_tokens", "api_token_not_allowed"],
      async handler({ actor, body, meta }) {
        return tokens.create(actor, body, meta);
      },
    }),
    defineRoute({
      method: "DELETE",
      url: "/tokens/:id",
      summary: "Revoke an admin API token",
      description: "Effective at once: the token's next request gets 401 `invalid_api_token`.",
      tags: ["tokens"],
      auth: "admin",
      params: TokenParams,
      status: 204,
      errors: ["api_token_not_found", "api_token_not_allowed"],
      async handler({ actor, params, meta }) {
        await tokens.revoke(actor, params.id, meta);
        return undefined;
      },
    }),
  ];
}

/**
 * Marks the person-facing routes of a module as usable with an admin API token (within its
 * scope). Only what the composition root passes through here accepts tokens.
 */
export function acceptApiTokens(routes: readonly Route[]): Route[] {
  return routes.map((route) =>
    route.auth === "user" || route.auth === "admin" ? { ...route, apiTokens: true } : route,
  );
}
