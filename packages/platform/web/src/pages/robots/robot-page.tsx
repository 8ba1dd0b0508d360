/**
 * One robot: for each process assigned to its owner, which variables the robot reports as set
 * (and since when) and which are missing; then the coverage of each person who signed in on it
 * (values on a robot are per person, docs/adr/0066 and 0067). Booleans and times only: values
 * never reach the platform.
 */
import {
  Badge,
  ConfirmDialog,
  DataTable,
  Empty,
  exactTime,
  IconCheck,
  Link,
  navigate,
  PageHeader,
  plural,
  timeAgo,
  useNotify,
} from "@heptora/web-kit";
import { useState } from "react";
import { api, seg, useResource } from "../../api/client.ts";
import type { RobotDetail } from "../../api/types.ts";
import { DetailPending } from "../../components/detail-pending.tsx";
import { VariableKind } from "../../components/variable-kind.tsx";
import { useUser } from "../../lib/session.tsx";
import { AuditBackwardsBadge, LastSeen, OnlineBadge } from "./robot-bits.tsx";

export function RobotPage({ id }: { id: string }) {
  const user = useUser();
  const notify = useNotify();
  const { resource, reload } = useResource<RobotDetail>(`/robots/${seg(id)}`);
  const [revoking, setRevoking] = useState(false);
  const back = { to: "/robots", label: "Robots" };

  if (resource.status !== "ready") {
    return <DetailPending noun="robot" back={back} resource={resource} onRetry={reload} />;
  }
  const robot = resource.data;
  const canRevoke = user.role === "admin" || robot.owner.id === user.id;
  const missing = robot.processes.reduce(
    (n, p) => n + p.variables.filter((v) => v.secret && !v.set).length,
    0,
  );

  return (
    <>
      <PageHeader
        title={robot.name}
        back={back}
        subtitle={
          <>
            <OnlineBadge online={robot.online} /> <AuditBackwardsBadge auditLog={robot.auditLog} />
          </>
        }
        actions={
          canRevoke ? (
            <button
              type="button"
              className="button button-danger-outline"
              onClick={() => setRevoking(true)}
            >
              Revoke robot
            </button>
          ) : null
        }
      />
      {robot.auditLog?.wentBackwards ? (
        <p className="callout" role="alert">
          {robot.auditLog.wentBackwards.message} Ask the robot's owner to run{" "}
          <code>heptora status</code> on that machine.
        </p>
      ) : null}
      <section className="card" aria-labelledby="robot-facts">
        <h2 id="robot-facts" className="visually-hidden">
          About this robot
        </h2>
        <dl className="facts">
          <div>
            <dt>Owner</dt>
            <dd>{robot.owner.email}</dd>
          </div>
          <div>
            <dt>Machine</dt>
            <dd>
              <code className="machine">{robot.machineId}</code>
            </dd>
          </div>
          <div>
            <dt>Last seen</dt>
            <dd>
              <LastSeen at={robot.lastSeenAt} />
            </dd>
          </div>
          <div>
            <dt>Missing secrets</dt>
            <dd className={missing > 0 ? "count-warn" : "count-ok"}>
              {missing === 0 ? "None" : plural(missing, "secret")}
            </dd>
          </div>
        </dl>
      </section>

      {robot.processes.length === 0 ? (
        <Empty title="No processes for this robot">
          <p>
            No process is assigned to {robot.owner.email}. Assign one on its process page and this
            robot receives it at its next sync.
          </p>
        </Empty>
      ) : (
        robot.processes.map((p) => {
          const headingId = `process-${p.id}`;
          const set = p.variables.filter((v) => v.set).length;
          return (
            <section key={p.id} className="card" aria-labelledby={headingId}>
              <div className="card-header">
                <div>
                  <h2 id={headingId}>
                    <Link to={`/processes/${encodeURIComponent(p.id)}`}>{p.name}</Link>
                  </h2>
                  <p className="muted">
                    {set} of {plural(p.variables.length, "variable")} set on this robot
                  </p>
                </div>
              </div>
              {p.variables.length === 0 ? (
                <p className="card-body muted">This process declares no variables.</p>
              ) : (
                <DataTable
                  rows={[...p.variables].sort((a, b) => a.name.localeCompare(b.name))}
                  rowKey={(v) => v.name}
                  columns={[
                    { header: "Variable", cell: (v) => <code className="var-name">{v.name}</code> },
                    { header: "Kind", cell: (v) => <VariableKind secret={v.secret} /> },
                    { header: "On this robot", cell: (v) => <VariableState variable={v} /> },
                  ]}
                />
              )}
            </section>
          );
        })
      )}
      {robot.coverage.length === 0 ? null : (
        <section className="card" aria-labelledby="robot-coverage">
          <div className="card-header">
            <div>
              <h2 id="robot-coverage">Coverage per person</h2>
              <p className="muted">
                Each person who signed in on this robot has their own values; this is what the robot
                last reported for each.
              </p>
            </div>
          </div>
        </section>
      )}
      {robot.coverage.map((c) => (
        <PersonCoverage key={c.user.id} coverage={c} />
      ))}
      {revoking ? (
        <ConfirmDialog
          danger
          title={`Revoke ${robot.name}?`}
          confirmLabel="Revoke robot"
          onClose={() => setRevoking(false)}
          onConfirm={async () => {
            await api.delete(`/robots/${seg(robot.id)}`);
            notify(`Robot ${robot.name} revoked.`);
            navigate("/robots");
          }}
        >
          <p>
            Its sign-in stops working at once: it can no longer sync or report. The values stored on
            that machine stay there, encrypted; to use it again, sign in on it with{" "}
            <code>heptora login</code>.
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}

type Coverage = RobotDetail["coverage"][number];

/** One person's last report from this robot: N of M set, then each name, set or not set. */
function PersonCoverage({ coverage }: { coverage: Coverage }) {
  const headingId = `coverage-${coverage.user.id}`;
  const set = coverage.secrets.filter((s) => s.set).length;
  return (
    <section className="card" aria-labelledby={headingId}>
      <div className="card-header">
        <div>
          <h3 id={headingId}>{coverage.user.email}</h3>
          <p className="muted">
            {set} of {plural(coverage.secrets.length, "variable")} set · reported{" "}
            <time dateTime={coverage.reportedAt} title={exactTime(coverage.reportedAt)}>
              {timeAgo(coverage.reportedAt)}
            </time>
          </p>
        </div>
      </div>
      {coverage.secrets.length === 0 ? (
        <p className="card-body muted">No variables reported for this person.</p>
      ) : (
        <DataTable
          rows={coverage.secrets}
          rowKey={(s) => s.name}
          columns={[
            { header: "Variable", cell: (s) => <code className="var-name">{s.name}</code> },
            {
              header: "State",
              cell: (s) =>
                s.set ? (
                  <Badge look="dot" tone="ok">
                    <IconCheck />
                    <span>Set</span>
                  </Badge>
                ) : (
                  <Badge look="dot" tone="warn">
                    Not set
                  </Badge>
                ),
            },
          ]}
        />
      )}
    </section>
  );
}

/** Whether this robot holds a value for a variable, and since when. */
type RobotVariable = RobotDetail["processes"][number]["variables"][number];

function VariableState({ variable }: { variable: RobotVariable }) {
  if (!variable.set) {
    return (
      <Badge look="dot" tone="warn">
        Missing
      </Badge>
    );
  }
  return (
    <Badge look="dot" tone="ok">
      <IconCheck />
      <span>
        Set
        {variable.updatedAt ? (
          <>
            {" since "}
            <time dateTime={variable.updatedAt} title={timeAgo(variable.updatedAt)}>
              {exactTime(variable.updatedAt)}
            </time>
          </>
        ) : null}
      </span>
    </Badge>
  );
}
