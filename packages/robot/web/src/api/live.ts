/**
 * Live updates: one server-sent event stream (`GET /api/events`) per window, shared by every
 * screen that wants to follow the robot. Each event names only the kind of change (values, a
 * sign-in or sign-out, new definitions, a sync), never a value; a screen reloads what it shows
 * when a kind it depends on changes (the kit's resources keep the old data on screen while they
 * refresh). EventSource reconnects by itself.
 */
import { useEffect } from "react";

/** The kinds of change the robot announces (src/service/changes.ts). */
export type ChangeKind = "values" | "session" | "definitions" | "sync";

const ALL: readonly ChangeKind[] = ["values", "session", "definitions", "sync"];

interface Listener {
  kinds: readonly ChangeKind[];
  reload: () => void;
}

const listeners = new Set<Listener>();
let source: EventSource | undefined;

function kindOf(event: MessageEvent): ChangeKind | undefined {
  try {
    const kind = (JSON.parse(String(event.data)) as { kind?: unknown }).kind;
    return ALL.find((k) => k === kind);
  } catch {
    return undefined;
  }
}

function connect(): void {
  if (source !== undefined) return;
  source = new EventSource("/api/events");
  source.addEventListener("change", (event) => {
    const kind = kindOf(event as MessageEvent);
    for (const listener of listeners) {
      if (kind === undefined || listener.kinds.includes(kind)) listener.reload();
    }
  });
}

/**
 * Calls `reload` after each change of one of `kinds` (default: every kind), while the screen is
 * shown. A quiet periodic sync announces only "sync": lists that do not show sync state skip it.
 */
export function useLiveReload(reload: () => void, kinds: readonly ChangeKind[] = ALL): void {
  const key = kinds.join(",");
  useEffect(() => {
    const listener: Listener = { kinds: key.split(",") as ChangeKind[], reload };
    listeners.add(listener);
    connect();
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) {
        source?.close();
        source = undefined;
      }
    };
  }, [reload, key]);
}
