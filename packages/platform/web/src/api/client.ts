/**
 * The one door to the platform API. Same-origin cookies carry the session; the CSRF token lives in
 * this module's memory only (never in storage or a URL) and goes with every state-changing call.
 */

import { ApiError as KitApiError } from "@heptora/web-kit";

/** A readable message for anything thrown by a call (the kit's, for the same errors). */
export { messageOf } from "@heptora/web-kit";

/** An error answer of the API, `{ error: { code, message, hint? } }`, or a network failure. */
export class ApiError extends KitApiError {
  get isPermissionDenied(): boolean {
    return this.status === 403 && this.code === "insufficient_permissions";
  }
}

const BASE = "/api/v1";
let csrfToken: string | undefined;
const unauthenticatedListeners = new Set<(error: ApiError) => void>();

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called when a request that needed a session got 401: the session is gone. */
export function onUnauthenticated(listener: (error: ApiError) => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  /** Sign-in and friends answer 401 for wrong credentials: that is not a lost session. */
  anonymous?: boolean;
}

async function errorFrom(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as {
      error?: { code?: unknown; message?: unknown; hint?: unknown };
    };
    const e = body.error;
    if (e && typeof e.code === "string" && typeof e.message === "string") {
      return new ApiError(
        response.status,
        e.code,
        e.message,
        typeof e.hint === "string" ? e.hint : undefined,
      );
    }
  } catch {
    // Not JSON (a proxy's page, say): fall through to a generic message.
  }
  return new ApiError(
    response.status,
    "http_error",
    `The platform answered with an unexpected error (HTTP ${response.status}).`,
  );
}

export async function request<T>(
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && csrfToken !== undefined) headers["X-CSRF-Token"] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`${BASE}${path}`, {
      method,
      headers,
      credentials: "same-origin",
      cache: "no-store",
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === "AbortError") throw cause;
    throw new ApiError(
      0,
      "network_error",
      "The platform cannot be reached. Check your connection and try again.",
    );
  }
  if (!response.ok) {
    const error = await errorFrom(response);
    if (response.status === 401 && !options.anonymous) {
      for (const listener of unauthenticatedListeners) listener(error);
    }
    throw error;
  }
  if (response.status === 204 || response.status === 202) return undefined as T;
  const text = await response.text();
  return (text === "" ? undefined : JSON.parse(text)) as T;
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => request<T>("GET", path, signal ? { signal } : {}),
  post: <T>(path: string, body?: unknown) => request<T>("POST", path, { body: body ?? {} }),
  put: <T>(path: string, body: unknown) => request<T>("PUT", path, { body }),
  patch: <T>(path: string, body: unknown) => request<T>("PATCH", path, { body }),
  delete: (path: string) => request<void>("DELETE", path),
};

/** Path segment for an id or a name chosen by a user. */
export const seg = (value: string): string => encodeURIComponent(value);
