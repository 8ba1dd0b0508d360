import {
  ConfirmDialog,
  DataTable,
  Empty,
  exactTime,
  navigate,
  PageHeader,
  plural,
  timeAgo,
  useNotify,
} from "@heptora/web-kit";
import { useState } from "react";
import { api, seg, useResource } from "../../api/client.ts";
import type { ProcessDetail, Variable } from "../../api/types.ts";
import { DetailPending } from "../../components/detail-pending.tsx";
import { IconPlus } from "../../components/icons.tsx";
import { VariableKind } from "../../components/variable-kind.tsx";
import { useUser } from "../../lib/session.tsx";
import { AssigneesEditor } from "./assignees.tsx";
import { ProcessDialog } from "./process-dialog.tsx";
import {
  AddVariableDialog,
  DeleteVariableDialog,
  EditVariableDialog,
} from "./variable-dialogs.tsx";

type Open =
  | { kind: "none" }
  | { kind: "edit-process" }
  | { kind: "delete-process" }
  | { kind: "add-variable" }
  | { kind: "edit-variable"; variable: Variable }
  | { kind: "delete-variable"; variable: Variable };

export function ProcessPage({ id }: { id: string }) {
  const user = useUser();
  const isAdmin = user.role === "admin";
  const notify = useNotify();
  const { resource, reload } = useResource<ProcessDetail>(`/processes/${seg(id)}`);
  const [open, setOpen] = useState<Open>({ kind: "none" });
  const close = () => setOpen({ kind: "none" });
  const back = { to: "/processes", label: "Processes" };

  if (resource.status !== "ready") {
    return <DetailPending noun="process" back={back} resource={resource} onRetry={reload} />;
  }
  const process = resource.data;
  const variables = [...process.variables].sort((a, b) => a.name.localeCompare(b.name));
  const secrets = variables.filter((v) => v.secret).length;

  return (
    <>
      <PageHeader
        title={process.name}
        back={back}
        subtitle={process.description || <span className="muted">No description</span>}
        actions={
          isAdmin ? (
            <>
              <button
                type="button"
                className="button"
                onClick={() => setOpen({ kind: "edit-process" })}
              >
                Edit process
              </button>
              <button
                type="button"
                className="button button-danger-outline"
                onClick={() => setOpen({ kind: "delete-process" })}
              >
                Delete process
              </button>
            </>
          ) : null
        }
      />
      {!isAdmin ? (
        <p className="callout callout-info" role="note">
          You can view this process because it is assigned to you. Only an administrator can change
          its variables or assignees. Set the secret values in your robot's Secrets window.
        </p>
      ) : null}

      <section className="card" aria-labelledby="variables-heading">
        <div className="card-header">
          <div>
            <h2 id="variables-heading">Variables</h2>
            <p className="muted">
              {plural(variables.length, "variable")}, {secrets} secret. Names only: values are kept
              on each robot.
            </p>
          </div>
          {isAdmin ? (
            <button
              type="button"
              className="button button-primary"
              onClick={() => setOpen({ kind: "add-variable" })}
            >
              <IconPlus />
              <span>Add variable</span>
            </button>
          ) : null}
        </div>
        {variables.length === 0 ? (
          <Empty title="No variables yet">
            <p>
              Declare each secret the automation reads, e.g. <code>SAP_USER</code> and{" "}
              <code>SAP_PASSWORD</code>. Robots then ask their owner for the values.
            </p>
          </Empty>
        ) : (
          <DataTable
            rows={variables}
            rowKey={(v) => v.name}
            columns={[
              { header: "Name", cell: (v) => <code className="var-name">{v.name}</code> },
              {
                header: "Kind",
                cell: (v) => <VariableKind secret={v.secret} note="· value kept on each robot" />,
              },
              {
                header: "Description",
                className: "col-wide",
                cellClassName: "col-wide muted",
                cell: (v) => v.description || "—",
              },
              isAdmin && {
                header: "Actions",
                hidden: true,
                className: "col-actions",
                cell: (v) => (
                  <>
                    <button
                      type="button"
                      className="button button-small"
                      aria-label={`Edit ${v.name}`}
                      onClick={() => setOpen({ kind: "edit-variable", variable: v })}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="button button-small button-danger-outline"
                      aria-label={`Delete ${v.name}`}
                      onClick={() => setOpen({ kind: "delete-variable", variable: v })}
                    >
                      Delete
                    </button>
                  </>
                ),
              },
            ]}
          />
        )}
      </section>

      <section className="card" aria-labelledby="assignees-heading">
        <div className="card-header">
          <div>
            <h2 id="assignees-heading">Assigned to</h2>
            <p className="muted">
              The robots of these people receive this process and ask them for its secrets.
            </p>
          </div>
        </div>
        {isAdmin ? (
          <AssigneesEditor
            processId={process.id}
            processName={process.name}
            assigneeIds={process.assigneeIds}
            onSaved={reload}
          />
        ) : (
          <p className="card-body">
            {process.assigneeIds.includes(user.id) ? "You" : "Not you"}
            {process.assigneeIds.length > 1
              ? ` and ${plural(process.assigneeIds.length - 1, "other person", "other people")}`
              : ""}
            .
          </p>
        )}
      </section>

      {process.updatedAt ? (
        <p className="page-footnote muted">
          Last changed{" "}
          <time dateTime={process.updatedAt} title={exactTime(process.updatedAt)}>
            {timeAgo(process.updatedAt)}
          </time>
          .
        </p>
      ) : null}

      {open.kind === "edit-process" ? (
        <ProcessDialog
          process={process}
          onClose={close}
          onSaved={() => {
            notify("Process saved.");
            reload();
          }}
        />
      ) : null}
      {open.kind === "delete-process" ? (
        <ConfirmDialog
          danger
          title={`Delete ${process.name}?`}
          confirmLabel="Delete process"
          onClose={close}
          onConfirm={async () => {
            await api.delete(`/processes/${seg(process.id)}`);
            notify(`Process ${process.name} deleted.`);
            navigate("/processes");
          }}
        >
          <p>
            Its {plural(variables.length, "variable")} and assignments are removed, and robots stop
            receiving it at their next sync. This cannot be undone.
          </p>
        </ConfirmDialog>
      ) : null}
      {open.kind === "add-variable" ? (
        <AddVariableDialog
          processId={process.id}
          taken={process.variables.map((v) => v.name)}
          onClose={close}
          onSaved={(v) => {
            notify(`Variable ${v.name} added.`);
            reload();
          }}
        />
      ) : null}
      {open.kind === "edit-variable" ? (
        <EditVariableDialog
          processId={process.id}
          variable={open.variable}
          taken={process.variables.map((v) => v.name)}
          onClose={close}
          onSaved={(v) => {
            notify(`Variable ${v.name} saved.`);
            reload();
          }}
        />
      ) : null}
      {open.kind === "delete-variable" ? (
        <DeleteVariableDialog
          processId={process.id}
          processName={process.name}
          variable={open.variable}
          onClose={close}
          onDeleted={() => {
            notify(`Variable ${open.variable.name} deleted.`);
            reload();
          }}
        />
      ) : null}
    </>
  );
}
