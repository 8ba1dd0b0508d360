/**
 * Sign-in throttling shared by every instance (the counts live in the database), designed so
 * that someone who knows an email cannot lock its owner out (docs/adr/0071):
 *
 * - per account and address (`pair`): 5 failures free, then a growing delay (30 s, 1 min,
 *   2 min, ... at most 15 minutes) before that address may try that account again;
 * - per account from anywhere (`account`): over 20 failures in 15 minutes, the same growing delay
 *   for every address the account has not signed in from in the last 30 days; the addresses it
 *   has signed in from keep only their own pair limit, so the owner still gets in while others
 *   guess from elsewhere;
 * - per address (`address`, IPv6 per /64): 30 failures in 15 minutes across all accounts, then
 *   no more attempts from it until the oldest of them is 15 minutes old.
 *
 * An attempt is recorded *before* its password is checked, so concurrent attempts through
 * several instances cannot slip past the limits; a refused attempt removes its record (refusals
 * do not lengthen the wait), a success removes its own and clears its pair's failures.
 */
import { HeptoraError } from "@heptora/protocol";
import type { SqlExecutor } from "../../db/sql-db.ts";
import type { Clock } from "../../lib/clock.ts";
import { addressKey } from "./address-key.ts";
import type { ThrottleKeys, ThrottleRepo, ThrottleScope } from "./throttle.repo.ts";

export interface ThrottlePolicy {
  readonly windowMs: number;
  /** Failures of one account from one address before the delays start. */
  readonly perPair: number;
  /** Failures of one account from all addresses before unknown addresses are delayed. */
  readonly perAccount: number;
  /** Failures from one address, all accounts together, per window. */
  readonly perAddress: number;
  /** The first delay; each further failure doubles it, up to the window. */
  readonly delayMs: number;
  /** How long an address an account signed in from stays known. */
  readonly knownForMs: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = {
  windowMs: 15 * 60_000,
  perPair: 5,
  perAccount: 20,
  perAddress: 30,
  delayMs: 30_000,
  knownForMs: 30 * 24 * 60 * 60_000,
};

export interface ThrottleTicket {
  succeeded(): Promise<void>;
  failed(): Promise<void>;
}

export type ThrottleOutcome =
  | { readonly allowed: true; readonly ticket: ThrottleTicket }
  | {
      readonly allowed: false;
      /** The limit that refused: `address` is the same whatever the account. */
      readonly scope: ThrottleScope;
      readonly error: HeptoraError;
    };

/** Whole seconds from `now` to `at`, at least 1. */
export function secondsUntil(at: number, now: number): number {
  return Math.max(1, Math.ceil((at - now) / 1000));
}

export function waitHint(seconds: number): string {
  return seconds >= 120 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`;
}

export function createLoginThrottle(deps: {
  repo: ThrottleRepo;
  db: SqlExecutor;
  clock: Clock;
  policy?: ThrottlePolicy;
}) {
  const { repo, db, clock } = deps;
  const policy = deps.policy ?? DEFAULT_THROTTLE;

  /** When `failures` (the latest at `latest`) allow the next attempt, `free` being free. */
  function delayedUntil(failures: number, latest: number | undefined, free: number): number {
    if (failures < free || latest === undefined) return 0;
    const exponent = Math.min(failures - free, 30);
    return latest + Math.min(policy.windowMs, policy.delayMs * 2 ** exponent);
  }

  return {
    /** Counts an attempt, or refuses it (429 too_many_attempts with Retry-After). */
    async begin(input: { account: string; address: string }): Promise<ThrottleOutcome> {
      const now = clock.now();
      const since = now - policy.windowMs;
      const address = addressKey(input.address);
      const keys: ThrottleKeys = {
        pair: `${address} ${input.account}`,
        account: input.account,
        address,
      };
      const ids = await repo.insert(db, keys, now);
      const refusals: { scope: ThrottleScope; at: number }[] = [];

      const overAddress = await repo.nthRecent(
        db,
        "address",
        address,
        since,
        policy.perAddress,
        ids,
      );
      if (overAddress !== undefined) {
        refusals.push({ scope: "address", at: overAddress + policy.windowMs });
      }
      const pair = await repo.stats(db, "pair", keys.pair, since, ids);
      const pairAt = delayedUntil(pair.count, pair.latest, policy.perPair);
      if (pairAt > now) refusals.push({ scope: "pair", at: pairAt });
      const account = await repo.stats(db, "account", keys.account, since, ids);
      const accountAt = delayedUntil(account.count, account.latest, policy.perAccount);
      if (
        accountAt > now &&
        !(await repo.isKnown(db, keys.account, address, now - policy.knownForMs))
      ) {
        refusals.push({ scope: "account", at: accountAt });
      }

      const last = refusals.reduce<{ scope: ThrottleScope; at: number } | undefined>(
        (latest, r) => (latest === undefined || r.at > latest.at ? r : latest),
        undefined,
      );
      if (last !== undefined) {
        await repo.deleteIds(db, ids);
        const seconds = secondsUntil(last.at, now);
        return {
          allowed: false,
          scope: last.scope,
          error: new HeptoraError("too_many_attempts", {
            message: "Too many sign-in attempts. Wait and try again.",
            hint: `Try again in ${waitHint(seconds)}, or reset your password.`,
            retryAfterSeconds: seconds,
          }),
        };
      }
      return {
        allowed: true,
        ticket: {
          async succeeded() {
            await repo.deleteIds(db, ids);
            await repo.clear(db, "pair", keys.pair);
            await repo.remember(db, keys.account, address, clock.now());
            if (Math.random() < 0.05) await repo.forgetOlder(db, now - policy.knownForMs);
          },
          async failed() {
            await repo.prune(db, since);
          },
        },
      };
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
