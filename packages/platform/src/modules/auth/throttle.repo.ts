/** SQL of sign-in throttling: one row per failed (or in-flight) attempt, per scope and key. */
import type { SqlExecutor } from "../../db/sql-db.ts";

export type ThrottleScope = "account" | "address";

export function createThrottleRepo() {
  return {
    /** Records an attempt; returns the row ids (account row first). */
    async insert(
      q: SqlExecutor,
      keys: { account: string; address: string },
      at: number,
    ): Promise<number[]> {
      const rows = await q.all<{ id: number }>(
        `INSERT INTO login_failures (scope, key, at) VALUES ('account', $1, $3), ('address', $2, $3)
         RETURNING id`,
        [keys.account, keys.address, at],
      );
      return rows.map((r) => r.id);
    },

    /** The time of the `nth` most recent attempt after `since`, if there are that many. */
    async nthRecent(
      q: SqlExecutor,
      scope: ThrottleScope,
      key: string,
      since: number,
      nth: number,
    ): Promise<number | undefined> {
      const row = await q.get<{ at: number }>(
        `SELECT at FROM login_failures WHERE scope = $1 AND key = $2 AND at > $3
          ORDER BY at DESC, id DESC LIMIT 1 OFFSET $4`,
        [scope, key, since, nth - 1],
      );
      return row?.at;
    },

    async deleteIds(q: SqlExecutor, ids: readonly number[]): Promise<void> {
      if (ids.length === 0) return;
      await q.run(
        `DELETE FROM login_failures WHERE id IN (${ids.map((_, i) => `$${i + 1}`).join(", ")})`,
        [...ids],
      );
    },

    async clearAccount(q: SqlExecutor, account: string): Promise<void> {
      await q.run("DELETE FROM login_failures WHERE scope = 'account' AND key = $1", [account]);
    },

    async prune(q: SqlExecutor, before: number): Promise<void> {
      await q.run("DELETE FROM login_failures WHERE at < $1", [before]);
    },
  };
}

export type ThrottleRepo = ReturnType<typeof createThrottleRepo>;
