import {
  DataTable,
  Empty,
  IconSearch,
  Link,
  Loading,
  navigate,
  PageHeader,
  plural,
  TimeAgo,
  useNotify,
} from "@heptora/web-kit";
import { useState } from "react";
import { useResource } from "../../api/client.ts";
import type { ProcessSummary } from "../../api/types.ts";
import { IconPlus } from "../../components/icons.tsx";
import { ErrorState } from "../../components/states.tsx";
import { useUser } from "../../lib/session.tsx";
import { ProcessDialog } from "./process-dialog.tsx";

export function ProcessListPage() {
  const user = useUser();
  const isAdmin = user.role === "admin";
  const notify = useNotify();
  const { resource, reload } = useResource<{ processes: ProcessSummary[] }>("/processes");
  const [query, setQuery] = useState("");
  const [creating, setCreating] = useState(false);

  const q = query.trim().toLowerCase();
  const all = resource.status === "ready" ? resource.data.processes : [];
  const shown = all
    .filter((p) => q === "" || `${p.name} ${p.description}`.toLowerCase().includes(q))
    .sort((a, b) => a.name.localeCompare(b.name));

  return (
    <>
      <PageHeader
        title="Processes"
        subtitle={
          isAdmin
            ? "The automations of your organisation and the variables each one needs."
            : "The processes assigned to you and the variables each one needs."
        }
        actions={
          isAdmin ? (
            <button
              type="button"
              className="button button-primary"
              onClick={() => setCreating(true)}
            >
              <IconPlus />
              <span>New process</span>
            </button>
          ) : null
        }
      />
      {resource.status === "loading" ? <Loading label="Loading processes…" /> : null}
      {resource.status === "error" ? (
        <ErrorState error={resource.error} what="see processes" onRetry={reload} />
      ) : null}
      {resource.status === "ready" && all.length === 0 ? (
        <Empty title={isAdmin ? "No processes yet" : "No processes are assigned to you"}>
          {isAdmin ? (
            <>
              <p>
                A process is an automation your robots run. Create one, declare the secrets it
                needs, then assign it to the people whose robots run it.
              </p>
              <button
                type="button"
                className="button button-primary"
                onClick={() => setCreating(true)}
              >
                Create your first process
              </button>
            </>
          ) : (
            <p>When an administrator assigns a process to you, it appears here.</p>
          )}
        </Empty>
      ) : null}
      {resource.status === "ready" && all.length > 0 ? (
        <section className="card" aria-label="Process list">
          <div className="toolbar">
            <div className="search">
              <IconSearch />
              <input
                type="search"
                aria-label="Search processes"
                placeholder="Search processes"
                value={query}
                onChange={(e) => setQuery(e.target.value)}
              />
            </div>
            <span className="toolbar-count" aria-live="polite">
              {q === ""
                ? plural(all.length, "process", "processes")
                : `${shown.length} of ${all.length}`}
            </span>
          </div>
          {shown.length === 0 ? (
            <Empty title={`No process matches “${query.trim()}”`} />
          ) : (
            <DataTable
              rows={shown}
              rowKey={(p) => p.id}
              columns={[
                {
                  header: "Name",
                  cell: (p) => (
                    <Link to={`/processes/${encodeURIComponent(p.id)}`} className="row-link">
                      {p.name}
                    </Link>
                  ),
                },
                {
                  header: "Description",
                  className: "col-wide",
                  cellClassName: "col-wide muted",
                  cell: (p) => p.description || "—",
                },
                { header: "Variables", cell: (p) => <VariableCount variables={p.variables} /> },
                {
                  header: "Updated",
                  className: "col-optional",
                  cellClassName: "col-optional muted",
                  cell: (p) => <TimeAgo at={p.updatedAt} />,
                },
              ]}
            />
          )}
        </section>
      ) : null}
      {creating ? (
        <ProcessDialog
          onClose={() => setCreating(false)}
          onSaved={(saved) => {
            notify(`Process ${saved.name} created.`);
            navigate(`/processes/${encodeURIComponent(saved.id)}`);
          }}
        />
      ) : null}
    </>
  );
}

/** How many variables a process declares, and how many of them are secrets. */
function VariableCount({ variables }: { variables: ProcessSummary["variables"] }) {
  const secrets = variables.filter((v) => v.secret).length;
  return (
    <>
      {variables.length}
      {secrets > 0 ? <span className="muted"> ({secrets} secret)</span> : null}
    </>
  );
}
