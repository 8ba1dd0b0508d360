/**
 * Sessions of the Secrets window: created when a one-time link is used, carried by an HttpOnly
 * cookie, ended after a period of inactivity. The cookie holds 256 random bits; only their SHA-256
 * digest is kept. Each session has a CSRF token the page gets from `GET /api/session` and sends
 * back in `X-CSRF-Token` on every state-changing call.
 *
 * The cookie alone is not enough (docs/adr/0073): browsers send it to every port of 127.0.0.1, so
 * another local listener the browser is lured to receives it. Each session also has a request
 * key, handed to the page once, in the body of the one-time link's answer, and required in the
 * `X-Window-Key` header of every API request; a browser never sends it by itself.
 */
import { timingSafeEqual } from "node:crypto";
import { newToken, tokenDigest } from "../lib/tokens.ts";

export const DEFAULT_IDLE_MS = 15 * 60 * 1000;
/** A few windows at once are normal (two browsers); more means links nobody closes. */
const MAX_SESSIONS = 10;

export interface WindowSession {
  readonly csrfToken: string;
  /** The second factor beside the cookie: only the page that used the link has it. */
  readonly requestKey: string;
  readonly createdAt: number;
  lastSeenAt: number;
}

export type SessionLookup =
  | { kind: "ok"; session: WindowSession }
  | { kind: "expired" }
  | { kind: "none" };

export interface WindowSessionsOptions {
  clock: () => number;
  idleMs?: number;
}

export type WindowSessions = ReturnType<typeof createWindowSessions>;

export function createWindowSessions(options: WindowSessionsOptions) {
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  /** Keyed by the hex SHA-256 of the cookie value. */
  const sessions = new Map<string, WindowSession>();

  const keyOf = (cookieValue: string) => tokenDigest(cookieValue).toString("hex");

  function sweep(now: number): void {
    for (const [key, session] of sessions) {
      if (now - session.lastSeenAt >= idleMs) sessions.delete(key);
    }
  }

  return {
    idleMs,

    /**
     * A new session; the caller puts `cookieValue` in the Set-Cookie header and the session's
     * `requestKey` in the body of the same answer, nowhere else.
     */
    create(): { cookieValue: string; session: WindowSession } {
      const now = options.clock();
      sweep(now);
      const cookieValue = newToken();
      const session: WindowSession = {
        csrfToken: newToken(),
        requestKey: newToken(),
        createdAt: now,
        lastSeenAt: now,
      };
      sessions.set(keyOf(cookieValue), session);
      if (sessions.size > MAX_SESSIONS) {
        const oldest = sessions.keys().next().value;
        if (oldest !== undefined) sessions.delete(oldest);
      }
      return { cookieValue, session };
    },

    /** Finds the session of a cookie; `touch` counts the request as activity. */
    lookup(cookieValue: string | undefined, touch: boolean): SessionLookup {
      if (cookieValue === undefined) return { kind: "none" };
      const key = keyOf(cookieValue);
      const session = sessions.get(key);
      if (session === undefined) return { kind: "none" };
      const now = options.clock();
      if (now - session.lastSeenAt >= idleMs || now < session.createdAt) {
        sessions.delete(key);
        return { kind: "expired" };
      }
      if (touch) session.lastSeenAt = now;
      return { kind: "ok", session };
    },

    /** Counts a request as activity (once it has passed every check). */
    touch(session: WindowSession): void {
      session.lastSeenAt = Math.max(session.lastSeenAt, options.clock());
    },

    /** Constant-time check of a presented request key against the session's. */
    keyMatches(session: WindowSession, presented: string | undefined): boolean {
      if (presented === undefined || presented.length > 512) return false;
      return timingSafeEqual(tokenDigest(presented), tokenDigest(session.requestKey));
    },

    end(cookieValue: string | undefined): void {
      if (cookieValue !== undefined) sessions.delete(keyOf(cookieValue));
    },

    /** Constant-time check of a presented CSRF token against the session's. */
    csrfMatches(session: WindowSession, presented: string | undefined): boolean {
      if (presented === undefined || presented.length > 512) return false;
      return timingSafeEqual(tokenDigest(presented), tokenDigest(session.csrfToken));
    },

    /** When a live session was last used (ms), for re-opening the window after a restart. */
    lastActivityAt(): number | undefined {
      const now = options.clock();
      sweep(now);
      let newest: number | undefined;
      for (const session of sessions.values()) {
        newest = Math.max(newest ?? 0, session.lastSeenAt);
      }
      return newest;
    },

    get size(): number {
      return sessions.size;
    },
  };
}
