/**
 * Counts repeated refusals instead of auditing each one (docs/adr/0071). Anything that can reach
 * the robot's socket can send bad run tokens as fast as it likes; one audit entry each would grow
 * the vault's audit chain without limit. So, per reason:
 *
 * - the first refusal of a window (a minute) is recorded at once, as before, with its details;
 * - the next ones in that window are only counted;
 * - the count is appended as one summary entry (`details.refused` = N, the attempts it stands
 *   for, `since` and `until`: the first and last of them; `summary: true`) when the
 *   window ends, and before anyone reads or verifies the audit log, locks the vault or stops the
 *   daemon, so what a person sees always includes every attempt.
 *
 * The chain is append-only: a summary is a new entry, never an edit of an old one.
 *
 * @example
 * const tally = createRefusalTally({ record, append, clock: Date.now, log });
 * await tally.refused("invalid run token", { type: "access.denied", actor: "unknown" });
 * tally.flush(); // appends "refused: N" for every reason counted since
 */
import type { AuditEventInput } from "@heptora/vault";

export interface RefusalTallyDeps {
  /** Records the first refusal of a window (group commit; awaited before the answer). */
  record: (event: AuditEventInput) => Promise<unknown> | undefined;
  /** Appends a summary at once (one commit); undefined when there is no vault to write to. */
  append: (event: AuditEventInput) => unknown;
  clock: () => number;
  log: (line: string) => void;
  windowMs?: number;
}

interface Window {
  readonly startedAt: number;
  /** The event of the first refusal, without its per-request details. */
  readonly summary: AuditEventInput;
  counted: number;
  firstCountedAt: number;
  lastCountedAt: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export type RefusalTally = ReturnType<typeof createRefusalTally>;

export function createRefusalTally(deps: RefusalTallyDeps) {
  const windowMs = deps.windowMs ?? 60_000;
  const windows = new Map<string, Window>();

  function close(reason: string): void {
    const open = windows.get(reason);
    if (open === undefined) return;
    windows.delete(reason);
    if (open.timer !== undefined) clearTimeout(open.timer);
    if (open.counted === 0) return;
    try {
      deps.append({
        ...open.summary,
        details: {
          summary: true,
          refused: open.counted,
          since: new Date(open.firstCountedAt).toISOString(),
          until: new Date(open.lastCountedAt).toISOString(),
        },
      });
    } catch {
      deps.log(`Could not record ${open.counted} refused attempt(s) in the audit log.`);
    }
  }

  return {
    /**
     * A refusal for `reason`: recorded now when it is the first of its window (resolves once
     * committed, with true), else counted (resolves at once, with false).
     */
    async refused(reason: string, event: AuditEventInput): Promise<boolean> {
      const now = deps.clock();
      const open = windows.get(reason);
      if (open !== undefined && now >= open.startedAt && now - open.startedAt < windowMs) {
        if (open.counted === 0) open.firstCountedAt = now;
        open.counted++;
        open.lastCountedAt = now;
        return false;
      }
      close(reason);
      const { name: _name, details: _details, ...summary } = event;
      const timer = setTimeout(() => close(reason), windowMs);
      timer.unref();
      windows.set(reason, {
        startedAt: now,
        summary,
        counted: 0,
        firstCountedAt: now,
        lastCountedAt: now,
        timer,
      });
      await deps.record(event);
      return true;
    },

    /** Appends the counts of every open window now (before a read of the log, a lock, a stop). */
    flush(): void {
      for (const reason of [...windows.keys()]) close(reason);
    },
  };
}
