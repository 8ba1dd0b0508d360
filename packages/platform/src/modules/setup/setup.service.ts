/**
 * First run: the platform has no administrator until someone creates one, either in the web app
 * (`POST /setup`, allowed only while no admin exists) or with `heptora-platform create-admin`.
 */
import { HeptoraError, quoteInput, type SessionResponse, type User } from "@heptora/protocol";
import { isUniqueViolation, type SqlDb } from "../../db/sql-db.ts";
import type { RequestMeta } from "../../http/actors.ts";
import type { Clock } from "../../lib/clock.ts";
import { hashPassword } from "../../lib/password.ts";
import { newId } from "../../lib/tokens.ts";
import type { AuditService } from "../audit/audit.service.ts";
import { type AuthService, sessionResponse } from "../auth/auth.service.ts";
import { toUser, type UsersRepo } from "../users/users.repo.ts";

export const DEFAULT_ORGANIZATION = "My organisation";

function emailTaken(email: string): HeptoraError {
  return new HeptoraError("email_taken", {
    message: `A user with the email ${quoteInput(email)} already exists.`,
  });
}

export function createSetupService(deps: {
  db: SqlDb;
  users: UsersRepo;
  auth: Pick<AuthService, "startSession">;
  audit: Pick<AuditService, "record">;
  clock: Clock;
}) {
  const { db, users, auth, audit, clock } = deps;

  return {
    async needed(): Promise<boolean> {
      return !(await users.anyAdmin(db));
    },

    /** Creates the organisation and its first admin, signed in. */
    async setup(
      input: { email: string; password: string; organization: string },
      meta: RequestMeta,
    ): Promise<{ token: string; body: SessionResponse }> {
      if (!(await this.needed())) throw new HeptoraError("setup_already_done");
      const passwordHash = await hashPassword(input.password);
      return db.transaction(async (tx) => {
        const at = clock.now();
        const org = await users.ensureOrganization(tx, {
          id: newId(),
          name: input.organization,
          createdAt: at,
        });
        // Checked again under the organisation's lock: two set-ups racing make one admin.
        if (await users.anyAdmin(tx)) throw new HeptoraError("setup_already_done");
        if ((await users.byEmail(tx, input.email)) !== undefined) throw emailTaken(input.email);
        const user = await users.insert(tx, {
          id: newId(),
          org_id: org.id,
          email: input.email,
          password_hash: passwordHash,
          role: "admin",
          created_at: at,
        });
        const token = await auth.startSession(tx, user.id);
        await audit.record(tx, {
          actor: { id: user.id, email: user.email },
          action: "setup.completed",
          target: { type: "organization", id: org.id, name: org.name },
          outcome: "ok",
          ip: meta.ip,
        });
        return { token, body: sessionResponse(user, token) };
      });
    },

    /** `heptora-platform create-admin`: adds an admin whether or not others exist. */
    async createAdmin(input: {
      email: string;
      password: string;
      organization?: string;
    }): Promise<User> {
      const passwordHash = await hashPassword(input.password);
      return db.transaction(async (tx) => {
        const at = clock.now();
        const org = await users.ensureOrganization(tx, {
          id: newId(),
          name: input.organization ?? DEFAULT_ORGANIZATION,
          createdAt: at,
        });
        if ((await users.byEmail(tx, input.email)) !== undefined) throw emailTaken(input.email);
        try {
          const user = await users.insert(tx, {
            id: newId(),
            org_id: org.id,
            email: input.email,
            password_hash: passwordHash,
            role: "admin",
            created_at: at,
          });
          await audit.record(tx, {
            actor: null,
            action: "user.created",
            target: { type: "user", id: user.id, name: user.email },
            outcome: "ok",
            ip: null,
            details: { role: "admin", via: "create-admin" },
          });
          return toUser(user);
        } catch (error) {
          if (isUniqueViolation(error)) throw emailTaken(input.email);
          throw error;
        }
      });
    },
  };
}

export type SetupService = ReturnType<typeof createSetupService>;
