/** `heptora-platform create-admin`: adds an administrator directly in the database. */
import type { User } from "@heptora/protocol";
import type { SqlDb } from "./db/sql-db.ts";
import { type Clock, systemClock } from "./lib/clock.ts";
import { createAuditRepo } from "./modules/audit/audit.repo.ts";
import { createAuditService } from "./modules/audit/audit.service.ts";
import { createAuthService } from "./modules/auth/auth.service.ts";
import { createCredentialCheck } from "./modules/auth/credentials.ts";
import { createSessionsRepo } from "./modules/auth/sessions.repo.ts";
import { createThrottleRepo } from "./modules/auth/throttle.repo.ts";
import { createLoginThrottle } from "./modules/auth/throttle.ts";
import { createSetupService } from "./modules/setup/setup.service.ts";
import { createUsersRepo } from "./modules/users/users.repo.ts";

/**
 * Creates an admin (and the organisation if there is none yet). Throws HeptoraError
 * `email_taken` when the email is in use.
 *
 * @example
 * await createAdmin(db, { email: "admin@example.com", password, organization: "Acme" });
 */
export async function createAdmin(
  db: SqlDb,
  input: { email: string; password: string; organization?: string },
  clock: Clock = systemClock,
): Promise<User> {
  const users = createUsersRepo();
  const audit = createAuditService({ repo: createAuditRepo(), clock, db });
  const throttle = createLoginThrottle({ repo: createThrottleRepo(), db, clock });
  const checkCredentials = createCredentialCheck({ db, users, throttle, audit });
  const auth = createAuthService({
    db,
    sessions: createSessionsRepo(),
    checkCredentials,
    audit,
    clock,
  });
  return createSetupService({ db, users, auth, audit, clock }).createAdmin(input);
}
