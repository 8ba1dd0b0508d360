/**
 * The audit chain, pure: MACs of entries and of the head record, and verification of a stored
 * log that names what was done to it (edited, deleted, inserted, reordered, truncated) and where.
 *
 * mac(n) = HMAC-SHA256(auditKey, mac(n-1) || canonical JSON of entry n, seq and at included),
 * with mac(0) = 32 zero bytes. Each row also stores the MAC it chains from (prev_mac): that lets
 * verification check every row on its own and then every link, and so tell an edit (row fails,
 * links hold) from an insertion (row fails, the next row links past it) or a deletion (rows hold,
 * a seq and a link are missing).
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const GENESIS_MAC = "0".repeat(64);

export type AuditProblemKind = "edited" | "deleted" | "inserted" | "reordered" | "truncated";
export interface AuditProblem {
  seq: number;
  kind: AuditProblemKind;
  message: string;
}
export interface AuditVerification {
  ok: boolean;
  count: number;
  problems: AuditProblem[];
}

/** One row of the audit table as stored. */
export interface StoredAuditRow {
  seq: number;
  at: string;
  type: string;
  name: string | null;
  entry: string;
  prevMac: string;
  mac: string;
}

export interface StoredAuditHead {
  seq: number;
  mac: string;
  seal: string;
}

export function entryMac(auditKey: Uint8Array, prevMac: string, entryJson: string): string {
  return createHmac("sha256", auditKey)
    .update(Buffer.from(prevMac, "hex"))
    .update(entryJson, "utf8")
    .digest("hex");
}

/** The seal of the head record (last seq and MAC), so the tail cannot be cut unnoticed. */
export function headSeal(auditKey: Uint8Array, vaultId: string, seq: number, mac: string): string {
  return createHmac("sha256", auditKey)
    .update(`heptora audit head v1\n${vaultId}\n${seq}\n${mac}`, "utf8")
    .digest("hex");
}

export function sameMac(a: string, b: string): boolean {
  const hex = /^[0-9a-f]{64}$/;
  if (!hex.test(a) || !hex.test(b)) return false;
  return timingSafeEqual(Buffer.from(a, "hex"), Buffer.from(b, "hex"));
}

interface ParsedEntry {
  seq: number;
  at: string;
  type: string;
  name: string | null;
}

function parseEntry(json: string): ParsedEntry | undefined {
  try {
    const value = JSON.parse(json) as Record<string, unknown>;
    if (typeof value !== "object" || value === null) return undefined;
    const { seq, at, type, name } = value;
    if (typeof seq !== "number" || typeof at !== "string" || typeof type !== "string") {
      return undefined;
    }
    if (name !== undefined && typeof name !== "string") return undefined;
    return { seq, at, type, name: name ?? null };
  } catch {
    return undefined;
  }
}

/**
 * Verifies rows given in table order (ascending seq) against the head record. Streams: holds
 * only the current and the next row.
 */
export function verifyChain(
  rows: Iterable<StoredAuditRow>,
  head: StoredAuditHead | undefined,
  auditKey: Uint8Array,
  vaultId: string,
  /** Entries written before a key rotation were MAC'd with an older key (docs/adr/0080). */
  keyForSeq: (seq: number) => Uint8Array = () => auditKey,
): AuditVerification {
  const problems: AuditProblem[] = [];
  let count = 0;
  let lastMac = GENESIS_MAC; // MAC the next row should chain from
  let highestSeq = 0; // highest authentic seq seen
  let lastRow: StoredAuditRow | undefined;
  let lastAuthentic = true;

  const visit = (row: StoredAuditRow, next: StoredAuditRow | undefined): void => {
    count++;
    lastRow = row;
    const parsed = parseEntry(row.entry);
    const authentic =
      parsed !== undefined &&
      sameMac(entryMac(keyForSeq(parsed.seq), row.prevMac, row.entry), row.mac);
    lastAuthentic = authentic;
    if (!authentic || parsed === undefined) {
      const skippedOver = next !== undefined && next.prevMac === lastMac;
      const beyondHead = next === undefined && head !== undefined && row.seq > head.seq;
      if (skippedOver || beyondHead) {
        problems.push({
          seq: row.seq,
          kind: "inserted",
          message: `Entry ${row.seq} was added outside Heptora: it is not part of the chain.`,
        });
        return; // the chain continues from the row before it
      }
      problems.push({
        seq: row.seq,
        kind: "edited",
        message: `Entry ${row.seq} was changed after it was written.`,
      });
      // Trust the next link so one edit is reported once, not once per following row.
      lastMac = next?.prevMac ?? row.mac;
      highestSeq = Math.max(highestSeq, row.seq);
      return;
    }
    // A row whose link holds is in chain order even if its seq column shifted (renumbering
    // after an insertion or deletion is reported once, where it began).
    const links = row.prevMac === lastMac;
    if (!links && parsed.seq !== row.seq) {
      problems.push({
        seq: row.seq,
        kind: "reordered",
        message: `Entry ${parsed.seq} was moved to position ${row.seq}.`,
      });
    } else if (!links && parsed.seq > highestSeq + 1) {
      const first = highestSeq + 1;
      const last = parsed.seq - 1;
      problems.push({
        seq: first,
        kind: "deleted",
        message:
          first === last
            ? `Entry ${first} was deleted.`
            : `Entries ${first} to ${last} were deleted.`,
      });
    } else if (!links && problems.length === 0) {
      problems.push({
        seq: row.seq,
        kind: "reordered",
        message: `Entry ${row.seq} does not follow the entry before it.`,
      });
    } else if (row.at !== parsed.at || row.type !== parsed.type || row.name !== parsed.name) {
      problems.push({
        seq: row.seq,
        kind: "edited",
        message: `Entry ${row.seq} was changed after it was written (its indexed columns).`,
      });
    }
    lastMac = row.mac;
    highestSeq = Math.max(highestSeq, parsed.seq);
  };

  let pending: StoredAuditRow | undefined;
  for (const row of rows) {
    if (pending !== undefined) visit(pending, row);
    pending = row;
  }
  if (pending !== undefined) visit(pending, undefined);

  checkHead(head, lastRow, lastAuthentic, problems, auditKey, vaultId, highestSeq);
  return { ok: problems.length === 0, count, problems };
}

function checkHead(
  head: StoredAuditHead | undefined,
  lastRow: StoredAuditRow | undefined,
  lastAuthentic: boolean,
  problems: AuditProblem[],
  auditKey: Uint8Array,
  vaultId: string,
  highestSeq: number,
): void {
  const lastSeq = lastRow?.seq ?? 0;
  if (head === undefined) {
    problems.push({
      seq: lastSeq + 1,
      kind: "truncated",
      message: "The audit head record is missing: the end of the log cannot be checked.",
    });
    return;
  }
  if (!sameMac(headSeal(auditKey, vaultId, head.seq, head.mac), head.seal)) {
    problems.push({
      seq: head.seq,
      kind: "edited",
      message: "The audit head record was changed after it was written.",
    });
    return;
  }
  if (head.seq > highestSeq) {
    const first = highestSeq + 1;
    problems.push({
      seq: first,
      kind: "truncated",
      message:
        first === head.seq
          ? `Entry ${first}, the last one, was removed.`
          : `Entries ${first} to ${head.seq}, the last ones, were removed.`,
    });
  } else if (head.seq < highestSeq && lastAuthentic) {
    problems.push({
      seq: head.seq + 1,
      kind: "inserted",
      message: `Entries after ${head.seq} were not recorded by the head: the head was rolled back.`,
    });
  } else if (
    lastRow !== undefined &&
    head.seq === lastRow.seq &&
    lastAuthentic &&
    head.mac !== lastRow.mac
  ) {
    problems.push({
      seq: lastRow.seq,
      kind: "edited",
      message: `Entry ${lastRow.seq} does not match the audit head record.`,
    });
  }
}
