/**
 * Password reset by emailed single-use link (`<public URL>/reset-password?token=...`), and the
 * invitation mail of a user created without a password (same mechanism, longer validity).
 *
 * A request always ends the same way for the caller (202), whether the email is known or not;
 * mail is sent after the commit and off the request path. Confirming sets the password and ends
 * every session of the user: web sessions and robot tokens alike. A reset often means the old
 * password leaked, and a robot signed in with it could be the thief's; the user's own robots sign
 * in again (their values stay on their machines).
 */
import { HeptoraError, RobotSignOutReason } from "@heptora/protocol";
import type { SqlDb, SqlExecutor } from "../../db/sql-db.ts";
import type { RequestMeta } from "../../http/actors.ts";
import type { Clock } from "../../lib/clock.ts";
import { hashPassword } from "../../lib/password.ts";
import { newToken, sha256Hex } from "../../lib/tokens.ts";
import type { AuditService } from "../audit/audit.service.ts";
import type { Mail, Mailer } from "../mail/mailer.ts";
import type { RobotsRepo } from "../robots/robots.repo.ts";
import type { UsersRepo } from "../users/users.repo.ts";
import type { ResetThrottle } from "./reset-throttle.ts";
import type { ResetTokensRepo } from "./reset-tokens.repo.ts";
import type { SessionsRepo } from "./sessions.repo.ts";

export const RESET_TOKEN_TTL_MS = 30 * 60_000;
export const INVITATION_TTL_MS = 72 * 60 * 60_000;
/** At most this many reset mails per account per TTL window: no mail-bombing through us. */
export const RESET_MAILS_PER_WINDOW = 3;

export interface Logger {
  warn(message: string): void;
}

export function createPasswordResetService(deps: {
  db: SqlDb;
  tokens: ResetTokensRepo;
  users: Pick<UsersRepo, "byEmail" | "byId" | "update">;
  sessions: Pick<SessionsRepo, "deleteForUser">;
  robots: Pick<RobotsRepo, "signOutAllOf">;
  audit: Pick<AuditService, "record">;
  /** Requests per client address (docs/adr/0071). */
  throttle: ResetThrottle;
  mailer: Mailer;
  clock: Clock;
  /** The platform's public URL (no trailing slash), for links in mail. */
  publicUrl: () => string;
  log: Logger;
}) {
  const { db, tokens, users, sessions, robots, audit, throttle, mailer, clock, publicUrl, log } =
    deps;

  /** An invitation's link says so (`&invite=1`), for the page's wording only: the token rules. */
  function link(token: string, invitation = false): string {
    const url = `${publicUrl()}/reset-password?token=${encodeURIComponent(token)}`;
    return invitation ? `${url}&invite=1` : url;
  }

  /** Sends after the caller's commit, without making the request wait or fail. */
  function dispatch(mail: Mail): void {
    mailer.send(mail).catch((error: unknown) => {
      const reason = error instanceof Error ? error.message.split("\n")[0] : "unknown error";
      log.warn(`Could not send mail "${mail.subject}" to ${mail.to}: ${reason}`);
    });
  }

  async function issue(q: SqlExecutor, userId: string, ttl: number): Promise<string> {
    const token = newToken();
    const at = clock.now();
    await tokens.insert(q, { tokenHash: sha256Hex(token), userId, at, expiresAt: at + ttl });
    return token;
  }

  return {
    async request(email: string, meta: RequestMeta): Promise<void> {
      // First, before the email is even looked up: the answer cannot depend on the account.
      const limited = await throttle.admit(meta.ip);
      if (limited !== undefined) {
        await audit.record(db, {
          actor: null,
          action: "auth.password_reset_requested",
          outcome: "denied",
          ip: meta.ip,
          details: { reason: "too_many_requests", limit: "address" },
          repeatOf: [meta.ip, "address"],
        });
        throw limited;
      }
      const user = await users.byEmail(db, email);
      if (user === undefined || user.active !== 1) {
        const reason = user === undefined ? "unknown_account" : "inactive";
        await audit.record(db, {
          actor: null,
          action: "auth.password_reset_requested",
          outcome: "failed",
          ip: meta.ip,
          details: { email, reason },
          repeatOf: [meta.ip, email, reason],
        });
        return;
      }
      const token = await db.transaction(async (tx) => {
        const recent = await tokens.countSince(tx, user.id, clock.now() - RESET_TOKEN_TTL_MS);
        if (recent >= RESET_MAILS_PER_WINDOW) {
          await audit.record(tx, {
            actor: { id: user.id, email: user.email },
            action: "auth.password_reset_requested",
            outcome: "denied",
            ip: meta.ip,
            details: { reason: "too_many_requests", limit: "account" },
            repeatOf: [meta.ip, user.email, "account"],
          });
          return undefined;
        }
        const issued = await issue(tx, user.id, RESET_TOKEN_TTL_MS);
        await audit.record(tx, {
          actor: { id: user.id, email: user.email },
          action: "auth.password_reset_requested",
          outcome: "ok",
          ip: meta.ip,
        });
        return issued;
      });
      // Still a silent 202: the caller learns nothing about the account.
      if (token === undefined) return;
      dispatch({
        to: user.email,
        subject: "Reset your Heptora password",
        text:
          "Someone (hopefully you) asked to reset the password of your Heptora account.\n\n" +
          `Choose a new password here:\n${link(token)}\n\n` +
          "The link works once and expires in 30 minutes. If you did not ask, ignore this mail: " +
          "your password stays as it is.\n",
      });
    },

    /** Issues an invitation in the caller's transaction; returns the mail to send after commit. */
    async invitation(q: SqlExecutor, user: { id: string; email: string }): Promise<Mail> {
      const token = await issue(q, user.id, INVITATION_TTL_MS);
      return {
        to: user.email,
        subject: "You have been invited to Heptora",
        text:
          "An administrator created a Heptora account for you.\n\n" +
          `Choose your password here:\n${link(token, true)}\n\n` +
          "The link works once and expires in 72 hours.\n",
      };
    },

    dispatch,

    async confirm(token: string, password: string, meta: RequestMeta): Promise<void> {
      const tokenHash = sha256Hex(token);
      const invalid = () => new HeptoraError("invalid_reset_token");
      const usable = (row: { used_at: number | null; expires_at: number } | undefined) =>
        row !== undefined && row.used_at === null && row.expires_at > clock.now();
      // Cheap check first, so an invalid token never costs an Argon2 hash.
      if (!usable(await tokens.byHash(db, tokenHash))) throw invalid();
      const passwordHash = await hashPassword(password);
      await db.transaction(async (tx) => {
        const row = await tokens.byHash(tx, tokenHash);
        const at = clock.now();
        if (row === undefined || !usable(row) || !(await tokens.consume(tx, tokenHash, at))) {
          throw invalid();
        }
        const user = await users.byId(tx, row.user_id);
        if (user === undefined || user.active !== 1) throw invalid();
        await users.update(tx, user.id, { passwordHash }, at);
        await tokens.consumeAllOf(tx, user.id, at);
        const ended = await sessions.deleteForUser(tx, user.id);
        const robotsSignedOut = await robots.signOutAllOf(
          tx,
          user.id,
          RobotSignOutReason.PasswordChanged,
          at,
        );
        await audit.record(tx, {
          actor: { id: user.id, email: user.email },
          action: "auth.password_reset",
          outcome: "ok",
          ip: meta.ip,
          details: { sessionsEnded: ended, robotsSignedOut },
        });
      });
    },
  };
}

export type PasswordResetService = ReturnType<typeof createPasswordResetService>;
