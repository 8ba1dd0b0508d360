/**
 * Users of the organisation: listing, creation (with a password, or by invitation mail),
 * role and activation changes, and ending someone's sessions. The platform always keeps at least
 * one active admin.
 */
import {
  type CreateUserRequest,
  HeptoraError,
  quoteInput,
  RobotSignOutReason,
  type UpdateUserRequest,
  type User,
} from "@heptora/protocol";
import { isUniqueViolation, type SqlDb, type SqlExecutor } from "../../db/sql-db.ts";
import type { RequestMeta, UserActor } from "../../http/actors.ts";
import type { Clock } from "../../lib/clock.ts";
import { hashPassword } from "../../lib/password.ts";
import { newId } from "../../lib/tokens.ts";
import type { AuditService } from "../audit/audit.service.ts";
import type { PasswordResetService } from "../auth/password-reset.service.ts";
import type { SessionsRepo } from "../auth/sessions.repo.ts";
import type { RobotsRepo } from "../robots/robots.repo.ts";
import { actorRef, assertAdmin } from "./permissions.ts";
import { toUser, type UserRow, type UsersRepo } from "./users.repo.ts";

function emailTaken(email: string): HeptoraError {
  return new HeptoraError("email_taken", {
    message: `A user with the email ${quoteInput(email)} already exists.`,
  });
}

export function createUsersService(deps: {
  db: SqlDb;
  users: UsersRepo;
  sessions: Pick<SessionsRepo, "deleteForUser">;
  robots: Pick<RobotsRepo, "signOutAllOf">;
  invitations: Pick<PasswordResetService, "invitation" | "dispatch">;
  audit: Pick<AuditService, "record">;
  clock: Clock;
}) {
  const { db, users, sessions, robots, invitations, audit, clock } = deps;

  async function userInOrg(q: SqlExecutor, actor: UserActor, id: string): Promise<UserRow> {
    const row = await users.byId(q, id);
    if (row === undefined || row.org_id !== actor.orgId) {
      throw new HeptoraError("user_not_found", {
        message: `There is no user with id ${quoteInput(id)}.`,
      });
    }
    return row;
  }

  return {
    async list(actor: UserActor): Promise<User[]> {
      assertAdmin(actor);
      return (await users.list(db, actor.orgId)).map(toUser);
    },

    async create(actor: UserActor, input: CreateUserRequest, meta: RequestMeta): Promise<User> {
      assertAdmin(actor);
      const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
      const { row, mail } = await db.transaction(async (tx) => {
        if ((await users.byEmail(tx, input.email)) !== undefined) throw emailTaken(input.email);
        let created: UserRow;
        try {
          created = await users.insert(tx, {
            id: newId(),
            org_id: actor.orgId,
            email: input.email,
            password_hash: passwordHash,
            role: input.role,
            created_at: clock.now(),
          });
        } catch (error) {
          if (isUniqueViolation(error)) throw emailTaken(input.email);
          throw error;
        }
        await audit.record(tx, {
          actor: actorRef(actor),
          action: "user.created",
          target: { type: "user", id: created.id, name: created.email },
          outcome: "ok",
          ip: meta.ip,
          details: { role: created.role, invited: passwordHash === null },
        });
        const invitation =
          passwordHash === null ? await invitations.invitation(tx, created) : undefined;
        return { row: created, mail: invitation };
      });
      if (mail !== undefined) invitations.dispatch(mail);
      return toUser(row);
    },

    async update(
      actor: UserActor,
      id: string,
      input: UpdateUserRequest,
      meta: RequestMeta,
    ): Promise<User> {
      assertAdmin(actor);
      return db.transaction(async (tx) => {
        await users.lockOrganization(tx); // serialises "last admin" checks
        const before = await userInOrg(tx, actor, id);
        const role = input.role ?? before.role;
        const active = input.active ?? before.active === 1;
        const losesAdmin =
          before.role === "admin" && before.active === 1 && (role !== "admin" || !active);
        if (losesAdmin && (await users.countActiveAdmins(tx, actor.orgId)) <= 1) {
          throw new HeptoraError("last_admin", {
            message: `'${before.email}' is the only active administrator.`,
            hint: "Make another user an administrator first.",
          });
        }
        const at = clock.now();
        await users.update(tx, id, { role, active }, at);
        const details: Record<string, unknown> = {};
        if (role !== before.role) details.role = { from: before.role, to: role };
        if (active !== (before.active === 1))
          details.active = { from: before.active === 1, to: active };
        if (!active && before.active === 1) {
          details.sessionsEnded = await sessions.deleteForUser(tx, id);
          details.robotsSignedOut = await robots.signOutAllOf(
            tx,
            id,
            RobotSignOutReason.AccountDeactivated,
            at,
          );
        }
        await audit.record(tx, {
          actor: actorRef(actor),
          action: "user.updated",
          target: { type: "user", id, name: before.email },
          outcome: "ok",
          ip: meta.ip,
          details,
        });
        const after = await users.byId(tx, id);
        if (after === undefined) throw new Error("user vanished inside its transaction");
        return toUser(after);
      });
    },

    async endSessions(actor: UserActor, id: string, meta: RequestMeta): Promise<void> {
      assertAdmin(actor);
      await db.transaction(async (tx) => {
        const user = await userInOrg(tx, actor, id);
        const ended = await sessions.deleteForUser(tx, id);
        await audit.record(tx, {
          actor: actorRef(actor),
          action: "user.sessions_ended",
          target: { type: "user", id, name: user.email },
          outcome: "ok",
          ip: meta.ip,
          details: { sessionsEnded: ended },
        });
      });
    },
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
