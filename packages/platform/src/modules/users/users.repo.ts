/** SQL of organisations and users. */
import type { Role, User } from "@heptora/protocol";
import { forUpdate, type SqlExecutor } from "../../db/sql-db.ts";
import { iso } from "../../lib/clock.ts";

export interface UserRow {
  id: string;
  org_id: string;
  email: string;
  password_hash: string | null;
  role: Role;
  active: number;
  created_at: number;
  updated_at: number;
}

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    active: row.active === 1,
    status: row.active !== 1 ? "deactivated" : row.password_hash === null ? "invited" : "active",
    createdAt: iso(row.created_at),
  };
}

const COLUMNS = "id, org_id, email, password_hash, role, active, created_at, updated_at";

export function createUsersRepo() {
  return {
    byEmail(q: SqlExecutor, email: string): Promise<UserRow | undefined> {
      return q.get<UserRow>(`SELECT ${COLUMNS} FROM users WHERE email = $1`, [email]);
    },

    byId(q: SqlExecutor, id: string): Promise<UserRow | undefined> {
      return q.get<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
    },

    list(q: SqlExecutor, orgId: string): Promise<UserRow[]> {
      return q.all<UserRow>(`SELECT ${COLUMNS} FROM users WHERE org_id = $1 ORDER BY email`, [
        orgId,
      ]);
    },

    /** Ids among `ids` that are users of the organisation. */
    async existingIds(q: SqlExecutor, orgId: string, ids: readonly string[]): Promise<string[]> {
      if (ids.length === 0) return [];
      const rows = await q.all<{ id: string }>(
        `SELECT id FROM users WHERE org_id = $1 AND id IN (${ids.map((_, i) => `$${i + 2}`).join(", ")})`,
        [orgId, ...ids],
      );
      return rows.map((r) => r.id);
    },

    async insert(
      q: SqlExecutor,
      user: Omit<UserRow, "active" | "updated_at"> & { active?: boolean },
    ): Promise<UserRow> {
      const row: UserRow = {
        ...user,
        active: user.active === false ? 0 : 1,
        updated_at: user.created_at,
      };
      await q.run(`INSERT INTO users (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
        row.id,
        row.org_id,
        row.email,
        row.password_hash,
        row.role,
        row.active,
        row.created_at,
        row.updated_at,
      ]);
      return row;
    },

    async update(
      q: SqlExecutor,
      id: string,
      changes: { role?: Role; active?: boolean; passwordHash?: string },
      at: number,
    ): Promise<void> {
      const row = await q.get<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
      if (row === undefined) return;
      await q.run(
        "UPDATE users SET role = $2, active = $3, password_hash = $4, updated_at = $5 WHERE id = $1",
        [
          id,
          changes.role ?? row.role,
          changes.active === undefined ? row.active : changes.active ? 1 : 0,
          changes.passwordHash ?? row.password_hash,
          at,
        ],
      );
    },

    async countActiveAdmins(q: SqlExecutor, orgId: string): Promise<number> {
      const row = await q.get<{ n: number }>(
        "SELECT COUNT(*) AS n FROM users WHERE org_id = $1 AND role = 'admin' AND active = 1",
        [orgId],
      );
      return Number(row?.n ?? 0);
    },

    async anyAdmin(q: SqlExecutor): Promise<boolean> {
      const row = await q.get("SELECT 1 AS found FROM users WHERE role = 'admin' LIMIT 1");
      return row !== undefined;
    },

    /** The organisation, locked for the rest of the transaction on PostgreSQL. */
    lockOrganization(q: SqlExecutor): Promise<{ id: string; name: string } | undefined> {
      return q.get<{ id: string; name: string }>(
        `SELECT id, name FROM organizations WHERE singleton = 1${forUpdate(q.dialect)}`,
      );
    },

    /** Creates the organisation unless one exists; returns the one that exists. */
    async ensureOrganization(
      q: SqlExecutor,
      org: { id: string; name: string; createdAt: number },
    ): Promise<{ id: string; name: string }> {
      await q.run(
        `INSERT INTO organizations (id, singleton, name, created_at) VALUES ($1, 1, $2, $3)
         ON CONFLICT (singleton) DO NOTHING`,
        [org.id, org.name, org.createdAt],
      );
      const row = await q.get<{ id: string; name: string }>(
        `SELECT id, name FROM organizations WHERE singleton = 1${forUpdate(q.dialect)}`,
      );
      if (row === undefined) throw new Error("organisation row missing after insert");
      return row;
    },
  };
}

export type UsersRepo = ReturnType<typeof createUsersRepo>;
