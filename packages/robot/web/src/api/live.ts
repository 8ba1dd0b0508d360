/**
 * Live updates: one server-sent event stream (`GET /api/events`) per window, shared by every
 * screen that wants to follow the robot. Each event names only the kind of change (values, a
 * sign-in or sign-out, new definitions, a sync), never a value; a screen reloads what it shows
 * (the kit's resources keep the old data on screen while they refresh). EventSource reconnects
 * by itself.
 */
import { useEffect } from "react";

const listeners = new Set<() => void>();
let source: EventSource | undefined;

function connect(): void {
  if (source !== undefined) return;
  source = new EventSource("/api/events");
  source.addEventListener("change", () => {
    for (const listener of listeners) listener();
  });
}

/** Calls `reload` after every change the robot announces, while the screen is shown. */
export function useLiveReload(reload: () => void): void {
  useEffect(() => {
    listeners.add(reload);
    connect();
    return () => {
      listeners.delete(reload);
      if (listeners.size === 0) {
        source?.close();
        source = undefined;
      }
    };
  }, [reload]);
}
