/**
 * Loads one API resource for a screen, with the three states every screen shows: loading, error,
 * ready. A reload keeps the data on screen while it refreshes; a new path starts from loading.
 * Each app passes its client's `get` and how to turn anything thrown into its own error type.
 */
import { useCallback, useEffect, useState } from "react";

export type Resource<T, E> =
  | { status: "loading" }
  | { status: "error"; error: E }
  | { status: "ready"; data: T };

/**
 * @example
 * const { resource, reload } = useResource("/processes", api.get<Processes>, asApiError);
 */
export function useResource<T, E>(
  path: string | null,
  get: (path: string, signal: AbortSignal) => Promise<T>,
  toError: (cause: unknown) => E,
): { resource: Resource<T, E>; reload: () => void } {
  const [resource, setResource] = useState<Resource<T, E>>({ status: "loading" });
  const [version, setVersion] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is there on purpose: bumping it reloads.
  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    get(path, controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setResource({ status: "ready", data });
      },
      (cause: unknown) => {
        if (!controller.signal.aborted) setResource({ status: "error", error: toError(cause) });
      },
    );
    return () => controller.abort();
    // `get` and `toError` are the app's module-level functions, the same on every render.
  }, [path, version, get, toError]);

  // A new path starts from a clean loading state rather than showing another item's data.
  const [shownPath, setShownPath] = useState(path);
  if (shownPath !== path) {
    setShownPath(path);
    setResource({ status: "loading" });
  }

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { resource, reload };
}
