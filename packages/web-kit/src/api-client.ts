/**
 * The one door to an app's JSON API on its own origin. Same-origin cookies carry the session; the
 * CSRF token lives in the client's memory only (never in storage or a URL) and goes with every
 * state-changing call. Error answers are read by the protocol's one parser; a 401 that means "the
 * session is gone" is broadcast, so the app can show how to get back in.
 */
import { parseErrorBody, retryAfterSeconds } from "@heptora/protocol/error-body";
import type { ApiError } from "./api-error.ts";
import { type PagedResource, type Paging, usePagedResource } from "./use-paged-resource.ts";
import { type Resource, useResource } from "./use-resource.ts";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  /** Sign-in and friends answer 401 for wrong credentials: that is not a lost session. */
  anonymous?: boolean;
}

/** The app's error class: the kit's `ApiError` or a subclass with the same constructor. */
export type ApiErrorClass<E extends ApiError> = new (
  status: number,
  code: string,
  message: string,
  hint?: string,
  retryAfterSeconds?: number,
) => E;

export interface ApiClientOptions<E extends ApiError> {
  /** Where the API lives on this origin: "/api/v1". */
  base: string;
  errorClass: ApiErrorClass<E>;
  /** Who answers, for the generic message: "The platform". */
  server: string;
  /** What a call that got no answer at all throws. */
  unreachable: { code: string; message: string; hint?: string };
  /** Which 401 answers mean the session is gone; by default every one of a non-anonymous call. */
  isSessionLost?: (error: E) => boolean;
  /** More headers for every call (the robot window's request key), read at each call. */
  headers?: () => Record<string, string>;
}

export interface ApiClient<E extends ApiError> {
  request<T>(method: Method, path: string, options?: RequestOptions): Promise<T>;
  get<T>(path: string, signal?: AbortSignal): Promise<T>;
  /** A POST with an empty JSON object unless a body is given. */
  post<T>(path: string, body?: unknown): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
  delete<T = void>(path: string): Promise<T>;
  setCsrfToken(token: string | undefined): void;
  /** Calls `listener` with the error of every call that found the session gone. */
  onSessionLost(listener: (error: E) => void): () => void;
  /** Anything a call threw as this client's error type. */
  toError(cause: unknown): E;
  /** The kit's `useResource` on this client. */
  useResource<T>(path: string | null): { resource: Resource<T, E>; reload: () => void };
  /** The kit's `usePagedResource` on this client. */
  usePagedResource<P, I>(path: string | null, paging: Paging<P, I>): PagedResource<I, E>;
}

/** Path segment for an id or a name chosen by a user. */
export const seg = (value: string): string => encodeURIComponent(value);

/**
 * @example
 * export const api = createApiClient({
 *   base: "/api/v1",
 *   errorClass: ApiError,
 *   server: "The platform",
 *   unreachable: { code: "network_error", message: "The platform cannot be reached." },
 * });
 * const session = await api.post<Session>("/auth/login", { email, password });
 */
export function createApiClient<E extends ApiError>(options: ApiClientOptions<E>): ApiClient<E> {
  const { base, errorClass: ErrorClass, server, unreachable } = options;
  const isSessionLost = options.isSessionLost ?? (() => true);
  let csrfToken: string | undefined;
  const sessionLostListeners = new Set<(error: E) => void>();

  async function errorFrom(response: Response): Promise<E> {
    const retryAfter = retryAfterSeconds(response.headers.get("retry-after"));
    const parsed = parseErrorBody(await response.json().catch(() => undefined));
    if (parsed) {
      return new ErrorClass(response.status, parsed.code, parsed.message, parsed.hint, retryAfter);
    }
    // Not a Heptora error answer (a proxy's page, say): a generic message.
    return new ErrorClass(
      response.status,
      "http_error",
      `${server} answered with an unexpected error (HTTP ${response.status}).`,
    );
  }

  async function request<T>(method: Method, path: string, call: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { ...options.headers?.(), Accept: "application/json" };
    if (call.body !== undefined) headers["Content-Type"] = "application/json";
    if (method !== "GET" && csrfToken !== undefined) headers["X-CSRF-Token"] = csrfToken;
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers,
        credentials: "same-origin",
        cache: "no-store",
        body: call.body === undefined ? null : JSON.stringify(call.body),
        signal: call.signal ?? null,
      });
    } catch (cause) {
      if (cause instanceof DOMException && cause.name === "AbortError") throw cause;
      throw new ErrorClass(0, unreachable.code, unreachable.message, unreachable.hint);
    }
    if (!response.ok) {
      const error = await errorFrom(response);
      if (response.status === 401 && !call.anonymous && isSessionLost(error)) {
        for (const listener of sessionLostListeners) listener(error);
      }
      throw error;
    }
    const text = await response.text();
    return (text === "" ? undefined : JSON.parse(text)) as T;
  }

  const get = <T>(path: string, signal?: AbortSignal) =>
    request<T>("GET", path, signal ? { signal } : {});
  const toError = (cause: unknown): E =>
    cause instanceof ErrorClass
      ? cause
      : new ErrorClass(0, "client_error", "Something went wrong. Try again.");

  return {
    request,
    get,
    post: (path, body) => request("POST", path, { body: body ?? {} }),
    put: (path, body) => request("PUT", path, { body }),
    patch: (path, body) => request("PATCH", path, { body }),
    delete: (path) => request("DELETE", path),
    setCsrfToken: (token) => {
      csrfToken = token;
    },
    onSessionLost: (listener) => {
      sessionLostListeners.add(listener);
      return () => {
        sessionLostListeners.delete(listener);
      };
    },
    toError,
    useResource: <T>(path: string | null) => useResource<T, E>(path, get<T>, toError),
    usePagedResource: <P, I>(path: string | null, paging: Paging<P, I>) =>
      usePagedResource<P, I, E>(path, get<P>, toError, paging),
  };
}
