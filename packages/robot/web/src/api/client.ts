/**
 * The one door to the robot's window API (same origin, /api). The session cookie is HttpOnly and
 * travels by itself; the CSRF token lives in this module's memory only and goes with every
 * state-changing call. A 401 that means "this window's session is gone" is broadcast, so the app
 * can show how to open a new window; the robot's own "not signed in" is an ordinary error.
 */

import { ApiError as KitApiError } from "@heptora/web-kit";

/** A readable message for anything thrown by a call (the kit's, for the same errors). */
export { messageOf } from "@heptora/web-kit";

/** The kit's API error, plus how long to wait when the robot says "too many attempts". */
export class ApiError extends KitApiError {
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, code: string, message: string, hint?: string, retryAfter?: number) {
    super(status, code, message, hint);
    this.retryAfterSeconds = retryAfter;
  }
}

/** Codes that mean the window (not the robot) has no session any more. */
export const WINDOW_SESSION_LOST = new Set(["unauthenticated", "session_expired"]);

let csrfToken: string | undefined;
const sessionLostListeners = new Set<(error: ApiError) => void>();

export function onSessionLost(listener: (error: ApiError) => void): () => void {
  sessionLostListeners.add(listener);
  return () => {
    sessionLostListeners.delete(listener);
  };
}

async function errorFrom(response: Response): Promise<ApiError> {
  const retry = Number(response.headers.get("retry-after") ?? "");
  const retryAfter = Number.isFinite(retry) && retry > 0 ? retry : undefined;
  try {
    const body = (await response.json()) as {
      error?: { code?: unknown; message?: unknown; hint?: unknown };
    };
    const e = body.error;
    if (e && typeof e.code === "string" && typeof e.message === "string") {
      const hint = typeof e.hint === "string" ? e.hint : undefined;
      return new ApiError(response.status, e.code, e.message, hint, retryAfter);
    }
  } catch {
    // Not JSON: fall through to a generic message.
  }
  return new ApiError(
    response.status,
    "http_error",
    `The robot answered with an unexpected error (HTTP ${response.status}).`,
  );
}

type Method = "GET" | "POST" | "PUT" | "DELETE";

export async function request<T>(
  method: Method,
  path: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && csrfToken !== undefined) headers["X-CSRF-Token"] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      headers,
      credentials: "same-origin",
      cache: "no-store",
      body: body === undefined ? null : JSON.stringify(body),
      signal: signal ?? null,
    });
  } catch {
    throw new ApiError(
      0,
      "robot_unreachable",
      "The robot does not answer. It may have stopped.",
      "Start it again with `heptora start`, then run `heptora ui`.",
    );
  }
  if (!response.ok) {
    const error = await errorFrom(response);
    if (response.status === 401 && WINDOW_SESSION_LOST.has(error.code)) {
      for (const listener of sessionLostListeners) listener(error);
    }
    throw error;
  }
  const text = await response.text();
  return (text === "" ? undefined : JSON.parse(text)) as T;
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => request<T>("GET", path, undefined, signal),
  post: <T>(path: string, body: unknown = {}) => request<T>("POST", path, body),
  put: <T>(path: string, body: unknown) => request<T>("PUT", path, body),
  delete: <T>(path: string) => request<T>("DELETE", path, {}),
};

/** Starts talking to the robot: fetches this window's CSRF token. */
export async function openSession(): Promise<{ idleMinutes: number }> {
  const session = await api.get<{ csrfToken: string; idleMinutes: number }>("/session");
  csrfToken = session.csrfToken;
  return { idleMinutes: session.idleMinutes };
}

/** Path segment for a name chosen by a user. */
export const seg = (value: string): string => encodeURIComponent(value);
