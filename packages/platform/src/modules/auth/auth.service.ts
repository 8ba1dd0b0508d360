/**
 * Web sessions: sign-in, sign-out and the lookup behind every cookie-authenticated request.
 * A session token is 256 random bits held only by the browser (HttpOnly cookie); the database
 * keeps its SHA-256. Sessions end after 12 hours without use or 7 days in all.
 */
import type { SessionResponse } from "@heptora/protocol";
import type { SqlDb, SqlExecutor } from "../../db/sql-db.ts";
import type { RequestMeta, UserActor } from "../../http/actors.ts";
import type { SessionLookup } from "../../http/register-routes.ts";
import type { Clock } from "../../lib/clock.ts";
import { csrfTokenFor, newToken, sha256Hex } from "../../lib/tokens.ts";
import type { AuditService } from "../audit/audit.service.ts";
import type { UserRow } from "../users/users.repo.ts";
import type { CheckCredentials } from "./credentials.ts";
import type { SessionsRepo } from "./sessions.repo.ts";

export const SESSION_IDLE_MS = 12 * 60 * 60_000;
export const SESSION_MAX_MS = 7 * 24 * 60 * 60_000;
/** last_seen_at is written at most this often per session, to keep reads cheap. */
const TOUCH_EVERY_MS = 60_000;

export function sessionResponse(user: Pick<UserRow, "id" | "email" | "role">, token: string) {
  return {
    user: { id: user.id, email: user.email, role: user.role },
    csrfToken: csrfTokenFor(token),
  } satisfies SessionResponse;
}

export function createAuthService(deps: {
  db: SqlDb;
  sessions: SessionsRepo;
  checkCredentials: CheckCredentials;
  audit: Pick<AuditService, "record">;
  clock: Clock;
}) {
  const { db, sessions, checkCredentials, audit, clock } = deps;

  async function startSession(q: SqlExecutor, userId: string): Promise<string> {
    const token = newToken();
    const at = clock.now();
    await sessions.insert(q, {
      tokenHash: sha256Hex(token),
      userId,
      at,
      expiresAt: at + SESSION_MAX_MS,
    });
    return token;
  }

  return {
    startSession,

    /** Returns the new session's token (for the cookie) and the answer body. */
    async login(email: string, password: string, meta: RequestMeta) {
      const user = await checkCredentials({ email, password, meta, action: "auth.login" });
      const token = await db.transaction(async (tx) => {
        const created = await startSession(tx, user.id);
        await audit.record(tx, {
          actor: { id: user.id, email: user.email },
          action: "auth.login",
          outcome: "ok",
          ip: meta.ip,
        });
        return created;
      });
      // Expired sessions are swept now and then, off the request's critical path.
      if (Math.random() < 0.05) {
        const now = clock.now();
        void sessions.deleteExpired(db, now - SESSION_IDLE_MS, now).catch(() => undefined);
      }
      return { token, body: sessionResponse(user, token) };
    },

    async logout(actor: UserActor, meta: RequestMeta): Promise<void> {
      await db.transaction(async (tx) => {
        await sessions.delete(tx, actor.sessionHash);
        await audit.record(tx, {
          actor: { id: actor.id, email: actor.email },
          action: "auth.logout",
          outcome: "ok",
          ip: meta.ip,
        });
      });
    },

    async resolve(token: string): Promise<SessionLookup> {
      const tokenHash = sha256Hex(token);
      const row = await sessions.byHash(db, tokenHash);
      if (row === undefined) return { state: "expired" };
      const now = clock.now();
      if (row.active !== 1 || row.expires_at <= now || row.last_seen_at + SESSION_IDLE_MS <= now) {
        await sessions.delete(db, tokenHash);
        return { state: "expired" };
      }
      if (now - row.last_seen_at >= TOUCH_EVERY_MS) await sessions.touch(db, tokenHash, now);
      return {
        state: "active",
        actor: {
          kind: "user",
          id: row.user_id,
          orgId: row.org_id,
          email: row.email,
          role: row.role,
          sessionHash: tokenHash,
          csrfToken: csrfTokenFor(token),
        },
      };
    },

    endSessionsOf(q: SqlExecutor, userId: string): Promise<number> {
      return sessions.deleteForUser(q, userId);
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
