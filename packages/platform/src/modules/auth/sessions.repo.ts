/** SQL of web sessions. Only the SHA-256 of a session token is ever stored. */
import type { Role } from "@heptora/protocol";
import type { SqlExecutor } from "../../db/sql-db.ts";

export interface SessionRow {
  token_hash: string;
  user_id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  email: string;
  role: Role;
  org_id: string;
  active: number;
}

export function createSessionsRepo() {
  return {
    async insert(
      q: SqlExecutor,
      session: { tokenHash: string; userId: string; at: number; expiresAt: number },
    ): Promise<void> {
      await q.run(
        `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at)
         VALUES ($1, $2, $3, $3, $4)`,
        [session.tokenHash, session.userId, session.at, session.expiresAt],
      );
    },

    byHash(q: SqlExecutor, tokenHash: string): Promise<SessionRow | undefined> {
      return q.get<SessionRow>(
        `SELECT s.token_hash, s.user_id, s.created_at, s.last_seen_at, s.expires_at,
                u.email, u.role, u.org_id, u.active
           FROM sessions s JOIN users u ON u.id = s.user_id
          WHERE s.token_hash = $1`,
        [tokenHash],
      );
    },

    async touch(q: SqlExecutor, tokenHash: string, at: number): Promise<void> {
      await q.run("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1", [tokenHash, at]);
    },

    async delete(q: SqlExecutor, tokenHash: string): Promise<void> {
      await q.run("DELETE FROM sessions WHERE token_hash = $1", [tokenHash]);
    },

    async deleteForUser(q: SqlExecutor, userId: string): Promise<number> {
      const { changes } = await q.run("DELETE FROM sessions WHERE user_id = $1", [userId]);
      return changes;
    },

    async deleteExpired(q: SqlExecutor, idleBefore: number, now: number): Promise<void> {
      await q.run("DELETE FROM sessions WHERE last_seen_at < $1 OR expires_at < $2", [
        idleBefore,
        now,
      ]);
    },
  };
}

export type SessionsRepo = ReturnType<typeof createSessionsRepo>;
