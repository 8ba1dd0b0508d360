/**
 * "Something a person can see changed": values set or removed, a sign-in or sign-out, a sync.
 * The sync scheduler listens to report set-state to the platform soon; later, the Secrets window
 * listens to update itself. Listeners never receive a value, only the kind of change.
 *
 * @example
 * const changes = createChangeSignal();
 * const stop = changes.subscribe((kind) => console.log(kind)); // "values"
 * changes.notify("values");
 * stop();
 */

export const ChangeKind = {
  Values: "values",
  Session: "session",
  Definitions: "definitions",
  /** A sync attempt ended (its outcome may change what the tray says). */
  Sync: "sync",
} as const;
export type ChangeKind = (typeof ChangeKind)[keyof typeof ChangeKind];

export interface ChangeSignal {
  notify(kind: ChangeKind): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: (kind: ChangeKind) => void): () => void;
}

export function createChangeSignal(): ChangeSignal {
  const listeners = new Set<(kind: ChangeKind) => void>();
  return {
    notify(kind) {
      for (const listener of listeners) listener(kind);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
