/**
 * Activity: the robot's audit log, newest first, filterable by event and variable, exportable as
 * CSV or JSON, with the result of verifying the hash chain (an edited, removed or reordered entry
 * shows here).
 */
import {
  Badge,
  DataTable,
  Empty,
  ErrorState,
  exactTime,
  FormError,
  IconAlert,
  IconAudit,
  IconCheck,
  Loading,
  LoadMore,
  outcomeTone,
  PageHeader,
  plural,
  Select,
  useAction,
} from "@heptora/web-kit";
import { type FormEvent, useCallback, useEffect, useId, useState } from "react";
import { api, usePagedResource } from "../../api/client.ts";
import { downloadExport } from "../../api/download.ts";
import type { AuditEntry, AuditVerifyResult } from "../../api/types.ts";
import { IconDownload } from "../../components/icons.tsx";
import { preciseTime } from "../../lib/format.ts";
import { actorLabel, eventLabel, FILTERABLE_TYPES } from "./events.ts";

const PAGE = 50;

interface Filters {
  type: string;
  name: string;
}

function queryOf(filters: Filters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.type !== "") params.set("type", filters.type);
  if (filters.name.trim() !== "") params.set("name", filters.name.trim().toUpperCase());
  return params;
}

/** The path of one page of the log: the filters, and the entries before `beforeSeq` if given. */
function pagePath(filters: Filters, beforeSeq?: number): string {
  const params = queryOf(filters);
  params.set("limit", String(PAGE));
  if (beforeSeq !== undefined) params.set("beforeSeq", String(beforeSeq));
  return `/audit?${params}`;
}

const NO_FILTERS: Filters = { type: "", name: "" };

export function ActivityPage() {
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const log = usePagedResource(pagePath(filters), {
    items: (page: { entries: AuditEntry[] }) => page.entries,
    // A full page may have more behind it.
    next: ({ entries }) => {
      const last = entries.at(-1);
      return entries.length === PAGE && last ? pagePath(filters, last.seq) : null;
    },
  });
  const { resource, reload } = log;
  const entries = resource.status === "ready" ? resource.data : null;
  const error = resource.status === "error" ? resource.error : log.moreError;
  const nameId = useId();

  function apply(event: FormEvent): void {
    event.preventDefault();
    setFilters({ ...draft });
    reload();
  }

  const exporting = useAction();
  const exportQuery = queryOf(filters).toString();
  const filtered = filters.type !== "" || filters.name.trim() !== "";
  return (
    <div className="page">
      <PageHeader
        title="Activity"
        subtitle="Everything that happened to the secrets on this robot. Entries are chained: any change to the log shows up when it is verified."
        actions={(["csv", "json"] as const).map((format) => (
          <button
            key={format}
            type="button"
            className="button"
            disabled={exporting.busy}
            onClick={() =>
              exporting.run(() =>
                downloadExport(
                  `/api/audit/export?format=${format}${exportQuery ? `&${exportQuery}` : ""}`,
                  `heptora-robot-audit.${format}`,
                ),
              )
            }
          >
            <IconDownload /> Export {format.toUpperCase()}
          </button>
        ))}
      />

      <FormError message={exporting.error} />

      <ChainCheck />

      <form className="filters" onSubmit={apply} aria-label="Filter the activity">
        <Select
          label="Event"
          value={draft.type}
          onChange={(type) => setDraft((d) => ({ ...d, type }))}
          options={[
            { value: "", label: "All events" },
            ...FILTERABLE_TYPES.map((t) => ({ value: t, label: eventLabel(t) })),
          ]}
        />
        <div className="field">
          <label htmlFor={nameId}>Variable</label>
          <input
            id={nameId}
            value={draft.name}
            placeholder="e.g. SAP_PASSWORD"
            maxLength={64}
            spellCheck={false}
            onChange={(e) => setDraft((d) => ({ ...d, name: e.target.value }))}
          />
        </div>
        <div className="filters-actions">
          <button type="submit" className="button button-primary">
            Apply
          </button>
          {filtered ? (
            <button
              type="button"
              className="button"
              onClick={() => {
                setDraft(NO_FILTERS);
                setFilters(NO_FILTERS);
              }}
            >
              Clear
            </button>
          ) : null}
        </div>
      </form>

      {error ? (
        <ErrorState error={error} title="The activity could not be loaded" onRetry={reload} />
      ) : null}
      {resource.status === "loading" ? <Loading label="Loading the activity…" /> : null}
      {entries !== null && entries.length === 0 ? (
        <Empty
          title={filtered ? "No entry matches these filters" : "Nothing yet"}
          icon={<IconAudit />}
        >
          <p>
            {filtered
              ? "Try another event or variable, or clear the filters."
              : "Sign-ins, saves, reveals and reads by automations appear here."}
          </p>
        </Empty>
      ) : null}
      {entries !== null && entries.length > 0 ? (
        <DataTable
          caption="Audit log, newest first"
          rowHeaders={false}
          rows={entries}
          rowKey={(e) => e.seq}
          columns={[
            {
              header: "When",
              cellClassName: "nowrap",
              cell: (e) =>
                e.at ? (
                  <time dateTime={e.at} title={exactTime(e.at)}>
                    {preciseTime(e.at)}
                  </time>
                ) : (
                  "—"
                ),
            },
            { header: "Event", cell: (e) => eventLabel(e.type) },
            { header: "Variable", cellClassName: "mono", cell: (e) => e.name ?? "—" },
            {
              header: "By",
              className: "col-wide",
              cell: (e) => (
                <>
                  {actorLabel(e.actor)}
                  {e.process ? <span className="muted"> · {e.process}</span> : null}
                </>
              ),
            },
            { header: "Outcome", cell: (e) => <Outcome outcome={e.outcome ?? "ok"} /> },
            {
              header: "Details",
              className: "col-wide col-details",
              cellClassName: "col-wide col-details muted",
              cell: detailsOf,
            },
          ]}
          footer={<LoadMore paged={log} label="Load older entries" className="table-foot" />}
        />
      ) : null}
    </div>
  );
}

/** The reason and the structured details of an entry, in one short line. */
function detailsOf(entry: AuditEntry): string {
  const parts: string[] = [];
  if (entry.reason) parts.push(entry.reason);
  const details = entry.details;
  if (details !== null && typeof details === "object") {
    for (const [key, value] of Object.entries(details as Record<string, unknown>)) {
      if (["string", "number", "boolean"].includes(typeof value)) {
        parts.push(`${words(key)}: ${value}`);
      }
    }
  }
  return parts.join(" · ");
}

/** "restoredVersion" -> "restored version". */
function words(key: string): string {
  return key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}

function Outcome({ outcome }: { outcome: string }) {
  const label = outcome === "ok" ? "OK" : outcome === "denied" ? "Denied" : "Failed";
  return <Badge tone={outcomeTone(outcome)}>{label}</Badge>;
}

function ChainCheck() {
  const [result, setResult] = useState<AuditVerifyResult | null>(null);
  const { busy, error, run } = useAction();

  const verify = useCallback(
    () => run(async () => setResult(await api.get<AuditVerifyResult>("/audit/verify"))),
    [run],
  );

  useEffect(() => {
    verify();
  }, [verify]);

  return (
    <section
      className={result && !result.ok ? "chain chain-broken" : "chain"}
      aria-label="Audit chain verification"
    >
      {result === null && error === null ? <Loading label="Verifying the audit chain…" /> : null}
      {result?.ok ? (
        <output className="chain-line">
          <IconCheck />
          <span>
            <strong>Chain verified.</strong> {plural(result.count, "entry", "entries")}, none
            edited, removed or reordered.
          </span>
        </output>
      ) : null}
      {result && !result.ok ? (
        <div className="chain-line" role="alert">
          <IconAlert />
          <div>
            <strong>The audit log failed verification.</strong> Someone or something changed it
            outside Heptora:
            <ul>
              {result.problems.slice(0, 5).map((p) => (
                <li key={`${p.seq}-${p.kind}`}>{p.message}</li>
              ))}
            </ul>
          </div>
        </div>
      ) : null}
      <FormError message={error} />
      {result !== null ? (
        <button type="button" className="button button-small" onClick={verify} disabled={busy}>
          {busy ? "Verifying…" : "Verify again"}
        </button>
      ) : null}
    </section>
  );
}
