/**
 * Checks an email and password, for the web sign-in and the robot sign-in alike: throttled,
 * audited when it fails, constant in shape (the Argon2 verification runs even for an unknown
 * or deactivated account) and generic in its answer (never says which of the two was wrong).
 */
import { HeptoraError } from "@heptora/protocol";
import type { SqlExecutor } from "../../db/sql-db.ts";
import type { RequestMeta } from "../../http/actors.ts";
import { decoyHash, verifyPassword } from "../../lib/password.ts";
import type { AuditService } from "../audit/audit.service.ts";
import type { UserRow, UsersRepo } from "../users/users.repo.ts";
import type { LoginThrottle } from "./throttle.ts";

export function createCredentialCheck(deps: {
  db: SqlExecutor;
  users: Pick<UsersRepo, "byEmail">;
  throttle: LoginThrottle;
  audit: Pick<AuditService, "record">;
}) {
  const { db, users, throttle, audit } = deps;

  return async function checkCredentials(input: {
    email: string;
    password: string;
    meta: RequestMeta;
    /** Audit action, e.g. "auth.login" or "robot.login". */
    action: string;
  }): Promise<UserRow> {
    const { email, password, meta, action } = input;
    let ticket: Awaited<ReturnType<LoginThrottle["begin"]>>;
    try {
      ticket = await throttle.begin({ account: email, address: meta.ip });
    } catch (error) {
      await audit.record(db, {
        actor: null,
        action,
        outcome: "denied",
        ip: meta.ip,
        details: { email, reason: "too_many_attempts" },
      });
      throw error;
    }
    const user = await users.byEmail(db, email);
    const usable = user !== undefined && user.active === 1 && user.password_hash !== null;
    const hash = usable && user.password_hash !== null ? user.password_hash : await decoyHash();
    const matches = await verifyPassword(password, hash);
    if (!usable || !matches || user === undefined) {
      await ticket.failed();
      await audit.record(db, {
        actor: user ? { id: user.id, email: user.email } : null,
        action,
        outcome: "failed",
        ip: meta.ip,
        details: {
          email,
          reason: user === undefined ? "unknown_account" : usable ? "wrong_password" : "inactive",
        },
      });
      throw new HeptoraError("invalid_credentials", {
        hint: "Check both, or reset your password from the sign-in page.",
      });
    }
    await ticket.succeeded();
    return user;
  };
}

export type CheckCredentials = ReturnType<typeof createCredentialCheck>;
