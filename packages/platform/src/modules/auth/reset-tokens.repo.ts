/** SQL of password reset (and invitation) tokens: stored as SHA-256, single use. */
import type { SqlExecutor } from "../../db/sql-db.ts";

export interface ResetTokenRow {
  token_hash: string;
  user_id: string;
  expires_at: number;
  used_at: number | null;
}

export function createResetTokensRepo() {
  return {
    async insert(
      q: SqlExecutor,
      token: { tokenHash: string; userId: string; at: number; expiresAt: number },
    ): Promise<void> {
      await q.run(
        `INSERT INTO password_reset_tokens (token_hash, user_id, created_at, expires_at)
         VALUES ($1, $2, $3, $4)`,
        [token.tokenHash, token.userId, token.at, token.expiresAt],
      );
    },

    byHash(q: SqlExecutor, tokenHash: string): Promise<ResetTokenRow | undefined> {
      return q.get<ResetTokenRow>(
        "SELECT token_hash, user_id, expires_at, used_at FROM password_reset_tokens WHERE token_hash = $1",
        [tokenHash],
      );
    },

    /** Marks the token used; false when another request used it first. */
    async consume(q: SqlExecutor, tokenHash: string, at: number): Promise<boolean> {
      const { changes } = await q.run(
        "UPDATE password_reset_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL",
        [tokenHash, at],
      );
      return changes === 1;
    },

    async countSince(q: SqlExecutor, userId: string, since: number): Promise<number> {
      const row = await q.get<{ n: number }>(
        "SELECT COUNT(*) AS n FROM password_reset_tokens WHERE user_id = $1 AND created_at > $2",
        [userId, since],
      );
      return Number(row?.n ?? 0);
    },

    /** Ends every other outstanding token of the user. */
    async consumeAllOf(q: SqlExecutor, userId: string, at: number): Promise<void> {
      await q.run(
        "UPDATE password_reset_tokens SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL",
        [userId, at],
      );
    },
  };
}

export type ResetTokensRepo = ReturnType<typeof createResetTokensRepo>;
