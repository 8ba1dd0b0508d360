/** Turns the audit filter form into the query string of GET /audit. Pure, so it is easy to test. */

export interface AuditFilters {
  actorId: string;
  processId: string;
  robotId: string;
  action: string;
  /** yyyy-mm-dd from <input type="date">, in the viewer's time zone; "" for no bound. */
  from: string;
  to: string;
}

export const NO_FILTERS: AuditFilters = {
  actorId: "",
  processId: "",
  robotId: "",
  action: "",
  from: "",
  to: "",
};

/** Whether any filter is set (then "Clear filters" is on, and an empty list says none matched). */
export function isFiltered(filters: AuditFilters): boolean {
  return Object.values(filters).some((v) => v !== "");
}

/** Start of a local calendar day as an ISO instant; `endOfDay` gives the last millisecond. */
export function dayBound(day: string, endOfDay: boolean): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  const [y, m, d] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
  const date = endOfDay ? new Date(y, m, d, 23, 59, 59, 999) : new Date(y, m, d, 0, 0, 0, 0);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function auditQuery(filters: AuditFilters, limit: number, before?: string): string {
  const params = new URLSearchParams();
  if (filters.actorId) params.set("actorId", filters.actorId);
  if (filters.processId) params.set("processId", filters.processId);
  if (filters.robotId) params.set("robotId", filters.robotId);
  if (filters.action.trim()) params.set("action", filters.action.trim());
  const from = dayBound(filters.from, false);
  const to = dayBound(filters.to, true);
  if (from) params.set("from", from);
  if (to) params.set("to", to);
  params.set("limit", String(limit));
  if (before) params.set("before", before);
  return `/audit?${params.toString()}`;
}

/** "process.variable.create" -> "process variable create". */
export function humanAction(action: string): string {
  return action.replace(/[._]+/g, " ").trim();
}
