/**
 * Secrets: every variable of the processes assigned to the user, grouped by process, searchable;
 * select one to see its state, reveal, set, restore. Values appear only in the detail panel, only
 * when asked for.
 */
import {
  Badge,
  ConfirmDialog,
  Empty,
  ErrorState,
  IconSearch,
  Loading,
  PageHeader,
  plural,
  Select,
} from "@heptora/web-kit";
import { useEffect, useId, useMemo, useState } from "react";
import { useResource } from "../../api/client.ts";
import { useLiveReload } from "../../api/live.ts";
import type { RobotStatus, SecretsList } from "../../api/types.ts";
import { IconKey, IconSync } from "../../components/icons.tsx";
import { findVariable, processesByName, type Show, totals, visibleGroups } from "./model.ts";
import { SecretDetail } from "./secret-detail.tsx";
import { SecretList } from "./secret-list.tsx";
import { UndeclaredValues } from "./undeclared-values.tsx";

export function SecretsPage({
  status,
  syncVersion,
  onChange,
}: {
  status: RobotStatus;
  syncVersion: number;
  onChange: () => void;
}) {
  const { resource, reload } = useResource<SecretsList>("/secrets");
  useLiveReload(reload, ["values", "session", "definitions"]);
  const [query, setQuery] = useState("");
  const [show, setShow] = useState<Show>("all");
  const [selected, setSelected] = useState<string | null>(null);
  // A typed, unsaved value: picking another variable (or closing) asks before it is dropped.
  const [dirty, setDirty] = useState(false);
  const [leaving, setLeaving] = useState<{ to: string | null } | null>(null);
  const select = (to: string | null) => {
    if (dirty && to !== selected) setLeaving({ to });
    else setSelected(to);
  };
  const searchId = useId();

  // "Sync now" in the sidebar may bring new processes or variables.
  useEffect(() => reload(), [syncVersion, reload]);

  const list = resource.status === "ready" ? resource.data : null;
  const groups = useMemo(() => (list ? visibleGroups(list, query, show) : []), [list, query, show]);
  const shared = useMemo(() => (list ? processesByName(list) : new Map()), [list]);
  const variable = list && selected !== null ? findVariable(list, selected) : undefined;

  function changed(): void {
    reload();
    onChange();
  }

  const summary = list ? totals(list) : null;
  return (
    <div className={variable ? "secrets-page has-selection" : "secrets-page"}>
      <PageHeader
        title="Secrets"
        subtitle="Values are encrypted on this machine and never sent to the platform."
        actions={
          summary && summary.names > 0 ? (
            <p className="summary">
              <Badge tone="ok">{summary.set} set</Badge>
              {summary.names - summary.set > 0 ? (
                <Badge tone="warn">{summary.names - summary.set} not set</Badge>
              ) : null}
            </p>
          ) : undefined
        }
      />

      {resource.status === "loading" ? <Loading label="Loading the variables…" /> : null}
      {resource.status === "error" ? (
        <ErrorState
          error={resource.error}
          title="The variables could not be loaded"
          onRetry={reload}
        />
      ) : null}

      {list && list.processes.length === 0 ? (
        <Empty title="No process is assigned to you yet" icon={<IconKey />}>
          <p>
            Ask an administrator to assign a process to <strong>{status.email}</strong> in the
            Heptora web app. It appears here after the next sync (every{" "}
            {plural(status.sync.intervalSeconds, "second")}), or use <IconSync /> Sync now.
          </p>
        </Empty>
      ) : null}

      {list && list.processes.length > 0 ? (
        <div className="secrets-layout">
          <section className="secrets-list-pane" aria-label="Variables">
            <div className="toolbar">
              <div className="search">
                <label htmlFor={searchId} className="visually-hidden">
                  Search variables
                </label>
                <IconSearch />
                <input
                  id={searchId}
                  type="search"
                  placeholder="Search variables or processes"
                  value={query}
                  maxLength={200}
                  onChange={(e) => setQuery(e.target.value)}
                />
              </div>
              <Select
                label="Show"
                value={show}
                onChange={(v) => setShow(v as Show)}
                options={[
                  { value: "all", label: "All" },
                  { value: "missing", label: "Not set" },
                  { value: "set", label: "Set" },
                ]}
              />
            </div>
            {groups.length === 0 ? (
              <Empty title={query.trim() ? `Nothing matches “${query.trim()}”` : "Nothing to show"}>
                <p>
                  {show === "missing" && !query.trim()
                    ? "Every variable has a value on this robot."
                    : "Try another name, or show all variables."}
                </p>
                <button
                  type="button"
                  className="button"
                  onClick={() => {
                    setQuery("");
                    setShow("all");
                  }}
                >
                  Show all variables
                </button>
              </Empty>
            ) : (
              <SecretList groups={groups} shared={shared} selected={selected} onSelect={select} />
            )}
            <UndeclaredValues
              names={list.undeclared}
              targets={[
                ...new Set(
                  list.processes.flatMap((p) =>
                    p.variables.filter((v) => !v.set).map((v) => v.name),
                  ),
                ),
              ].sort()}
              onChange={changed}
            />
          </section>
          {variable ? (
            <SecretDetail
              key={variable.name}
              variable={variable}
              processes={shared.get(variable.name) ?? []}
              onChange={changed}
              onClose={() => select(null)}
              onDirtyChange={setDirty}
            />
          ) : (
            <aside className="detail-placeholder" aria-label="Selected variable">
              <IconKey />
              <p>Select a variable to see its value, set it or restore an earlier version.</p>
            </aside>
          )}
        </div>
      ) : null}
      {leaving && variable ? (
        <ConfirmDialog
          title={`Discard the value you typed for ${variable.name}?`}
          confirmLabel="Discard"
          danger
          onConfirm={async () => {
            setDirty(false);
            setSelected(leaving.to);
          }}
          onClose={() => setLeaving(null)}
        >
          <p>It was not saved. The value stored on this robot stays as it is.</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
