/**
 * Admin API tokens (docs/adr/0072-admin-api-tokens.md): an admin creates a named token with a
 * scope (`read` or `admin`); it is shown once and stored as its SHA-256. A request with
 * `Authorization: Bearer hpt_...` acts as the admin who created it, within the token's scope,
 * on the routes that accept tokens (never on token management, sign-in or the robot API).
 * The owner's role and state are read at every use: a token of an admin later made a member or
 * deactivated stops working. Refusals of a known token are counted on its row and audited at
 * most once an hour per token, so a script retrying a revoked token cannot flood the audit.
 */
import {
  API_TOKEN_PREFIX,
  API_TOKENS_MAX_PER_ORG,
  type ApiToken,
  ApiTokenRefusal,
  type CreateApiTokenRequest,
  type CreatedApiToken,
  HeptoraError,
} from "@heptora/protocol";
import type { SqlDb } from "../../db/sql-db.ts";
import type { RequestMeta, UserActor } from "../../http/actors.ts";
import { type Clock, iso, isoOrNull } from "../../lib/clock.ts";
import { newId, newToken, sha256Hex } from "../../lib/tokens.ts";
import type { AuditService } from "../audit/audit.service.ts";
import { actorRef, assertAdmin } from "../users/permissions.ts";
import type { ApiTokenAuthRow, ApiTokenRow, ApiTokensRepo } from "./api-tokens.repo.ts";

/** lastUsedAt is written at most this often per token. */
export const API_TOKEN_TOUCH_EVERY_MS = 60_000;
/** A refused token is audited at most this often (the refusals between are counted). */
export const API_TOKEN_REFUSAL_AUDIT_EVERY_MS = 60 * 60_000;
/** Longer bearer values are refused before hashing. */
const API_TOKEN_MAX_LENGTH = 200;

/** What the route asks of the token, for the scope check. */
export interface TokenUse {
  readonly method: string;
  readonly url: string;
  /** False on routes that never take an API token (token management, sign-in, setup). */
  readonly acceptsApiTokens: boolean;
}

function toApiToken(row: ApiTokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    createdAt: iso(row.created_at),
    lastUsedAt: isoOrNull(row.last_used_at),
    createdBy: { id: row.user_id, email: row.owner_email },
  };
}

function invalidApiToken(options: { reason?: ApiTokenRefusal; hint?: string } = {}) {
  return new HeptoraError("invalid_api_token", {
    ...(options.hint !== undefined && { hint: options.hint }),
    ...(options.reason !== undefined && { details: { reason: options.reason } }),
  });
}

export function createApiTokensService(deps: {
  db: SqlDb;
  tokens: ApiTokensRepo;
  audit: Pick<AuditService, "record">;
  clock: Clock;
}) {
  const { db, tokens, audit, clock } = deps;

  async function notFound(id: string): Promise<never> {
    throw new HeptoraError("api_token_not_found", {
      message: `There is no API token with id '${id}'.`,
      hint: "It may have been revoked already. Reload the list of API tokens.",
    });
  }

  /** Counts a refusal of a known token; audits it when due. Never fails the request's answer. */
  async function refused(
    row: ApiTokenAuthRow,
    reason: string,
    use: TokenUse,
    meta: RequestMeta,
  ): Promise<void> {
    const now = clock.now();
    await db.transaction(async (tx) => {
      const refusals = await tokens.countRefusal(
        tx,
        row.id,
        now,
        now - API_TOKEN_REFUSAL_AUDIT_EVERY_MS,
      );
      if (refusals === undefined) return;
      await audit.record(tx, {
        actor: { id: row.user_id, email: row.email },
        action: "api_token.refused",
        target: { type: "api_token", id: row.id, name: row.name },
        outcome: "denied",
        ip: meta.ip,
        details: { reason, method: use.method, route: use.url, refusals },
      });
    });
  }

  return {
    async create(
      actor: UserActor,
      input: CreateApiTokenRequest,
      meta: RequestMeta,
    ): Promise<CreatedApiToken> {
      assertAdmin(actor);
      const token = newToken(API_TOKEN_PREFIX);
      const id = newId();
      await db.transaction(async (tx) => {
        if ((await tokens.countActive(tx, actor.orgId)) >= API_TOKENS_MAX_PER_ORG) {
          throw new HeptoraError("too_many_api_tokens", {
            message: `The organisation already has ${API_TOKENS_MAX_PER_ORG} API tokens, the most it can hold.`,
            hint: "Revoke the tokens no longer used under API tokens, then create this one.",
          });
        }
        await tokens.insert(
          tx,
          {
            id,
            orgId: actor.orgId,
            userId: actor.id,
            name: input.name,
            scope: input.scope,
            tokenHash: sha256Hex(token),
          },
          clock.now(),
        );
        await audit.record(tx, {
          actor: actorRef(actor),
          action: "api_token.created",
          target: { type: "api_token", id, name: input.name },
          outcome: "ok",
          ip: meta.ip,
          details: { scope: input.scope },
        });
      });
      return { id, name: input.name, scope: input.scope, token };
    },

    async list(actor: UserActor): Promise<ApiToken[]> {
      assertAdmin(actor);
      return (await tokens.list(db, actor.orgId)).map(toApiToken);
    },

    async revoke(actor: UserActor, id: string, meta: RequestMeta): Promise<void> {
      assertAdmin(actor);
      await db.transaction(async (tx) => {
        const row = await tokens.byId(tx, actor.orgId, id);
        if (row === undefined) await notFound(id);
        else {
          await tokens.revoke(tx, id, clock.now());
          await audit.record(tx, {
            actor: actorRef(actor),
            action: "api_token.revoked",
            target: { type: "api_token", id, name: row.name },
            outcome: "ok",
            ip: meta.ip,
            details: { scope: row.scope, createdBy: row.owner_email },
          });
        }
      });
    },

    /**
     * The person behind `token`, acting through it on the route described by `use`; or 401
     * invalid_api_token (unknown, revoked, owner deactivated), 403 api_token_not_allowed (a route
     * that never takes tokens), api_token_read_only (a write with a read token) or
     * insufficient_permissions (the owner is no longer an admin).
     */
    async authenticate(token: string, use: TokenUse, meta: RequestMeta): Promise<UserActor> {
      if (!token.startsWith(API_TOKEN_PREFIX)) {
        throw invalidApiToken({
          hint:
            "Admin API tokens start with 'hpt_'. A robot's token works only on the robot API " +
            "(/api/v1/robot/*); create an API token under API tokens in the web app.",
        });
      }
      if (token.length > API_TOKEN_MAX_LENGTH) throw invalidApiToken();
      // A lookup by hash on a unique index: the comparison happens on the digest, whose match
      // tells nothing about the token's characters (docs/adr/0012).
      const row = await tokens.byHash(db, sha256Hex(token));
      if (row === undefined) throw invalidApiToken();
      if (row.revoked_at !== null) {
        await refused(row, ApiTokenRefusal.Revoked, use, meta);
        throw invalidApiToken({
          reason: ApiTokenRefusal.Revoked,
          hint: `The token '${row.name}' was revoked. Create a new one under API tokens in the web app.`,
        });
      }
      if (row.active !== 1) {
        await refused(row, ApiTokenRefusal.AccountDeactivated, use, meta);
        throw invalidApiToken({
          reason: ApiTokenRefusal.AccountDeactivated,
          hint: `The account that created the token '${row.name}' is deactivated. Ask an administrator for a new token.`,
        });
      }
      if (!use.acceptsApiTokens) {
        await refused(row, "not_allowed", use, meta);
        throw new HeptoraError("api_token_not_allowed", {
          hint: "Managing API tokens, signing in and signing out need a person in the web app.",
        });
      }
      if (row.role !== "admin") {
        await refused(row, "owner_not_admin", use, meta);
        throw new HeptoraError("insufficient_permissions", {
          message: `The token '${row.name}' belongs to ${row.email}, who is no longer an administrator.`,
          hint: "Ask an administrator to create a new token.",
        });
      }
      if (row.scope === "read" && use.method !== "GET") {
        await refused(row, "read_only", use, meta);
        throw new HeptoraError("api_token_read_only", {
          message: `The token '${row.name}' can only read (GET); it cannot ${use.method} ${use.url}.`,
          hint: "Create a token with the admin scope for changes.",
        });
      }
      const now = clock.now();
      if (row.last_used_at === null || now - row.last_used_at >= API_TOKEN_TOUCH_EVERY_MS) {
        await tokens.touch(db, row.id, now);
      }
      return {
        kind: "user",
        id: row.user_id,
        orgId: row.org_id,
        email: row.email,
        role: row.role,
        // Random: a token request has no session, and these must match nothing.
        sessionHash: newToken("none_"),
        csrfToken: newToken("none_"),
        apiToken: { id: row.id, name: row.name, scope: row.scope },
      };
    },
  };
}

export type ApiTokensService = ReturnType<typeof createApiTokensService>;
