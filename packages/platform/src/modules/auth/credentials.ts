/**
 * Checks an email and password, for the web sign-in and the robot sign-in alike: throttled,
 * audited when it fails, constant in shape (one Argon2 verification whatever the account, a decoy
 * for an unknown one) and generic in its answer (never says which of the two was wrong). The one
 * exception: the right password for a deactivated account answers `account_deactivated`.
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
    const throttled = await throttle.begin({ account: email, address: meta.ip });
    if (!throttled.allowed) {
      // An address-wide refusal is the same whatever the account, so it is one entry for all.
      await audit.record(db, {
        actor: null,
        action,
        outcome: "denied",
        ip: meta.ip,
        details: {
          ...(throttled.scope !== "address" && { email }),
          reason: "too_many_attempts",
          limit: throttled.scope,
        },
        repeatOf: [meta.ip, throttled.scope, throttled.scope === "address" ? "" : email],
      });
      throw throttled.error;
    }
    const { ticket } = throttled;
    const user = await users.byEmail(db, email);
    const usable = user !== undefined && user.active === 1 && user.password_hash !== null;
    // One verification whatever the account: its own hash when it has one (deactivated too),
    // else a decoy, so the time taken does not tell accounts apart.
    const hash = user?.password_hash ?? (await decoyHash());
    const matches = await verifyPassword(password, hash);
    if (user !== undefined && user.active !== 1 && user.password_hash !== null && matches) {
      // The right password for a deactivated account: say so, the person can ask an admin.
      // A wrong one answers below like any other failure and reveals nothing.
      await ticket.succeeded();
      await audit.record(db, {
        actor: { id: user.id, email: user.email },
        action,
        outcome: "denied",
        ip: meta.ip,
        details: { email, reason: "account_deactivated" },
        repeatOf: [meta.ip, email],
      });
      throw new HeptoraError("account_deactivated");
    }
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
        repeatOf: [
          meta.ip,
          email,
          user === undefined ? "unknown_account" : usable ? "wrong_password" : "inactive",
        ],
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
