/** The kit's `useResource` on the robot's window API: errors are always this app's `ApiError`. */
import { type Resource as KitResource, useResource as useKitResource } from "@heptora/web-kit";
import { ApiError, api } from "../api/client.ts";

export type Resource<T> = KitResource<T, ApiError>;

function asApiError(cause: unknown): ApiError {
  return cause instanceof ApiError
    ? cause
    : new ApiError(0, "client_error", "Something went wrong. Try again.");
}

export function useResource<T>(path: string): { resource: Resource<T>; reload: () => void } {
  return useKitResource<T, ApiError>(path, api.get<T>, asApiError);
}
