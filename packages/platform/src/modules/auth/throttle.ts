/**
 * Sign-in throttling shared by every instance (the counts live in the database): at most 5
 * failed attempts per account and 30 per client address in 15 minutes.
 *
 * An attempt is recorded *before* its password is checked, so concurrent attempts through
 * several instances cannot slip past the limit; a success removes its own record and clears the
 * account's failures. See docs/adr/0012-platform-sessions-throttling-tokens.md.
 */
import { HeptoraError } from "@heptora/protocol";
import type { SqlExecutor } from "../../db/sql-db.ts";
import type { Clock } from "../../lib/clock.ts";
import type { ThrottleRepo, ThrottleScope } from "./throttle.repo.ts";

export interface ThrottlePolicy {
  readonly windowMs: number;
  readonly perAccount: number;
  readonly perAddress: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = {
  windowMs: 15 * 60_000,
  perAccount: 5,
  perAddress: 30,
};

export interface ThrottleTicket {
  succeeded(): Promise<void>;
  failed(): Promise<void>;
}

export function createLoginThrottle(deps: {
  repo: ThrottleRepo;
  db: SqlExecutor;
  clock: Clock;
  policy?: ThrottlePolicy;
}) {
  const { repo, db, clock } = deps;
  const policy = deps.policy ?? DEFAULT_THROTTLE;
  const limits: Record<ThrottleScope, number> = {
    account: policy.perAccount,
    address: policy.perAddress,
  };

  return {
    /** Counts an attempt; throws too_many_attempts (with Retry-After) when over a limit. */
    async begin(keys: { account: string; address: string }): Promise<ThrottleTicket> {
      const now = clock.now();
      const since = now - policy.windowMs;
      const ids = await repo.insert(db, keys, now);
      let retryAt = 0;
      for (const scope of ["account", "address"] as const) {
        const key = keys[scope];
        // Over the limit when, with this attempt, the window holds limit + 1 attempts.
        if ((await repo.nthRecent(db, scope, key, since, limits[scope] + 1)) === undefined) {
          continue;
        }
        await repo.deleteIds(db, ids);
        const oldestCounted = await repo.nthRecent(db, scope, key, since, limits[scope]);
        retryAt = Math.max(retryAt, (oldestCounted ?? now) + policy.windowMs);
      }
      if (retryAt > 0) {
        const seconds = Math.max(1, Math.ceil((retryAt - now) / 1000));
        throw new HeptoraError("too_many_attempts", {
          message: "Too many sign-in attempts. Wait and try again.",
          hint: `Try again in ${seconds >= 120 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`}, or reset your password.`,
          retryAfterSeconds: seconds,
        });
      }
      return {
        async succeeded() {
          await repo.deleteIds(db, ids);
          await repo.clearAccount(db, keys.account);
        },
        async failed() {
          await repo.prune(db, since);
        },
      };
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
