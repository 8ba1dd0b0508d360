/**
 * The audit log of one vault: append (inside the caller's write transaction), list and verify.
 *
 * Appending first checks the head record: if it is missing, was changed, or disagrees with the
 * last row (rows cut from the end, rows added after it), the vault records an `audit.tampered`
 * entry before the caller's entries, so the evidence survives the head being rewritten.
 */
import { HeptoraError } from "@heptora/protocol";
import type { AuditRepo } from "../store/audit-repo.ts";
import type { AuditEntry, AuditEventInput, AuditQuery } from "../types.ts";
import { canonicalJson, type JsonObject } from "./canonical-json.ts";
import {
  type AuditVerification,
  entryMac,
  GENESIS_MAC,
  headSeal,
  type StoredAuditHead,
  sameMac,
  verifyChain,
} from "./chain.ts";

export interface AuditLogDeps {
  repo: AuditRepo;
  auditKey: Buffer;
  vaultId: string;
  clock: () => Date;
  /**
   * The highest seq this machine recorded for this log outside the vault file (the rollback
   * checkpoint, docs/adr/0074): a head below it was put back after later entries were deleted.
   */
  highWater?: () => number;
  /** The key of each entry, for entries from before a key rotation (docs/adr/0080). */
  keyForSeq?: (seq: number) => Uint8Array;
}

export const MAX_AUDIT_LIST = 10_000;

function parseStoredEntry(seq: number, json: string, mac: string): AuditEntry {
  try {
    const value = JSON.parse(json) as AuditEntry;
    return { ...value, mac };
  } catch (cause) {
    throw new HeptoraError("vault_integrity", {
      message: `Audit entry ${seq} cannot be read.`,
      hint: "Run `heptora audit verify` to see what was changed.",
      cause,
    });
  }
}

/**
 * The entry as the caller gets it back: a copy of what the MAC covers (like canonical JSON,
 * without undefined members) plus the MAC. Built directly instead of parsing the JSON just
 * written; the caller's event objects are not shared.
 */
function asWritten(entry: object, mac: string): AuditEntry {
  const out = withoutUndefined(entry) as Record<string, unknown>;
  out.mac = mac;
  return out as unknown as AuditEntry;
}

function withoutUndefined(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(withoutUndefined);
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    if (member !== undefined) out[key] = withoutUndefined(member);
  }
  return out;
}

function isoOrThrow(value: string | undefined, field: string): string | undefined {
  if (value === undefined) return undefined;
  const time = new Date(value);
  if (typeof value !== "string" || value.length > 40 || Number.isNaN(time.getTime())) {
    throw new HeptoraError("validation_failed", {
      message: `'${field}' must be a date and time (ISO 8601).`,
    });
  }
  return time.toISOString();
}

export function createAuditLog(deps: AuditLogDeps) {
  const { repo, auditKey, vaultId, clock } = deps;

  /**
   * The head this instance last wrote, and the connection's data_version then. While no other
   * connection has committed since (data_version unchanged) and the stored head is still exactly
   * the one we wrote (so our transaction was not rolled back), the head and the last row are the
   * ones we checked and wrote: the seal check and the read of the last row can be skipped. Any
   * other writer (another vault, another process, an attacker's sqlite3) changes data_version, and
   * then everything is checked again.
   */
  let written: { dataVersion: number; head: StoredAuditHead } | undefined;
  /** A head put back below the high-water mark is reported once per instance. */
  let rollbackReported = false;

  /** Where the next entry goes, and why the log needs a tamper entry first (if it does). */
  function position(dataVersion: number): { seq: number; prevMac: string; tampered?: string } {
    const head = repo.head();
    if (
      written !== undefined &&
      head !== undefined &&
      written.dataVersion === dataVersion &&
      written.head.seq === head.seq &&
      written.head.mac === head.mac &&
      written.head.seal === head.seal
    ) {
      return { seq: head.seq + 1, prevMac: head.mac };
    }
    written = undefined;
    return checkedPosition(head);
  }

  function checkedPosition(head: StoredAuditHead | undefined): {
    seq: number;
    prevMac: string;
    tampered?: string;
  } {
    const last = repo.last();
    const lastSeq = last?.seq ?? 0;
    if (head === undefined) {
      return {
        seq: lastSeq + 1,
        prevMac: last?.mac ?? GENESIS_MAC,
        tampered: "The audit head record was missing.",
      };
    }
    if (!sameMac(headSeal(auditKey, vaultId, head.seq, head.mac), head.seal)) {
      return {
        seq: Math.max(lastSeq, head.seq) + 1,
        prevMac: last?.mac ?? GENESIS_MAC,
        tampered: "The audit head record was changed.",
      };
    }
    if (lastSeq < head.seq) {
      return {
        seq: head.seq + 1,
        prevMac: head.mac,
        tampered: `Entries ${lastSeq + 1} to ${head.seq} were removed from the end of the log.`,
      };
    }
    if (lastSeq > head.seq) {
      return {
        seq: lastSeq + 1,
        prevMac: last?.mac ?? GENESIS_MAC,
        tampered: `Entries ${head.seq + 1} to ${lastSeq} were added after the head record.`,
      };
    }
    const highWater = rollbackReported ? 0 : (deps.highWater?.() ?? 0);
    if (head.seq < highWater) {
      rollbackReported = true;
      return {
        seq: head.seq + 1,
        prevMac: head.mac,
        tampered: `Entries ${head.seq + 1} to ${highWater} were removed and an older audit head was put back (this machine recorded entry ${highWater}).`,
      };
    }
    return { seq: head.seq + 1, prevMac: head.mac };
  }

  return {
    /** Writes the initial head (seq 0). Call once, when the vault is created. */
    initialize(): void {
      repo.saveHead({
        seq: 0,
        mac: GENESIS_MAC,
        seal: headSeal(auditKey, vaultId, 0, GENESIS_MAC),
      });
    },

    /** Appends checked events. MUST run inside a write transaction (BEGIN IMMEDIATE). */
    appendWithin(events: readonly AuditEventInput[]): AuditEntry[] {
      // Read inside the transaction (BEGIN IMMEDIATE holds the write lock): nobody can commit
      // between this check and our COMMIT.
      const dataVersion = repo.dataVersion();
      const start = position(dataVersion);
      const tampered = start.tampered;
      let { seq, prevMac } = start;
      const at = clock().toISOString();
      const toWrite: AuditEventInput[] =
        tampered === undefined
          ? [...events]
          : [{ type: "audit.tampered", outcome: "failed", reason: tampered }, ...events];
      const entries: AuditEntry[] = [];
      for (const event of toWrite) {
        const entry = { ...event, seq, at };
        const json = canonicalJson(entry as unknown as JsonObject);
        const mac = entryMac(auditKey, prevMac, json);
        repo.insert({
          seq,
          at,
          type: event.type,
          name: event.name ?? null,
          entry: json,
          prevMac,
          mac,
        });
        entries.push(asWritten(entry, mac));
        prevMac = mac;
        seq++;
      }
      const lastSeq = seq - 1;
      const head = {
        seq: lastSeq,
        mac: prevMac,
        seal: headSeal(auditKey, vaultId, lastSeq, prevMac),
      };
      repo.saveHead(head);
      written = { dataVersion, head };
      // The caller gets its own entries; a tamper entry stays in the log only.
      return entries.slice(entries.length - events.length);
    },

    list(query: AuditQuery = {}): AuditEntry[] {
      const limit = query.limit ?? 100;
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_AUDIT_LIST) {
        throw new HeptoraError("validation_failed", {
          message: `'limit' is a whole number from 1 to ${MAX_AUDIT_LIST}.`,
        });
      }
      if (query.beforeSeq !== undefined && !Number.isSafeInteger(query.beforeSeq)) {
        throw new HeptoraError("validation_failed", { message: "'beforeSeq' is a whole number." });
      }
      for (const field of ["type", "name"] as const) {
        const v = query[field];
        if (v !== undefined && (typeof v !== "string" || v.length > 200)) {
          throw new HeptoraError("validation_failed", {
            message: `'${field}' is a string of at most 200 characters.`,
          });
        }
      }
      const rows = repo.list({
        beforeSeq: query.beforeSeq,
        type: query.type,
        name: query.name,
        since: isoOrThrow(query.since, "since"),
        until: isoOrThrow(query.until, "until"),
        limit,
      });
      return rows.map((row) => parseStoredEntry(row.seq, row.entry, row.mac));
    },

    verify(): AuditVerification {
      return verifyChain(repo.iterate(), repo.head(), auditKey, vaultId, deps.keyForSeq);
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
