/**
 * A detail page (one process, one robot) before its item is there: the page header with the way
 * back, and either the loading line or why it could not be loaded (denied, not found, failed).
 */
import { Loading, PageHeader } from "@heptora/web-kit";
import type { Resource } from "../api/client.ts";
import { ErrorState } from "./states.tsx";

/** A resource that is not ready: still loading, or failed. */
export type Pending = Exclude<Resource<never>, { status: "ready" }>;

/**
 * @example
 * if (resource.status !== "ready") {
 *   return <DetailPending noun="robot" back={back} resource={resource} onRetry={reload} />;
 * }
 */
export function DetailPending({
  noun,
  back,
  resource,
  onRetry,
}: {
  /** What the page shows, lower case: "process" gives the title "Process". */
  noun: string;
  back: { to: string; label: string };
  resource: Pending;
  onRetry: () => void;
}) {
  const title = noun.charAt(0).toUpperCase() + noun.slice(1);
  return (
    <>
      <PageHeader title={title} back={back} />
      {resource.status === "loading" ? (
        <Loading label={`Loading ${noun}…`} />
      ) : (
        <ErrorState error={resource.error} what={`see this ${noun}`} onRetry={onRetry} />
      )}
    </>
  );
}
