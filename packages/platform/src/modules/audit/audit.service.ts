/**
 * The platform audit log: what people and robots did, with outcome and address. Records are
 * written inside the transaction of the change they describe, so a change without its record
 * (or the reverse) cannot be committed.
 */
import { createHash } from "node:crypto";
import type { AuditEvent, AuditQuery } from "@heptora/protocol";
import type { SqlExecutor } from "../../db/sql-db.ts";
import { type Clock, iso } from "../../lib/clock.ts";
import type { AuditRecord, AuditRepo, AuditRow } from "./audit.repo.ts";

/** Refusals of one kind from one source collapse into one entry per this much time. */
export const REPEAT_WINDOW_MS = 60 * 60_000;

export type AuditEntry = Omit<AuditRecord, "at" | "repeatKey"> & {
  /**
   * For refusals an unauthenticated caller can repeat at will (failed and throttled sign-ins,
   * reset requests): what makes two of them "the same" (source, kind, account). The same
   * refusal within the hour adds to one entry's `count` instead of adding an entry, so a flood
   * leaves a bounded number of entries that still say how many attempts there were.
   */
  readonly repeatOf?: readonly string[];
};

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
    count: Number(row.repeats),
    lastAt: iso(row.last_at === null ? row.at : Number(row.last_at)),
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
      const { repeatOf, ...rest } = entry;
      const at = clock.now();
      if (repeatOf === undefined) return repo.insert(q, { ...rest, at });
      const bucket = Math.floor(at / REPEAT_WINDOW_MS);
      const repeatKey = createHash("sha256")
        .update(JSON.stringify([rest.action, rest.outcome, ...repeatOf, bucket]))
        .digest("hex");
      return repo.insert(q, { ...rest, at, repeatKey });
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
