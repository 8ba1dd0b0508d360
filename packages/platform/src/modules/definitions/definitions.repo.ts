/**
 * SQL of the definitions change feed behind the robots' sync cursor
 * (docs/adr/0011-platform-sync-cursor.md).
 *
 * - `change_counter` holds the last sequence number. `next()` increments it inside the writer's
 *   transaction; the row lock orders writers, so when a reader sees value N, every change
 *   numbered up to N is committed.
 * - `definition_changes` keeps, per (user, process), the sequence of the latest change that
 *   user's robots must learn about: the process or its variables changed, it was assigned or
 *   unassigned, or deleted. A row whose assignment no longer exists is a removal.
 */
import type { SqlExecutor } from "../../db/sql-db.ts";
import { placeholders } from "../../db/sql-db.ts";

export interface DefinitionRow {
  id: string;
  name: string;
  description: string;
}

/** [process_id, id, name, secret (0/1), description]: arrays, as a full sync reads many. */
export type DefinitionVariableRow = [string, string, string, number, string];

const UPSERT_TAIL = "ON CONFLICT (user_id, process_id) DO UPDATE SET seq = excluded.seq";

export function createDefinitionsRepo() {
  return {
    async next(tx: SqlExecutor): Promise<number> {
      const row = await tx.get<{ value: number }>(
        "UPDATE change_counter SET value = value + 1 WHERE id = 1 RETURNING value",
      );
      if (row === undefined) throw new Error("change_counter row missing");
      return Number(row.value);
    },

    async current(q: SqlExecutor): Promise<number> {
      const row = await q.get<{ value: number }>("SELECT value FROM change_counter WHERE id = 1");
      return Number(row?.value ?? 0);
    },

    /** Marks the process changed for every user it is assigned to. */
    async markAssignees(tx: SqlExecutor, processId: string, seq: number): Promise<void> {
      await tx.run(
        `INSERT INTO definition_changes (user_id, process_id, seq)
         SELECT user_id, process_id, $2 FROM assignments WHERE process_id = $1
         ${UPSERT_TAIL}`,
        [processId, seq],
      );
    },

    /** Marks the process changed for these users (newly assigned or unassigned). */
    async markUsers(
      tx: SqlExecutor,
      processId: string,
      userIds: readonly string[],
      seq: number,
    ): Promise<void> {
      if (userIds.length === 0) return;
      const rows = userIds.map((_, i) => `(${placeholders(1, i + 3)}, $1, $2)`).join(", ");
      await tx.run(
        `INSERT INTO definition_changes (user_id, process_id, seq) VALUES ${rows} ${UPSERT_TAIL}`,
        [processId, seq, ...userIds],
      );
    },

    /**
     * The counter and whether the user has a change after `since`, in one round trip: the
     * no-change sync that every robot makes every few seconds is this one indexed query.
     */
    async counterAndChangesSince(
      q: SqlExecutor,
      userId: string,
      since: number,
    ): Promise<{ current: number; changed: boolean }> {
      const row = await q.get<{ value: number; changed: number }>(
        `SELECT value,
                CASE WHEN EXISTS (SELECT 1 FROM definition_changes
                                   WHERE user_id = $1 AND seq > $2) THEN 1 ELSE 0 END AS changed
           FROM change_counter WHERE id = 1`,
        [userId, since],
      );
      if (row === undefined) throw new Error("change_counter row missing");
      return { current: Number(row.value), changed: Number(row.changed) === 1 };
    },

    /** Processes assigned to the user; only those changed after `since` when given. */
    processes(q: SqlExecutor, userId: string, since?: number): Promise<DefinitionRow[]> {
      return since === undefined
        ? q.all<DefinitionRow>(
            `SELECT p.id, p.name, p.description
               FROM assignments a JOIN processes p ON p.id = a.process_id
              WHERE a.user_id = $1
              ORDER BY p.name_key, p.id`,
            [userId],
          )
        : q.all<DefinitionRow>(
            `SELECT p.id, p.name, p.description
               FROM definition_changes c
               JOIN assignments a ON a.user_id = c.user_id AND a.process_id = c.process_id
               JOIN processes p ON p.id = c.process_id
              WHERE c.user_id = $1 AND c.seq > $2
              ORDER BY p.name_key, p.id`,
            [userId, since],
          );
    },

    variables(q: SqlExecutor, userId: string, since?: number): Promise<DefinitionVariableRow[]> {
      return since === undefined
        ? q.values<DefinitionVariableRow>(
            `SELECT v.process_id, v.id, v.name, v.secret, v.description
               FROM assignments a JOIN variables v ON v.process_id = a.process_id
              WHERE a.user_id = $1
              ORDER BY a.process_id, v.position`,
            [userId],
          )
        : q.values<DefinitionVariableRow>(
            `SELECT v.process_id, v.id, v.name, v.secret, v.description
               FROM definition_changes c
               JOIN assignments a ON a.user_id = c.user_id AND a.process_id = c.process_id
               JOIN variables v ON v.process_id = c.process_id
              WHERE c.user_id = $1 AND c.seq > $2
              ORDER BY c.process_id, v.position`,
            [userId, since],
          );
    },

    /** Processes the user's robots had and must drop: changed since, no longer assigned. */
    async removedSince(q: SqlExecutor, userId: string, since: number): Promise<string[]> {
      const rows = await q.all<{ process_id: string }>(
        `SELECT c.process_id
           FROM definition_changes c
           LEFT JOIN assignments a ON a.user_id = c.user_id AND a.process_id = c.process_id
          WHERE c.user_id = $1 AND c.seq > $2 AND a.process_id IS NULL
          ORDER BY c.process_id`,
        [userId, since],
      );
      return rows.map((r) => r.process_id);
    },
  };
}

export type DefinitionsRepo = ReturnType<typeof createDefinitionsRepo>;
