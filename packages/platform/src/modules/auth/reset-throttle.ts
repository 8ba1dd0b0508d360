/**
 * Password-reset requests per client address (IPv6 per /64): at most 10 in 15 minutes, counted
 * in the database like sign-in attempts, whatever the email asked for. Over the limit the answer
 * is 429 too_many_attempts with Retry-After, the same for a known and an unknown email, so it
 * tells nothing about accounts (docs/adr/0071). The per-account limit (3 mails per 30 minutes)
 * stays silent: its answer is the usual 202.
 */
import { HeptoraError } from "@heptora/protocol";
import type { SqlExecutor } from "../../db/sql-db.ts";
import type { Clock } from "../../lib/clock.ts";
import { addressKey } from "./address-key.ts";
import type { ThrottleRepo } from "./throttle.repo.ts";
import { secondsUntil, waitHint } from "./throttle.ts";

export interface ResetThrottlePolicy {
  readonly windowMs: number;
  readonly perAddress: number;
}

export const DEFAULT_RESET_THROTTLE: ResetThrottlePolicy = {
  windowMs: 15 * 60_000,
  perAddress: 10,
};

export function createResetThrottle(deps: {
  repo: Pick<ThrottleRepo, "insertOne" | "nthRecent" | "deleteIds" | "prune">;
  db: SqlExecutor;
  clock: Clock;
  policy?: ResetThrottlePolicy;
}) {
  const { repo, db, clock } = deps;
  const policy = deps.policy ?? DEFAULT_RESET_THROTTLE;
  return {
    /** Counts a request from `ip`; the error to answer with when it is over the limit. */
    async admit(ip: string): Promise<HeptoraError | undefined> {
      const now = clock.now();
      const since = now - policy.windowMs;
      const key = addressKey(ip);
      const id = await repo.insertOne(db, "reset", key, now);
      const oldest = await repo.nthRecent(db, "reset", key, since, policy.perAddress, [id]);
      if (oldest === undefined) {
        if (Math.random() < 0.05) await repo.prune(db, since);
        return undefined;
      }
      await repo.deleteIds(db, [id]);
      const seconds = secondsUntil(oldest + policy.windowMs, now);
      return new HeptoraError("too_many_attempts", {
        message: "Too many password reset requests from your network. Wait and try again.",
        hint: `Try again in ${waitHint(seconds)}. A link already sent stays valid for 30 minutes.`,
        retryAfterSeconds: seconds,
      });
    },
  };
}

export type ResetThrottle = ReturnType<typeof createResetThrottle>;
