/** SQL for the audit chain and its head record. */
import type { StoredAuditHead, StoredAuditRow } from "../audit/chain.ts";
import type { Db } from "./database.ts";

type Row = Record<string, unknown>;

function toRow(r: Row): StoredAuditRow {
  return {
    seq: r.seq as number,
    at: r.at as string,
    type: r.type as string,
    name: (r.name as string | null) ?? null,
    entry: r.entry as string,
    prevMac: r.prev_mac as string,
    mac: r.mac as string,
  };
}

export interface AuditFilter {
  beforeSeq?: number;
  type?: string;
  name?: string;
  since?: string;
  until?: string;
  limit: number;
}

const COLUMNS = "seq, at, type, name, entry, prev_mac, mac";

export function createAuditRepo(db: Db) {
  const head = db.prepare("SELECT seq, mac, seal FROM audit_head WHERE id = 1");
  const saveHead = db.prepare(
    `INSERT INTO audit_head (id, seq, mac, seal) VALUES (1, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, mac = excluded.mac, seal = excluded.seal`,
  );
  const last = db.prepare("SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1");
  const insert = db.prepare(`INSERT INTO audit (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const all = db.prepare(`SELECT ${COLUMNS} FROM audit ORDER BY seq`);
  const dataVersion = db.prepare("PRAGMA data_version");
  const filtered = new Map<string, ReturnType<Db["prepare"]>>();

  return {
    head(): StoredAuditHead | undefined {
      const r = head.get() as Row | undefined;
      if (r === undefined) return undefined;
      return { seq: r.seq as number, mac: r.mac as string, seal: r.seal as string };
    },
    saveHead(value: StoredAuditHead): void {
      saveHead.run(value.seq, value.mac, value.seal);
    },
    last(): { seq: number; mac: string } | undefined {
      const r = last.get() as Row | undefined;
      return r === undefined ? undefined : { seq: r.seq as number, mac: r.mac as string };
    },
    /** Changes when another connection (any process) commits; our own commits leave it alone. */
    dataVersion(): number {
      return (dataVersion.get() as { data_version: number }).data_version;
    },
    insert(row: StoredAuditRow): void {
      insert.run(row.seq, row.at, row.type, row.name, row.entry, row.prevMac, row.mac);
    },
    *iterate(): Generator<StoredAuditRow> {
      for (const r of all.iterate() as Iterable<Row>) yield toRow(r);
    },
    list(filter: AuditFilter): StoredAuditRow[] {
      const where: string[] = [];
      const params: (string | number)[] = [];
      if (filter.beforeSeq !== undefined) {
        where.push("seq < ?");
        params.push(filter.beforeSeq);
      }
      if (filter.type !== undefined) {
        // The literal lets SQLite use the partial index audit_by_type_rare for every other type.
        where.push(
          filter.type === "secret.read" ? "type = ?" : "type = ? AND type <> 'secret.read'",
        );
        params.push(filter.type);
      }
      if (filter.name !== undefined) {
        where.push("name = ?");
        params.push(filter.name);
      }
      if (filter.since !== undefined) {
        where.push("at >= ?");
        params.push(filter.since);
      }
      if (filter.until !== undefined) {
        where.push("at <= ?");
        params.push(filter.until);
      }
      const sql = `SELECT ${COLUMNS} FROM audit${where.length > 0 ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY seq DESC LIMIT ?`;
      let statement = filtered.get(sql);
      if (statement === undefined) {
        statement = db.prepare(sql);
        filtered.set(sql, statement);
      }
      return (statement.all(...params, filter.limit) as Row[]).map(toRow);
    },
  };
}

export type AuditRepo = ReturnType<typeof createAuditRepo>;
