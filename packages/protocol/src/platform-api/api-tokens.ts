/**
 * Admin API tokens (`/api/v1/tokens`): named, scoped bearer tokens for scripts and CI, created by
 * an admin in the web app (docs/adr/0072-admin-api-tokens.md). The token itself is returned once,
 * at creation; the platform keeps only its SHA-256.
 *
 * @example
 * CreateApiTokenRequestSchema.parse({ name: " CI deploy ", scope: "read" }); // name "CI deploy"
 * // then: fetch(url, { headers: { authorization: `Bearer ${token}` } })
 */
import { z } from "zod";
import { UNSAFE_NAME_CHARACTERS } from "../fields.ts";
import { IdSchema, TimestampSchema } from "./common.ts";

/** Every API token starts with this, so that secret scanners recognise a leaked one. */
export const API_TOKEN_PREFIX = "hpt_";
export const API_TOKEN_NAME_MAX_LENGTH = 100;
/** Active (not revoked) tokens an organisation may hold at once. */
export const API_TOKENS_MAX_PER_ORG = 100;

/** `read`: GET requests of the admin API only; `admin`: what an admin's session may do. */
export const ApiTokenScope = { Read: "read", Admin: "admin" } as const;
export type ApiTokenScope = (typeof ApiTokenScope)[keyof typeof ApiTokenScope];
export const ApiTokenScopeSchema = z
  .enum([ApiTokenScope.Read, ApiTokenScope.Admin], {
    error: 'The scope must be "read" or "admin".',
  })
  .meta({
    description:
      "`read`: only GET requests of the admin API. `admin`: everything an admin's web session " +
      "can do, except managing API tokens.",
  });

export const ApiTokenNameSchema = z
  .string({ error: "The token name must be a string." })
  .trim()
  .min(1, { error: "Enter a name for the token, like “CI deploy”." })
  .max(API_TOKEN_NAME_MAX_LENGTH, {
    error: `The token name is too long (at most ${API_TOKEN_NAME_MAX_LENGTH} characters).`,
  })
  // The characters every name refuses (fields.ts), so that one name cannot look like another.
  .regex(new RegExp(`^[^${UNSAFE_NAME_CHARACTERS}]*$`), {
    error:
      "The token name cannot contain control characters, bidirectional overrides or " +
      "zero-width characters.",
  })
  .meta({
    description: `Trimmed of surrounding whitespace; at most ${API_TOKEN_NAME_MAX_LENGTH} characters after trimming (what is stored).`,
  });

export const CreateApiTokenRequestSchema = z.strictObject({
  name: ApiTokenNameSchema,
  scope: ApiTokenScopeSchema,
});
export type CreateApiTokenRequest = z.infer<typeof CreateApiTokenRequestSchema>;

export const CreatedApiTokenSchema = z.object({
  id: IdSchema,
  name: z.string(),
  scope: ApiTokenScopeSchema,
  token: z.string().meta({
    description:
      "Shown once: the platform keeps only its hash. Send as `Authorization: Bearer <token>`. " +
      `Starts with \`${API_TOKEN_PREFIX}\`.`,
  }),
});
export type CreatedApiToken = z.infer<typeof CreatedApiTokenSchema>;

export const ApiTokenSchema = z.object({
  id: IdSchema,
  name: z.string(),
  scope: ApiTokenScopeSchema,
  createdAt: TimestampSchema,
  lastUsedAt: TimestampSchema.nullable().meta({
    description: "Null until first used; updated at most once a minute.",
  }),
  createdBy: z.object({ id: IdSchema, email: z.string() }).meta({
    description: "The admin who created it; the token acts as them.",
  }),
});
export type ApiToken = z.infer<typeof ApiTokenSchema>;

export const ApiTokenListResponseSchema = z.object({ tokens: z.array(ApiTokenSchema) });
export type ApiTokenListResponse = z.infer<typeof ApiTokenListResponseSchema>;

/** Why an API token was refused, sent as `error.details.reason` with `invalid_api_token`. */
export const ApiTokenRefusal = {
  Revoked: "revoked",
  AccountDeactivated: "account_deactivated",
} as const;
export type ApiTokenRefusal = (typeof ApiTokenRefusal)[keyof typeof ApiTokenRefusal];
