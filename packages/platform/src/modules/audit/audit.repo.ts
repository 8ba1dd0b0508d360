/** SQL of the platform audit log. */
import type { AuditOutcome } from "@heptora/protocol";
import type { SqlExecutor, SqlValue } from "../../db/sql-db.ts";

/** Who did it; `apiToken` when they acted through an admin API token (kept in `details`). */
export interface AuditActor {
  readonly id: string;
  readonly email: string;
  readonly apiToken?: { readonly id: string; readonly name: string };
}

export interface AuditRecord {
  readonly at: number;
  readonly actor: AuditActor | null;
  readonly action: string;
  readonly target?: { readonly type: string; readonly id: string; readonly name: string };
  /** Filled for events about a process (its variables and assignments included). */
  readonly processId?: string;
  readonly robotId?: string;
  readonly outcome: AuditOutcome;
  readonly ip: string | null;
  /** Non-secret facts only: names, flags, counts. Never a password, token or value. */
  readonly details?: Record<string, unknown>;
  /**
   * Set for repeatable refusals of unauthenticated requests: records with the same key add to
   * one row's count instead of adding rows (see AuditEntry.repeatOf in audit.service.ts).
   */
  readonly repeatKey?: string;
}

export interface AuditRow {
  id: number;
  at: number;
  actor_id: string | null;
  actor_email: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  target_name: string | null;
  outcome: AuditOutcome;
  ip: string | null;
  details: string;
  repeats: number | string;
  last_at: number | string | null;
}

export interface AuditFilter {
  readonly actorId?: string;
  readonly processId?: string;
  readonly robotId?: string;
  readonly action?: string;
  readonly from?: number;
  readonly to?: number;
  readonly before?: number;
  readonly limit: number;
}

export function createAuditRepo() {
  return {
    async insert(q: SqlExecutor, record: AuditRecord): Promise<void> {
      await q.run(
        `INSERT INTO audit_events (at, actor_id, actor_email, action, target_type, target_id,
          target_name, process_id, robot_id, outcome, ip, details, repeat_key, last_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $1)
         ON CONFLICT (repeat_key) DO UPDATE
           SET repeats = audit_events.repeats + 1, last_at = excluded.last_at`,
        [
          record.at,
          record.actor?.id ?? null,
          record.actor?.email ?? null,
          record.action,
          record.target?.type ?? null,
          record.target?.id ?? null,
          record.target?.name ?? null,
          record.processId ?? null,
          record.robotId ?? null,
          record.outcome,
          record.ip,
          JSON.stringify(
            record.actor?.apiToken === undefined
              ? (record.details ?? {})
              : { ...record.details, apiToken: record.actor.apiToken },
          ),
          record.repeatKey ?? null,
        ],
      );
    },

    /** Newest first. */
    async list(q: SqlExecutor, filter: AuditFilter): Promise<AuditRow[]> {
      const where: string[] = [];
      const params: SqlValue[] = [];
      const add = (clause: string, value: SqlValue) => {
        params.push(value);
        where.push(clause.replace("?", `$${params.length}`));
      };
      if (filter.actorId !== undefined) add("actor_id = ?", filter.actorId);
      if (filter.processId !== undefined) add("process_id = ?", filter.processId);
      if (filter.robotId !== undefined) add("robot_id = ?", filter.robotId);
      if (filter.action !== undefined) add("action = ?", filter.action);
      if (filter.from !== undefined) add("at >= ?", filter.from);
      if (filter.to !== undefined) add("at <= ?", filter.to);
      if (filter.before !== undefined) add("id < ?", filter.before);
      params.push(filter.limit);
      return q.all<AuditRow>(
        `SELECT id, at, actor_id, actor_email, action, target_type, target_id, target_name,
                outcome, ip, details, repeats, last_at
           FROM audit_events
          ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
          ORDER BY id DESC
          LIMIT $${params.length}`,
        params,
      );
    },
  };
}

export type AuditRepo = ReturnType<typeof createAuditRepo>;
