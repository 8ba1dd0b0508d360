/**
 * SQL of the robots' audit checkpoints (docs/adr/0074): where each robot's audit log stood at its
 * last status report, and whether a report ever went backwards. Hashes and counters only.
 */
import type { SqlExecutor } from "../../db/sql-db.ts";

export interface RobotAuditRow {
  robot_id: string;
  vault_id: string;
  seq: number;
  head: string;
  reported_at: number;
  went_backwards_at: number | null;
  went_backwards: string | null;
}

const COLUMNS = `c.robot_id, c.vault_id, c.seq, c.head, c.reported_at, c.went_backwards_at,
  c.went_backwards`;

/** PostgreSQL returns BIGINT as strings: numbers here. */
function normalise(row: RobotAuditRow): RobotAuditRow {
  return {
    ...row,
    seq: Number(row.seq),
    reported_at: Number(row.reported_at),
    went_backwards_at: row.went_backwards_at === null ? null : Number(row.went_backwards_at),
  };
}

export function createRobotAuditRepo() {
  return {
    async ofRobot(q: SqlExecutor, robotId: string): Promise<RobotAuditRow | undefined> {
      const row = await q.get<RobotAuditRow>(
        `SELECT ${COLUMNS} FROM robot_audit_checkpoints c WHERE c.robot_id = $1`,
        [robotId],
      );
      return row === undefined ? undefined : normalise(row);
    },

    async ofOrg(q: SqlExecutor, orgId: string, ownerId?: string): Promise<RobotAuditRow[]> {
      const rows = await q.all<RobotAuditRow>(
        `SELECT ${COLUMNS} FROM robot_audit_checkpoints c
           JOIN robots r ON r.id = c.robot_id JOIN users u ON u.id = r.user_id
          WHERE u.org_id = $1 ${ownerId === undefined ? "" : "AND r.user_id = $2"}`,
        ownerId === undefined ? [orgId] : [orgId, ownerId],
      );
      return rows.map(normalise);
    },

    async save(q: SqlExecutor, row: RobotAuditRow): Promise<void> {
      await q.run(
        `INSERT INTO robot_audit_checkpoints
           (robot_id, vault_id, seq, head, reported_at, went_backwards_at, went_backwards)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (robot_id) DO UPDATE SET vault_id = excluded.vault_id, seq = excluded.seq,
           head = excluded.head, reported_at = excluded.reported_at,
           went_backwards_at = excluded.went_backwards_at,
           went_backwards = excluded.went_backwards`,
        [
          row.robot_id,
          row.vault_id,
          row.seq,
          row.head,
          row.reported_at,
          row.went_backwards_at,
          row.went_backwards,
        ],
      );
    },
  };
}

export type RobotAuditRepo = ReturnType<typeof createRobotAuditRepo>;

/**
 * Compares a report with the last one: a sentence when the audit log went backwards (fewer
 * entries, the same entry with another hash, or another vault), else undefined.
 */
export function wentBackwards(
  last: Pick<RobotAuditRow, "vault_id" | "seq" | "head"> | undefined,
  next: { vaultId: string; seq: number; head: string },
): string | undefined {
  if (last === undefined) return undefined;
  if (last.vault_id !== next.vaultId) {
    return `The robot's vault was replaced: its audit log started again (it had reached entry ${last.seq}; the new vault reports ${next.seq}).`;
  }
  if (next.seq < last.seq) {
    return `The robot's audit log went backwards: it had reached entry ${last.seq} and now reports ${next.seq} (restored from an older copy, or entries removed).`;
  }
  if (next.seq === last.seq && next.head !== last.head) {
    return `The robot's audit log went backwards: entry ${next.seq} is not the one it reported before (rewritten from an older copy).`;
  }
  return undefined;
}
