/** The "Load older …" button under a paged list, while there is more to load. */
import type { PagedResource } from "./use-paged-resource.ts";

/**
 * @example
 * <LoadMore paged={audit} label="Load older events" className="section-actions" />
 */
export function LoadMore({
  paged,
  label,
  className,
}: {
  paged: Pick<PagedResource<unknown, unknown>, "hasMore" | "loadMore" | "loadingMore">;
  label: string;
  /** The class of the row the button sits in. */
  className: string;
}) {
  if (!paged.hasMore) return null;
  return (
    <div className={className}>
      <button
        type="button"
        className="button"
        disabled={paged.loadingMore}
        onClick={paged.loadMore}
      >
        {paged.loadingMore ? "Loading…" : label}
      </button>
    </div>
  );
}
