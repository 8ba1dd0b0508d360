/**
 * The one door to the robot's window API: the kit's client on /api. A 401 that means "this
 * window's session is gone" is broadcast, so the app can show how to open a new window; the
 * robot's own "not signed in" is an ordinary error.
 */
import { ApiError, createApiClient, type Resource as KitResource } from "@heptora/web-kit";
import { windowKeyHeaders } from "./window-key.ts";

/** The kit's API error (with `retryAfterSeconds`), readable messages and path segments. */
export { ApiError, messageOf, seg } from "@heptora/web-kit";

/** Codes that mean the window (not the robot) has no session any more. */
export const WINDOW_SESSION_LOST = new Set(["unauthenticated", "session_expired"]);

export const api = createApiClient({
  base: "/api",
  errorClass: ApiError,
  server: "The robot",
  unreachable: {
    code: "robot_unreachable",
    message: "The robot does not answer. It may have stopped.",
    hint: "Start it again with `heptora start`, then run `heptora ui`.",
  },
  isSessionLost: (error) => WINDOW_SESSION_LOST.has(error.code),
  headers: windowKeyHeaders,
});

export type Resource<T> = KitResource<T, ApiError>;
export const { onSessionLost, useResource, usePagedResource } = api;

/** Starts talking to the robot: fetches this window's CSRF token. */
export async function openSession(): Promise<{ idleMinutes: number }> {
  const session = await api.get<{ csrfToken: string; idleMinutes: number }>("/session");
  api.setCsrfToken(session.csrfToken);
  return { idleMinutes: session.idleMinutes };
}
