/**
 * Live updates: one server-sent event stream (`GET /api/events`) per window, shared by every
 * screen that wants to follow the robot. Each event names only the kind of change (values, a
 * sign-in or sign-out, new definitions, a sync), never a value; a screen reloads what it shows
 * when a kind it depends on changes (the kit's resources keep the old data on screen while they
 * refresh). The stream is read with fetch, not EventSource: every API call carries the window's
 * request key in a header (docs/adr/0073), which EventSource cannot send. It reconnects by itself
 * after a dropped connection, as EventSource would.
 */
import { useEffect } from "react";
import { windowKeyHeaders } from "./window-key.ts";

/** The kinds of change the robot announces (src/service/changes.ts). */
export type ChangeKind = "values" | "session" | "definitions" | "sync";

const ALL: readonly ChangeKind[] = ["values", "session", "definitions", "sync"];

interface Listener {
  kinds: readonly ChangeKind[];
  reload: () => void;
}

/** How long to wait before connecting again after the stream ended (EventSource's default). */
const RETRY_MS = 3000;

const listeners = new Set<Listener>();
/** Aborts the open stream; undefined when none is open. */
let source: AbortController | undefined;

function kindOf(data: string): ChangeKind | undefined {
  try {
    const kind = (JSON.parse(data) as { kind?: unknown }).kind;
    return ALL.find((k) => k === kind);
  } catch {
    return undefined;
  }
}

function announce(data: string): void {
  const kind = kindOf(data);
  for (const listener of listeners) {
    if (kind === undefined || listener.kinds.includes(kind)) listener.reload();
  }
}

/** Reads server-sent events from a response body; calls `announce` for each `change` event. */
async function follow(signal: AbortSignal): Promise<void> {
  const response = await fetch("/api/events", {
    headers: { ...windowKeyHeaders(), Accept: "text/event-stream" },
    credentials: "same-origin",
    cache: "no-store",
    signal,
  });
  // A refused stream (the session ended) is not retried: the next API call shows why.
  if (!response.ok || response.body === null) throw new Error("refused");
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += value;
    for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const lines = block.split("\n");
      if (!lines.includes("event: change")) continue;
      const data = lines.find((line) => line.startsWith("data: "));
      if (data !== undefined) announce(data.slice(6));
    }
  }
}

function connect(): void {
  if (source !== undefined) return;
  const controller = new AbortController();
  source = controller;
  const again = () => {
    if (source !== controller) return;
    source = undefined;
    setTimeout(() => {
      if (listeners.size > 0) connect();
    }, RETRY_MS);
  };
  // The robot closed the stream or the connection dropped: connect again, as EventSource does;
  // a refusal (the session ended) or our own abort is final.
  follow(controller.signal).then(again, (error: unknown) => {
    if (error instanceof TypeError) again();
    else if (source === controller) source = undefined;
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
        source?.abort();
        source = undefined;
      }
    };
  }, [reload, key]);
}
