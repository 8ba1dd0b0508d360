/**
 * Loads one API resource for a screen, with the three states every screen shows: loading, error,
 * ready. A reload keeps the data on screen while it refreshes.
 */
import { useCallback, useEffect, useState } from "react";
import { ApiError, api } from "../api/client.ts";

export type Resource<T> =
  | { status: "loading" }
  | { status: "error"; error: ApiError }
  | { status: "ready"; data: T };

export function useResource<T>(path: string): { resource: Resource<T>; reload: () => void } {
  const [resource, setResource] = useState<Resource<T>>({ status: "loading" });
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let current = true;
    api.get<T>(path).then(
      (data) => {
        if (current) setResource({ status: "ready", data });
      },
      (error: unknown) => {
        if (!current) return;
        setResource({
          status: "error",
          error:
            error instanceof ApiError
              ? error
              : new ApiError(0, "client_error", "Something went wrong. Try again."),
        });
      },
    );
    return () => {
      current = false;
    };
    // `version` is a dependency on purpose: bumping it reloads.
  }, [path, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { resource, reload };
}
