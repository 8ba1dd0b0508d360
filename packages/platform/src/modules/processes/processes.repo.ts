/** SQL of processes, their variables and their assignments to users. */
import { forUpdate, placeholders, type SqlExecutor } from "../../db/sql-db.ts";

export interface ProcessRow {
  id: string;
  org_id: string;
  name: string;
  description: string;
  created_at: number;
  updated_at: number;
}

export interface VariableRow {
  process_id: string;
  /** Stable across renames (migration 4). */
  id: string;
  name: string;
  secret: number;
  description: string;
}

/** Which processes a listing covers: the organisation's, those assigned to a user, or one. */
export type ProcessScope =
  | { readonly kind: "org"; readonly orgId: string }
  | { readonly kind: "assigned"; readonly orgId: string; readonly userId: string }
  | { readonly kind: "one"; readonly processId: string };

/** Case-insensitive uniqueness of process names. */
export function nameKey(name: string): string {
  return name.trim().toLowerCase();
}

function scoped(
  scope: ProcessScope,
  column: string,
): { join: string; where: string; params: string[] } {
  switch (scope.kind) {
    case "org":
      return { join: "", where: "p.org_id = $1", params: [scope.orgId] };
    case "assigned":
      return {
        join: `JOIN assignments a ON a.process_id = ${column} AND a.user_id = $2`,
        where: "p.org_id = $1",
        params: [scope.orgId, scope.userId],
      };
    case "one":
      return { join: "", where: "p.id = $1", params: [scope.processId] };
  }
}

const PROCESS_COLUMNS = "p.id, p.org_id, p.name, p.description, p.created_at, p.updated_at";

export function createProcessesRepo() {
  return {
    byId(q: SqlExecutor, orgId: string, id: string, lock = false): Promise<ProcessRow | undefined> {
      return q.get<ProcessRow>(
        `SELECT ${PROCESS_COLUMNS} FROM processes p WHERE p.org_id = $1 AND p.id = $2${lock ? forUpdate(q.dialect) : ""}`,
        [orgId, id],
      );
    },

    idByName(q: SqlExecutor, orgId: string, name: string): Promise<{ id: string } | undefined> {
      return q.get<{ id: string }>("SELECT id FROM processes WHERE org_id = $1 AND name_key = $2", [
        orgId,
        nameKey(name),
      ]);
    },

    list(q: SqlExecutor, scope: ProcessScope): Promise<ProcessRow[]> {
      const s = scoped(scope, "p.id");
      return q.all<ProcessRow>(
        `SELECT ${PROCESS_COLUMNS} FROM processes p ${s.join} WHERE ${s.where} ORDER BY p.name_key, p.id`,
        s.params,
      );
    },

    variables(q: SqlExecutor, scope: ProcessScope): Promise<VariableRow[]> {
      const s = scoped(scope, "v.process_id");
      return q.all<VariableRow>(
        `SELECT v.process_id, v.id, v.name, v.secret, v.description
           FROM variables v JOIN processes p ON p.id = v.process_id ${s.join}
          WHERE ${s.where}
          ORDER BY v.process_id, v.position`,
        s.params,
      );
    },

    assignments(
      q: SqlExecutor,
      scope: ProcessScope,
    ): Promise<{ process_id: string; user_id: string }[]> {
      const s = scoped(scope, "x.process_id");
      return q.all<{ process_id: string; user_id: string }>(
        `SELECT x.process_id, x.user_id
           FROM assignments x JOIN processes p ON p.id = x.process_id ${s.join}
          WHERE ${s.where}
          ORDER BY x.process_id, x.user_id`,
        s.params,
      );
    },

    async isAssigned(q: SqlExecutor, processId: string, userId: string): Promise<boolean> {
      const row = await q.get(
        "SELECT 1 AS found FROM assignments WHERE process_id = $1 AND user_id = $2",
        [processId, userId],
      );
      return row !== undefined;
    },

    async insert(q: SqlExecutor, row: ProcessRow): Promise<void> {
      await q.run(
        `INSERT INTO processes (id, org_id, name, name_key, description, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          row.id,
          row.org_id,
          row.name,
          nameKey(row.name),
          row.description,
          row.created_at,
          row.updated_at,
        ],
      );
    },

    async update(
      q: SqlExecutor,
      id: string,
      values: { name: string; description: string },
      at: number,
    ): Promise<void> {
      await q.run(
        "UPDATE processes SET name = $2, name_key = $3, description = $4, updated_at = $5 WHERE id = $1",
        [id, values.name, nameKey(values.name), values.description, at],
      );
    },

    async touch(q: SqlExecutor, id: string, at: number): Promise<void> {
      await q.run("UPDATE processes SET updated_at = $2 WHERE id = $1", [id, at]);
    },

    async delete(q: SqlExecutor, id: string): Promise<void> {
      await q.run("DELETE FROM processes WHERE id = $1", [id]);
    },

    variable(q: SqlExecutor, processId: string, name: string): Promise<VariableRow | undefined> {
      return q.get<VariableRow>(
        "SELECT process_id, id, name, secret, description FROM variables WHERE process_id = $1 AND name = $2",
        [processId, name],
      );
    },

    async variableNames(q: SqlExecutor, processId: string): Promise<string[]> {
      const rows = await q.all<{ name: string }>(
        "SELECT name FROM variables WHERE process_id = $1 ORDER BY position",
        [processId],
      );
      return rows.map((r) => r.name);
    },

    async insertVariable(q: SqlExecutor, row: VariableRow, at: number): Promise<void> {
      await q.run(
        `INSERT INTO variables (process_id, id, name, secret, description, position, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5,
                 (SELECT COALESCE(MAX(position), 0) + 1 FROM variables WHERE process_id = $1), $6, $6)`,
        [row.process_id, row.id, row.name, row.secret, row.description, at],
      );
    },

    async updateVariable(
      q: SqlExecutor,
      processId: string,
      name: string,
      values: { name: string; secret: number; description: string },
      at: number,
    ): Promise<void> {
      await q.run(
        `UPDATE variables SET name = $3, secret = $4, description = $5, updated_at = $6
          WHERE process_id = $1 AND name = $2`,
        [processId, name, values.name, values.secret, values.description, at],
      );
    },

    async deleteVariable(q: SqlExecutor, processId: string, name: string): Promise<void> {
      await q.run("DELETE FROM variables WHERE process_id = $1 AND name = $2", [processId, name]);
    },

    async assigneeIds(q: SqlExecutor, processId: string): Promise<string[]> {
      const rows = await q.all<{ user_id: string }>(
        "SELECT user_id FROM assignments WHERE process_id = $1 ORDER BY user_id",
        [processId],
      );
      return rows.map((r) => r.user_id);
    },

    async assign(q: SqlExecutor, processId: string, userIds: readonly string[], at: number) {
      for (const userId of userIds) {
        await q.run(
          "INSERT INTO assignments (process_id, user_id, created_at) VALUES ($1, $2, $3)",
          [processId, userId, at],
        );
      }
    },

    async unassign(q: SqlExecutor, processId: string, userIds: readonly string[]) {
      if (userIds.length === 0) return;
      await q.run(
        `DELETE FROM assignments WHERE process_id = $1 AND user_id IN (${placeholders(userIds.length, 2)})`,
        [processId, ...userIds],
      );
    },
  };
}

export type ProcessesRepo = ReturnType<typeof createProcessesRepo>;
