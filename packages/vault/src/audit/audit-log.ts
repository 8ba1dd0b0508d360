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
  sameMac,
  verifyChain,
} from "./chain.ts";

export interface AuditLogDeps {
  repo: AuditRepo;
  auditKey: Buffer;
  vaultId: string;
  clock: () => Date;
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

  /** Where the next entry goes, and why the log needs a tamper entry first (if it does). */
  function position(): { seq: number; prevMac: string; tampered?: string } {
    const head = repo.head();
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
      const start = position();
      const tampered = start.tampered;
      let { seq, prevMac } = start;
      const at = clock().toISOString();
      const toWrite: AuditEventInput[] =
        tampered === undefined
          ? [...events]
          : [{ type: "audit.tampered", outcome: "failed", reason: tampered }, ...events];
      const written: AuditEntry[] = [];
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
        written.push({ ...(JSON.parse(json) as AuditEntry), mac });
        prevMac = mac;
        seq++;
      }
      const lastSeq = seq - 1;
      repo.saveHead({
        seq: lastSeq,
        mac: prevMac,
        seal: headSeal(auditKey, vaultId, lastSeq, prevMac),
      });
      // The caller gets its own entries; a tamper entry stays in the log only.
      return written.slice(written.length - events.length);
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
      return verifyChain(repo.iterate(), repo.head(), auditKey, vaultId);
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
