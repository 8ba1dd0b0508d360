/**
 * The audit log as a file: CSV (for a spreadsheet) or JSON. Pure functions over the entries the
 * robot service lists; no value is ever in an entry, so none can be in the export.
 */
import type { LocalAuditEntry } from "@heptora/protocol";

export const EXPORT_COLUMNS = [
  "seq",
  "at",
  "type",
  "name",
  "process",
  "actor",
  "outcome",
  "reason",
  "details",
] as const;

/** The fields an export carries (the chain's MACs stay in the vault). */
export function exportRow(entry: LocalAuditEntry): Record<(typeof EXPORT_COLUMNS)[number], string> {
  const details = (entry as { details?: unknown }).details;
  return {
    seq: String(entry.seq),
    at: entry.at ?? "",
    type: entry.type,
    name: entry.name ?? "",
    process: entry.process ?? "",
    actor: entry.actor ?? "",
    outcome: entry.outcome ?? "",
    reason: entry.reason ?? "",
    details: details === undefined || details === null ? "" : JSON.stringify(details),
  };
}

/**
 * One CSV field, RFC 4180 quoting; a leading = + - @ (or tab/CR) is prefixed with ' so that a
 * spreadsheet does not run a process name as a formula.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function toCsv(entries: readonly LocalAuditEntry[]): string {
  const lines = [EXPORT_COLUMNS.join(",")];
  for (const entry of entries) {
    const row = exportRow(entry);
    lines.push(EXPORT_COLUMNS.map((column) => csvField(row[column])).join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}

export function toJson(entries: readonly LocalAuditEntry[]): string {
  const rows = entries.map((entry) => ({
    seq: entry.seq,
    at: entry.at ?? null,
    type: entry.type,
    name: entry.name ?? null,
    process: entry.process ?? null,
    actor: entry.actor ?? null,
    outcome: entry.outcome ?? null,
    reason: entry.reason ?? null,
    details: (entry as { details?: unknown }).details ?? null,
  }));
  return `${JSON.stringify({ entries: rows }, null, 2)}\n`;
}
