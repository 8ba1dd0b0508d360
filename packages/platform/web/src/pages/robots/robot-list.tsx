import { DataTable, Empty, Link, Loading, PageHeader } from "@heptora/web-kit";
import { useResource } from "../../api/client.ts";
import type { RobotSummary } from "../../api/types.ts";
import { ErrorState } from "../../components/states.tsx";
import { useUser } from "../../lib/session.tsx";
import { AuditBackwardsBadge, LastSeen, OnlineBadge } from "./robot-bits.tsx";

export function RobotListPage() {
  const user = useUser();
  const isAdmin = user.role === "admin";
  const { resource, reload } = useResource<{ robots: RobotSummary[] }>("/robots");

  return (
    <>
      <PageHeader
        title="Robots"
        subtitle={
          isAdmin
            ? "The machines signed in with Heptora, and which secrets each one holds."
            : "Your machines signed in with Heptora, and which secrets each one holds."
        }
      />
      {resource.status === "loading" ? <Loading label="Loading robots…" /> : null}
      {resource.status === "error" ? (
        <ErrorState error={resource.error} what="see robots" onRetry={reload} />
      ) : null}
      {resource.status === "ready" && resource.data.robots.length === 0 ? (
        <Empty title="No robots yet">
          <p>
            A robot appears here when someone signs in on their machine with{" "}
            <code>heptora login</code> (after <code>heptora start</code>).
          </p>
        </Empty>
      ) : null}
      {resource.status === "ready" && resource.data.robots.length > 0 ? (
        <section className="card" aria-label="Robot list">
          <DataTable
            rows={[...resource.data.robots].sort((a, b) => a.name.localeCompare(b.name))}
            rowKey={(r) => r.id}
            columns={[
              {
                header: "Robot",
                cell: (r) => (
                  <Link to={`/robots/${encodeURIComponent(r.id)}`} className="row-link">
                    {r.name}
                  </Link>
                ),
              },
              { header: "Owner", cell: (r) => r.owner.email },
              {
                header: "Machine",
                className: "col-optional",
                cell: (r) => <code className="machine">{r.machineId}</code>,
              },
              {
                header: "Secrets set",
                cell: (r) => {
                  const set = r.secrets.filter((s) => s.set).length;
                  return (
                    <span className={set < r.secrets.length ? "count-warn" : "count-ok"}>
                      {set} of {r.secrets.length}
                    </span>
                  );
                },
              },
              { header: "Last seen", cell: (r) => <LastSeen at={r.lastSeenAt} /> },
              {
                header: "Status",
                cell: (r) => (
                  <>
                    <OnlineBadge online={r.online} /> <AuditBackwardsBadge auditLog={r.auditLog} />
                  </>
                ),
              },
            ]}
          />
        </section>
      ) : null}
    </>
  );
}
