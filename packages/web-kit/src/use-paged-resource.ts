/**
 * A list the API hands out a page at a time, newest first: the first page loads like any resource
 * (loading, error, ready; a new path starts again), and "Load older" appends the next pages. The
 * older pages belong to the first page they followed: a reload or a new path drops them.
 */
import { useState } from "react";
import { type Resource, useResource } from "./use-resource.ts";

/** How to read a page: its items, and the path of the page after it (null for the last). */
export interface Paging<P, I> {
  items: (page: P) => readonly I[];
  next: (page: P) => string | null;
}

export interface PagedResource<I, E> {
  /** Every item loaded so far, once the first page is there. */
  resource: Resource<readonly I[], E>;
  reload: () => void;
  hasMore: boolean;
  loadMore: () => Promise<void>;
  loadingMore: boolean;
  /** Why the last "load more" failed; the items loaded before stay. */
  moreError: E | null;
}

/**
 * @example
 * const audit = usePagedResource("/audit?limit=50", api.get, toError, {
 *   items: (page: AuditListResponse) => page.events,
 *   next: (page) => (page.nextBefore ? `/audit?limit=50&before=${page.nextBefore}` : null),
 * });
 */
export function usePagedResource<P, I, E>(
  path: string | null,
  get: (path: string, signal: AbortSignal) => Promise<P>,
  toError: (cause: unknown) => E,
  paging: Paging<P, I>,
): PagedResource<I, E> {
  const { resource: first, reload } = useResource<P, E>(path, get, toError);
  const [older, setOlder] = useState<{ after: P; items: readonly I[]; next: string | null } | null>(
    null,
  );
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<{ after: P; error: E } | null>(null);

  if (first.status !== "ready") {
    return {
      resource: first,
      reload,
      hasMore: false,
      loadMore: async () => {},
      loadingMore,
      moreError: null,
    };
  }
  const head = first.data;
  const kept = older?.after === head ? older : null;
  const next = kept ? kept.next : paging.next(head);

  async function loadMore(): Promise<void> {
    if (next === null) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await get(next, new AbortController().signal);
      setOlder((o) => ({
        after: head,
        items: [...(o?.after === head ? o.items : []), ...paging.items(page)],
        next: paging.next(page),
      }));
    } catch (cause) {
      setMoreError({ after: head, error: toError(cause) });
    } finally {
      setLoadingMore(false);
    }
  }

  return {
    resource: { status: "ready", data: [...paging.items(head), ...(kept?.items ?? [])] },
    reload,
    hasMore: next !== null,
    loadMore,
    loadingMore,
    moreError: moreError?.after === head ? moreError.error : null,
  };
}
