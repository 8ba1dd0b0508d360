/** SQL of admin API tokens. Only the SHA-256 of a token is ever stored. */
import type { ApiTokenScope, Role } from "@heptora/protocol";
import type { SqlExecutor } from "../../db/sql-db.ts";

export interface ApiTokenRow {
  id: string;
  name: string;
  scope: ApiTokenScope;
  created_at: number;
  last_used_at: number | null;
  user_id: string;
  owner_email: string;
}

/** A token found by its hash, with what deciding on it needs: its owner's state today. */
export interface ApiTokenAuthRow {
  id: string;
  org_id: string;
  name: string;
  scope: ApiTokenScope;
  last_used_at: number | null;
  revoked_at: number | null;
  user_id: string;
  email: string;
  role: Role;
  active: number;
}

export function createApiTokensRepo() {
  return {
    async insert(
      q: SqlExecutor,
      token: {
        id: string;
        orgId: string;
        userId: string;
        name: string;
        scope: ApiTokenScope;
        tokenHash: string;
      },
      at: number,
    ): Promise<void> {
      await q.run(
        `INSERT INTO api_tokens (id, org_id, user_id, name, scope, token_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [token.id, token.orgId, token.userId, token.name, token.scope, token.tokenHash, at],
      );
    },

    async countActive(q: SqlExecutor, orgId: string): Promise<number> {
      const row = await q.get<{ n: number | string }>(
        "SELECT COUNT(*) AS n FROM api_tokens WHERE org_id = $1 AND revoked_at IS NULL",
        [orgId],
      );
      return Number(row?.n ?? 0);
    },

    /** Tokens not revoked, newest first. */
    list(q: SqlExecutor, orgId: string): Promise<ApiTokenRow[]> {
      return q.all<ApiTokenRow>(
        `SELECT t.id, t.name, t.scope, t.created_at, t.last_used_at, t.user_id,
                u.email AS owner_email
           FROM api_tokens t JOIN users u ON u.id = t.user_id
          WHERE t.org_id = $1 AND t.revoked_at IS NULL
          ORDER BY t.created_at DESC, t.id`,
        [orgId],
      );
    },

    byId(q: SqlExecutor, orgId: string, id: string): Promise<ApiTokenRow | undefined> {
      return q.get<ApiTokenRow>(
        `SELECT t.id, t.name, t.scope, t.created_at, t.last_used_at, t.user_id,
                u.email AS owner_email
           FROM api_tokens t JOIN users u ON u.id = t.user_id
          WHERE t.org_id = $1 AND t.id = $2 AND t.revoked_at IS NULL`,
        [orgId, id],
      );
    },

    byHash(q: SqlExecutor, tokenHash: string): Promise<ApiTokenAuthRow | undefined> {
      return q.get<ApiTokenAuthRow>(
        `SELECT t.id, t.org_id, t.name, t.scope, t.last_used_at, t.revoked_at, t.user_id,
                u.email, u.role, u.active
           FROM api_tokens t JOIN users u ON u.id = t.user_id
          WHERE t.token_hash = $1`,
        [tokenHash],
      );
    },

    async touch(q: SqlExecutor, id: string, at: number): Promise<void> {
      await q.run("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1", [id, at]);
    },

    async revoke(q: SqlExecutor, id: string, at: number): Promise<void> {
      await q.run("UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL", [
        id,
        at,
      ]);
    },

    /**
     * Counts one refusal of the token. Answers the refusals counted since the last audited one
     * when an audit event is due (none yet, or the last one at or before `auditDueBefore`), and
     * then starts a new count; else undefined.
     */
    async countRefusal(
      q: SqlExecutor,
      id: string,
      at: number,
      auditDueBefore: number,
    ): Promise<number | undefined> {
      await q.run("UPDATE api_tokens SET refused_count = refused_count + 1 WHERE id = $1", [id]);
      const row = await q.get<{
        refused_count: number | string;
        refused_audited_at: number | null;
      }>("SELECT refused_count, refused_audited_at FROM api_tokens WHERE id = $1", [id]);
      if (row === undefined) return undefined;
      const last = row.refused_audited_at === null ? null : Number(row.refused_audited_at);
      if (last !== null && last > auditDueBefore) return undefined;
      await q.run(
        "UPDATE api_tokens SET refused_count = 0, refused_audited_at = $2 WHERE id = $1",
        [id, at],
      );
      return Number(row.refused_count);
    },
  };
}

export type ApiTokensRepo = ReturnType<typeof createApiTokensRepo>;
