import {
  Badge,
  DataTable,
  Empty,
  exactTime,
  FormError,
  Loading,
  LoadMore,
  outcomeTone,
  PageHeader,
} from "@heptora/web-kit";
import { useState } from "react";
import { messageOf, usePagedResource, useResource } from "../../api/client.ts";
import type {
  AuditEvent,
  AuditListResponse,
  ProcessListResponse,
  RobotListResponse,
  UserListResponse,
} from "../../api/types.ts";
import { AdminOnly, ErrorState } from "../../components/states.tsx";
import { AuditFilterForm } from "./audit-filters.tsx";
import {
  type AuditFilters,
  auditQuery,
  humanAction,
  isFiltered,
  NO_FILTERS,
} from "./audit-query.ts";

const PAGE = 50;

/** Details as a short line; ids of people and processes are shown by their names. */
function detailsText(details: AuditEvent["details"], names: Map<string, string>): string {
  const show = (value: unknown): string => {
    if (typeof value === "string") return names.get(value) ?? value;
    if (Array.isArray(value)) return value.length === 0 ? "none" : value.map(show).join(", ");
    if (value && typeof value === "object" && "from" in value && "to" in value) {
      return `${show(value.from)} → ${show(value.to)}`;
    }
    return JSON.stringify(value);
  };
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${show(value)}`)
    .join("; ");
}

export function AuditPage() {
  return (
    <AdminOnly title="Audit log" what="read the audit log">
      <AuditLog />
    </AdminOnly>
  );
}

function AuditLog() {
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  const users = useResource<UserListResponse>("/users").resource;
  const processes = useResource<ProcessListResponse>("/processes").resource;
  const robots = useResource<RobotListResponse>("/robots").resource;
  const audit = usePagedResource(auditQuery(filters, PAGE), {
    items: (page: AuditListResponse) => page.events,
    next: (page) => (page.nextBefore === null ? null : auditQuery(filters, PAGE, page.nextBefore)),
  });
  const { resource, reload } = audit;

  const names = new Map<string, string>();
  if (users.status === "ready") for (const u of users.data.users) names.set(u.id, u.email);
  if (processes.status === "ready") {
    for (const p of processes.data.processes) names.set(p.id, p.name);
  }
  const active = isFiltered(filters);
  const events = resource.status === "ready" ? resource.data : [];

  return (
    <>
      <PageHeader
        title="Audit log"
        subtitle="Everything that happened on the platform: sign-ins, changes, robots. Newest first."
      />
      <section className="card" aria-label="Audit filters">
        <AuditFilterForm
          filters={filters}
          setFilters={setFilters}
          users={users}
          processes={processes}
          robots={robots}
        />
      </section>

      {resource.status === "loading" ? <Loading label="Loading events…" /> : null}
      {resource.status === "error" ? (
        <ErrorState error={resource.error} what="read the audit log" onRetry={reload} />
      ) : null}
      {resource.status === "ready" && events.length === 0 ? (
        <Empty title={active ? "No event matches these filters" : "No events yet"} />
      ) : null}
      {events.length > 0 ? (
        <section className="card" aria-label="Audit events">
          <DataTable
            dense
            rowHeaders={false}
            rows={events}
            rowKey={(e) => e.id}
            columns={[
              {
                header: "When",
                cellClassName: "nowrap",
                cell: (e) => <time dateTime={e.at}>{exactTime(e.at)}</time>,
              },
              {
                header: "Who",
                cell: (e) => e.actor?.email ?? <span className="muted">system</span>,
              },
              {
                header: "Event",
                cell: (e) => (
                  <>
                    <span className="action" title={e.action}>
                      {humanAction(e.action)}
                    </span>
                    {e.target ? (
                      <span className="event-target">
                        <span className="muted">{e.target.type}</span> {e.target.name}
                      </span>
                    ) : null}
                  </>
                ),
              },
              {
                header: "Outcome",
                cell: (e) => (
                  <Badge look="dot" tone={outcomeTone(e.outcome)}>
                    {e.outcome}
                  </Badge>
                ),
              },
              {
                header: "Details",
                className: "col-optional",
                cellClassName: "col-optional muted small event-details",
                cell: (e) => (
                  <>
                    {detailsText(e.details, names) || null}
                    {e.count > 1 ? (
                      <span className="event-count">
                        {e.count} times, the last at{" "}
                        <time dateTime={e.lastAt}>{exactTime(e.lastAt)}</time>
                      </span>
                    ) : null}
                    {e.ip ? <span className="event-ip">from {e.ip}</span> : null}
                  </>
                ),
              },
            ]}
          />
          <FormError message={audit.moreError ? messageOf(audit.moreError) : null} />
          <LoadMore paged={audit} label="Load older events" className="section-actions" />
        </section>
      ) : null}
    </>
  );
}
