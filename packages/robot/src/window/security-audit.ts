/**
 * Audit entries for what the Secrets window refuses (foreign Host, cross-origin or token-less
 * requests, bad sign-in links, throttled sign-ins), as `access.denied` by actor "window".
 * A hostile page can send thousands of refused requests; the same refusal is therefore recorded
 * at most once a minute, the next entry counting how many were left out.
 */
import type { AuditEventInput } from "@heptora/vault";

export type RecordAudit = (event: AuditEventInput) => Promise<unknown>;

export interface SecurityAuditOptions {
  record: RecordAudit;
  clock: () => number;
  log: (line: string) => void;
  intervalMs?: number;
}

export type SecurityAudit = ReturnType<typeof createSecurityAudit>;

export function createSecurityAudit(options: SecurityAuditOptions) {
  const intervalMs = options.intervalMs ?? 60_000;
  const last = new Map<string, { at: number; suppressed: number }>();

  return {
    /** Records a refusal (throttled per reason); never throws, never blocks the answer. */
    denied(reason: string, details: Record<string, string | number | boolean> = {}): void {
      const now = options.clock();
      const seen = last.get(reason);
      if (seen !== undefined && now - seen.at < intervalMs && now >= seen.at) {
        seen.suppressed++;
        return;
      }
      const suppressed = seen?.suppressed ?? 0;
      last.set(reason, { at: now, suppressed: 0 });
      if (last.size > 100) last.delete(last.keys().next().value as string);
      options.log(`Secrets window refused a request: ${reason}.`);
      options
        .record({
          type: "access.denied",
          actor: "window",
          outcome: "denied",
          reason,
          ...(suppressed > 0 || Object.keys(details).length > 0
            ? { details: { ...details, ...(suppressed > 0 ? { alsoRefused: suppressed } : {}) } }
            : {}),
        })
        .catch(() => options.log("Could not record a refused window request in the audit log."));
    },

    /** Records a successful use of a one-time link (a new window session). */
    opened(): Promise<unknown> {
      return options.record({
        type: "window.open",
        actor: "window",
        outcome: "ok",
        reason: "Secrets window signed in with a one-time link",
      });
    },
  };
}
