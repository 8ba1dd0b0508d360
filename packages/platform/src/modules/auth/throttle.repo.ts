/**
 * SQL of sign-in throttling: one row per failed (or in-flight) attempt, per scope and key, and
 * the addresses each account signed in from (docs/adr/0071).
 */
import type { SqlExecutor } from "../../db/sql-db.ts";

/** `pair`: one account from one address; `account`: from anywhere; `address`: any account. */
export type ThrottleScope = "pair" | "account" | "address";
/** Password-reset requests per address (docs/adr/0071). */
export type CountedScope = ThrottleScope | "reset";

export type ThrottleKeys = Readonly<Record<ThrottleScope, string>>;

export interface ScopeStats {
  /** Attempts after `since`, the caller's own left out. */
  readonly count: number;
  /** The latest of them, if any. */
  readonly latest: number | undefined;
}

export function createThrottleRepo() {
  return {
    /** Records an attempt in every scope; returns the row ids. */
    async insert(q: SqlExecutor, keys: ThrottleKeys, at: number): Promise<number[]> {
      const rows = await q.all<{ id: number }>(
        `INSERT INTO login_failures (scope, key, at)
         VALUES ('pair', $1, $4), ('account', $2, $4), ('address', $3, $4)
         RETURNING id`,
        [keys.pair, keys.account, keys.address, at],
      );
      return rows.map((r) => Number(r.id));
    },

    /** Records one request in `scope`; returns its row id. */
    async insertOne(q: SqlExecutor, scope: CountedScope, key: string, at: number): Promise<number> {
      const row = await q.get<{ id: number }>(
        "INSERT INTO login_failures (scope, key, at) VALUES ($1, $2, $3) RETURNING id",
        [scope, key, at],
      );
      return Number(row?.id);
    },

    /** How many attempts after `since` (and the latest), leaving out the rows `own`. */
    async stats(
      q: SqlExecutor,
      scope: ThrottleScope,
      key: string,
      since: number,
      own: readonly number[],
    ): Promise<ScopeStats> {
      const row = await q.get<{ n: number | string; latest: number | string | null }>(
        `SELECT COUNT(*) AS n, MAX(at) AS latest FROM login_failures
          WHERE scope = $1 AND key = $2 AND at > $3
            AND id NOT IN (${own.map((_, i) => `$${i + 4}`).join(", ") || "NULL"})`,
        [scope, key, since, ...own],
      );
      const latest = row?.latest ?? null;
      return { count: Number(row?.n ?? 0), latest: latest === null ? undefined : Number(latest) };
    },

    /** The time of the `nth` most recent attempt after `since`, leaving out the rows `own`. */
    async nthRecent(
      q: SqlExecutor,
      scope: CountedScope,
      key: string,
      since: number,
      nth: number,
      own: readonly number[],
    ): Promise<number | undefined> {
      const row = await q.get<{ at: number | string }>(
        `SELECT at FROM login_failures
          WHERE scope = $1 AND key = $2 AND at > $3
            AND id NOT IN (${own.map((_, i) => `$${i + 5}`).join(", ") || "NULL"})
          ORDER BY at DESC, id DESC LIMIT 1 OFFSET $4`,
        [scope, key, since, nth - 1, ...own],
      );
      return row === undefined ? undefined : Number(row.at);
    },

    async deleteIds(q: SqlExecutor, ids: readonly number[]): Promise<void> {
      if (ids.length === 0) return;
      await q.run(
        `DELETE FROM login_failures WHERE id IN (${ids.map((_, i) => `$${i + 1}`).join(", ")})`,
        [...ids],
      );
    },

    async clear(q: SqlExecutor, scope: ThrottleScope, key: string): Promise<void> {
      await q.run("DELETE FROM login_failures WHERE scope = $1 AND key = $2", [scope, key]);
    },

    async prune(q: SqlExecutor, before: number): Promise<void> {
      await q.run("DELETE FROM login_failures WHERE at < $1", [before]);
    },

    /** Whether `account` signed in from `address` after `since`. */
    async isKnown(
      q: SqlExecutor,
      account: string,
      address: string,
      since: number,
    ): Promise<boolean> {
      const row = await q.get(
        "SELECT 1 AS known FROM login_addresses WHERE account = $1 AND address = $2 AND at > $3",
        [account, address, since],
      );
      return row !== undefined;
    },

    async remember(q: SqlExecutor, account: string, address: string, at: number): Promise<void> {
      await q.run(
        `INSERT INTO login_addresses (account, address, at) VALUES ($1, $2, $3)
         ON CONFLICT (account, address) DO UPDATE SET at = excluded.at`,
        [account, address, at],
      );
    },

    async forgetOlder(q: SqlExecutor, before: number): Promise<void> {
      await q.run("DELETE FROM login_addresses WHERE at < $1", [before]);
    },
  };
}

export type ThrottleRepo = ReturnType<typeof createThrottleRepo>;
