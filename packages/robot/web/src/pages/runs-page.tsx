/**
 * Runs (docs/adr/0077): the person's recent `heptora run`s, newest first, and one run in detail:
 * its command as typed, the names it read and when, how many values were masked in its output
 * (counts, never content), and how it ended. A run whose robot or `heptora run` was killed reads
 * "Ended · exit unknown".
 */
import {
  Badge,
  DataTable,
  Empty,
  ErrorState,
  exactTime,
  Link,
  Loading,
  PageHeader,
  plural,
  timeAgo,
} from "@heptora/web-kit";
import { seg, useResource } from "../api/client.ts";
import type { RunDetail, RunList, RunSummary } from "../api/types.ts";
import { preciseTime } from "../lib/format.ts";

export const RUNS_PATH = "/runs";

export function RunsPage({ runId }: { runId: string | null }) {
  return runId === null ? <RunsList /> : <RunView runId={runId} />;
}

function RunsList() {
  const { resource, reload } = useResource<RunList>("/runs?limit=200");
  return (
    <div className="page">
      <PageHeader
        title="Runs"
        subtitle="Your automations started with heptora run: what each read and how it ended. Values never appear here."
      />
      {resource.status === "loading" ? <Loading label="Loading your runs…" /> : null}
      {resource.status === "error" ? (
        <ErrorState error={resource.error} title="The runs could not be loaded" onRetry={reload} />
      ) : null}
      {resource.status === "ready" && resource.data.runs.length === 0 ? (
        <Empty title="No runs yet">
          <p>
            Start an automation with <code>heptora run "PROCESS" -- COMMAND</code>; it shows here.
          </p>
        </Empty>
      ) : null}
      {resource.status === "ready" && resource.data.runs.length > 0 ? (
        <DataTable
          caption="Your runs, newest first"
          rows={resource.data.runs}
          rowKey={(r) => r.runId}
          columns={[
            {
              header: "Process",
              cell: (r) => <Link to={`${RUNS_PATH}/${seg(r.runId)}`}>{r.process.name}</Link>,
            },
            {
              header: "Started",
              cellClassName: "nowrap",
              cell: (r) => (
                <time dateTime={r.startedAt} title={exactTime(r.startedAt)}>
                  {timeAgo(r.startedAt)}
                </time>
              ),
            },
            { header: "State", cell: (r) => <RunState run={r} /> },
            { header: "Names read", cellClassName: "num", cell: (r) => r.namesRead },
            {
              header: "Masked",
              className: "col-optional",
              cell: (r) => maskedText(r),
            },
          ]}
        />
      ) : null}
    </div>
  );
}

function RunView({ runId }: { runId: string }) {
  const { resource, reload } = useResource<RunDetail>(`/runs/${seg(runId)}`);
  const back = { to: RUNS_PATH, label: "All runs" };
  if (resource.status === "loading") return <Loading label="Loading the run…" />;
  if (resource.status === "error") {
    return (
      <div className="page">
        <PageHeader title="Run" back={back} />
        <ErrorState error={resource.error} title="The run could not be loaded" onRetry={reload} />
      </div>
    );
  }
  const run = resource.data;
  return (
    <div className="page">
      <PageHeader
        title={run.process.name}
        back={back}
        subtitle={<>Run {run.runId}</>}
        actions={<RunState run={run} />}
      />
      <dl className="run-facts">
        <dt>Command</dt>
        <dd>
          <code className="run-command">{run.command.map(quote).join(" ") || "—"}</code>
        </dd>
        <dt>Started</dt>
        <dd>
          <time dateTime={run.startedAt}>{preciseTime(run.startedAt)}</time>
        </dd>
        <dt>Ended</dt>
        <dd>
          {run.state === "running"
            ? "Still running"
            : run.endedAt === null
              ? "Unknown (the run stopped without reporting)"
              : preciseTime(run.endedAt)}
        </dd>
        <dt>Exit code</dt>
        <dd>{exitText(run)}</dd>
        <dt>Values masked</dt>
        <dd>
          {run.masked === null
            ? "—"
            : `${plural(run.masked.stdout, "time")} in its output, ${plural(run.masked.stderr, "time")} in its errors`}
        </dd>
      </dl>
      <h2 className="section-title">Names read</h2>
      {run.reads.length === 0 ? (
        <p className="muted">It read no secret.</p>
      ) : (
        <DataTable
          caption="Names the run read, with the time of the first read"
          rows={run.reads}
          rowKey={(r) => r.name}
          columns={[
            { header: "Name", cellClassName: "mono", cell: (r) => r.name },
            {
              header: "First read",
              cellClassName: "nowrap",
              cell: (r) => <time dateTime={r.at}>{preciseTime(r.at)}</time>,
            },
          ]}
        />
      )}
    </div>
  );
}

function RunState({ run }: { run: RunSummary }) {
  if (run.state === "running") return <Badge tone="info">Running</Badge>;
  if (run.exitCode === null) return <Badge tone="warn">Ended · exit unknown</Badge>;
  return (
    <Badge tone={run.exitCode === 0 ? "ok" : "danger"}>
      {run.exitCode === 0 ? "Succeeded" : `Failed · exit ${exitText(run)}`}
    </Badge>
  );
}

function exitText(run: RunSummary): string {
  if (run.state === "running") return "—";
  if (run.exitCode === null) return "unknown";
  return run.signal === null ? String(run.exitCode) : `${run.exitCode} (${run.signal})`;
}

function maskedText(run: RunSummary): string {
  if (run.masked === null) return "—";
  return `${run.masked.stdout} out · ${run.masked.stderr} err`;
}

/** An argument as a shell would need it, so the command reads as typed. */
function quote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}
