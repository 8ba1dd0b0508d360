/**
 * Activity: the robot's audit log, newest first, filterable by event and variable, exportable as
 * CSV or JSON, with the result of verifying the hash chain (an edited, removed or reordered entry
 * shows here).
 */
import {
  Empty,
  ErrorState,
  exactTime,
  FormError,
  IconAlert,
  IconAudit,
  IconCheck,
  Loading,
  PageHeader,
  plural,
  Select,
} from "@heptora/web-kit";
import { type FormEvent, useCallback, useEffect, useId, useState } from "react";
import { ApiError, api, messageOf } from "../../api/client.ts";
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

export function ActivityPage() {
  const [draft, setDraft] = useState<Filters>({ type: "", name: "" });
  const [filters, setFilters] = useState<Filters>({ type: "", name: "" });
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const nameId = useId();

  const load = useCallback(async (current: Filters, beforeSeq?: number) => {
    const params = queryOf(current);
    params.set("limit", String(PAGE));
    if (beforeSeq !== undefined) params.set("beforeSeq", String(beforeSeq));
    const answer = await api.get<{ entries: AuditEntry[] }>(`/audit?${params}`);
    setMore(answer.entries.length === PAGE);
    return answer.entries;
  }, []);

  useEffect(() => {
    let current = true;
    setEntries(null);
    setError(null);
    load(filters).then(
      (page) => {
        if (current) setEntries(page);
      },
      (cause: unknown) => {
        if (current) setError(cause instanceof ApiError ? cause : null);
      },
    );
    return () => {
      current = false;
    };
  }, [filters, load]);

  async function loadMore(): Promise<void> {
    const last = entries?.at(-1);
    if (!last) return;
    setLoadingMore(true);
    try {
      const page = await load(filters, last.seq);
      setEntries((all) => [...(all ?? []), ...page]);
    } catch (cause) {
      setError(cause instanceof ApiError ? cause : null);
    } finally {
      setLoadingMore(false);
    }
  }

  function apply(event: FormEvent): void {
    event.preventDefault();
    setFilters({ ...draft });
  }

  const exportQuery = queryOf(filters).toString();
  const filtered = filters.type !== "" || filters.name.trim() !== "";
  return (
    <div className="page">
      <PageHeader
        title="Activity"
        subtitle="Everything that happened to the secrets on this robot. Entries are chained: any change to the log shows up when it is verified."
        actions={(["csv", "json"] as const).map((format) => (
          <a
            key={format}
            className="button"
            href={`/api/audit/export?format=${format}${exportQuery ? `&${exportQuery}` : ""}`}
            download
          >
            <IconDownload /> Export {format.toUpperCase()}
          </a>
        ))}
      />

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
                setDraft({ type: "", name: "" });
                setFilters({ type: "", name: "" });
              }}
            >
              Clear
            </button>
          ) : null}
        </div>
      </form>

      {error ? (
        <ErrorState
          error={error}
          title="The activity could not be loaded"
          onRetry={() => setFilters({ ...filters })}
        />
      ) : null}
      {entries === null && error === null ? <Loading label="Loading the activity…" /> : null}
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
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Audit log, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Event</th>
                <th scope="col">Variable</th>
                <th scope="col" className="col-wide">
                  By
                </th>
                <th scope="col">Outcome</th>
                <th scope="col" className="col-wide col-details">
                  Details
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.seq}>
                  <td className="nowrap" title={e.at ? exactTime(e.at) : ""}>
                    {e.at ? preciseTime(e.at) : "—"}
                  </td>
                  <td>{eventLabel(e.type)}</td>
                  <td className="mono">{e.name ?? "—"}</td>
                  <td className="col-wide">
                    {actorLabel(e.actor)}
                    {e.process ? <span className="muted"> · {e.process}</span> : null}
                  </td>
                  <td>
                    <Outcome outcome={e.outcome ?? "ok"} />
                  </td>
                  <td className="col-wide col-details muted">{detailsOf(e)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {more ? (
            <div className="table-foot">
              <button type="button" className="button" onClick={loadMore} disabled={loadingMore}>
                {loadingMore ? "Loading…" : "Load older entries"}
              </button>
            </div>
          ) : null}
        </div>
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
  if (outcome === "ok") return <span className="pill pill-ok">OK</span>;
  if (outcome === "denied") return <span className="pill pill-danger">Denied</span>;
  return <span className="pill pill-warn">Failed</span>;
}

function ChainCheck() {
  const [result, setResult] = useState<AuditVerifyResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const verify = useCallback(async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await api.get<AuditVerifyResult>("/audit/verify"));
    } catch (cause) {
      setError(messageOf(cause));
    } finally {
      setBusy(false);
    }
  }, []);

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
