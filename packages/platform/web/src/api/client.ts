/**
 * The one door to the platform API: the kit's client on /api/v1. Sign-in and friends are
 * `anonymous` calls (their 401 is not a lost session); any other 401 signs the app out.
 */
import {
  createApiClient,
  ApiError as KitApiError,
  type Resource as KitResource,
} from "@heptora/web-kit";

/** A readable message for anything thrown by a call, and path segments (the kit's). */
export { messageOf, seg } from "@heptora/web-kit";

/** An error answer of the API, `{ error: { code, message, hint? } }`, or a network failure. */
export class ApiError extends KitApiError {
  get isPermissionDenied(): boolean {
    return this.status === 403 && this.code === "insufficient_permissions";
  }
}

export const api = createApiClient({
  base: "/api/v1",
  errorClass: ApiError,
  server: "The platform",
  unreachable: {
    code: "network_error",
    message: "The platform cannot be reached. Check your connection and try again.",
  },
});

export type Resource<T> = KitResource<T, ApiError>;
export const { onSessionLost, request, setCsrfToken, useResource, usePagedResource } = api;
