/**
 * The platform audit log: what people and robots did, with outcome and address. Records are
 * written inside the transaction of the change they describe, so a change without its record
 * (or the reverse) cannot be committed.
 */
import type { AuditEvent, AuditQuery } from "@heptora/protocol";
import type { SqlExecutor } from "../../db/sql-db.ts";
import { type Clock, iso } from "../../lib/clock.ts";
import type { AuditRecord, AuditRepo, AuditRow } from "./audit.repo.ts";

export type AuditEntry = Omit<AuditRecord, "at">;

function toEvent(row: AuditRow): AuditEvent {
  let details: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(row.details);
    if (typeof parsed === "object" && parsed !== null) details = parsed as Record<string, unknown>;
  } catch {
    // An unreadable details column is shown as empty rather than failing the whole page.
  }
  return {
    id: String(row.id),
    at: iso(row.at),
    actor: row.actor_id !== null ? { id: row.actor_id, email: row.actor_email ?? "" } : null,
    action: row.action,
    target:
      row.target_type !== null && row.target_id !== null
        ? { type: row.target_type, id: row.target_id, name: row.target_name ?? "" }
        : null,
    outcome: row.outcome,
    ip: row.ip,
    details,
  };
}

export function createAuditService(deps: {
  repo: Pick<AuditRepo, "insert" | "list">;
  clock: Clock;
  db: SqlExecutor;
}) {
  const { repo, clock, db } = deps;
  return {
    /** Appends `entry` using `q` (a transaction, or the database for a standalone event). */
    record(q: SqlExecutor, entry: AuditEntry): Promise<void> {
      return repo.insert(q, { ...entry, at: clock.now() });
    },

    async list(query: AuditQuery): Promise<{ events: AuditEvent[]; nextBefore: string | null }> {
      const rows = await repo.list(db, {
        limit: query.limit,
        ...(query.actorId !== undefined && { actorId: query.actorId }),
        ...(query.processId !== undefined && { processId: query.processId }),
        ...(query.robotId !== undefined && { robotId: query.robotId }),
        ...(query.action !== undefined && { action: query.action }),
        ...(query.from !== undefined && { from: Date.parse(query.from) }),
        ...(query.to !== undefined && { to: Date.parse(query.to) }),
        ...(query.before !== undefined && { before: Number(query.before) }),
      });
      const events = rows.map(toEvent);
      const last = rows.at(-1);
      return {
        events,
        nextBefore: rows.length === query.limit && last !== undefined ? String(last.id) : null,
      };
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
