/** API tokens: admins create named, scoped tokens for scripts and CI, see their last use, revoke them. */
import {
  Badge,
  ConfirmDialog,
  DataTable,
  Empty,
  Loading,
  PageHeader,
  TimeAgo,
  useNotify,
} from "@heptora/web-kit";
import { useState } from "react";
import { api, seg, useResource } from "../../api/client.ts";
import type { ApiToken, ApiTokenListResponse } from "../../api/types.ts";
import { IconPlus } from "../../components/icons.tsx";
import { AdminOnly, ErrorState } from "../../components/states.tsx";
import { CreateTokenDialog } from "./create-token-dialog.tsx";
import "./tokens.css";

type Open = { kind: "none" } | { kind: "create" } | { kind: "revoke"; token: ApiToken };

export function TokensPage() {
  return (
    <AdminOnly title="API tokens" what="manage API tokens">
      <TokensAdmin />
    </AdminOnly>
  );
}

function TokensAdmin() {
  const notify = useNotify();
  const { resource, reload } = useResource<ApiTokenListResponse>("/tokens");
  const [open, setOpen] = useState<Open>({ kind: "none" });
  const close = () => setOpen({ kind: "none" });

  return (
    <>
      <PageHeader
        title="API tokens"
        subtitle="Tokens let scripts and CI use the platform's API as you, without a browser."
        actions={
          <button
            type="button"
            className="button button-primary"
            onClick={() => setOpen({ kind: "create" })}
          >
            <IconPlus />
            <span>Create token</span>
          </button>
        }
      />
      {resource.status === "loading" ? <Loading label="Loading API tokens…" /> : null}
      {resource.status === "error" ? (
        <ErrorState error={resource.error} what="manage API tokens" onRetry={reload} />
      ) : null}
      {resource.status === "ready" && resource.data.tokens.length === 0 ? (
        <Empty title="No API tokens yet">
          <p>
            Create one for each script or pipeline, so you can revoke one without touching the
            others. A read-only token is enough to list processes, robots and the audit log.
          </p>
        </Empty>
      ) : null}
      {resource.status === "ready" && resource.data.tokens.length > 0 ? (
        <section className="card" aria-label="API tokens">
          <DataTable
            rows={resource.data.tokens}
            rowKey={(t) => t.id}
            columns={[
              { header: "Name", className: "col-wide", cell: (t) => <strong>{t.name}</strong> },
              {
                header: "Scope",
                cell: (t) =>
                  t.scope === "admin" ? (
                    <Badge look="dot" tone="warn">
                      Admin
                    </Badge>
                  ) : (
                    <Badge look="dot" tone="info">
                      Read only
                    </Badge>
                  ),
              },
              {
                header: "Created",
                cellClassName: "muted",
                cell: (t) => <TimeAgo at={t.createdAt} />,
              },
              {
                header: "Last used",
                cellClassName: "muted",
                cell: (t) => (t.lastUsedAt === null ? "Never" : <TimeAgo at={t.lastUsedAt} />),
              },
              {
                header: "Created by",
                className: "col-optional",
                cellClassName: "col-optional muted",
                cell: (t) => t.createdBy.email,
              },
              {
                header: "Actions",
                hidden: true,
                className: "col-actions",
                cell: (t) => (
                  <button
                    type="button"
                    className="button button-small button-danger-outline"
                    aria-label={`Revoke ${t.name}`}
                    onClick={() => setOpen({ kind: "revoke", token: t })}
                  >
                    Revoke
                  </button>
                ),
              },
            ]}
          />
        </section>
      ) : null}
      <p className="page-footnote">
        Send a token as <code>Authorization: Bearer &lt;token&gt;</code>. Tokens start with{" "}
        <code>hpt_</code> so that secret scanners can spot a leaked one. They never work on the
        robot API, and cannot create or revoke tokens.
      </p>
      {open.kind === "create" ? (
        <CreateTokenDialog onClose={close} onCreated={() => reload()} />
      ) : null}
      {open.kind === "revoke" ? (
        <ConfirmDialog
          danger
          title={`Revoke “${open.token.name}”?`}
          confirmLabel="Revoke token"
          onClose={close}
          onConfirm={async () => {
            await api.delete(`/tokens/${seg(open.token.id)}`);
            notify(`“${open.token.name}” is revoked.`);
            reload();
          }}
        >
          <p>
            Whatever uses this token is refused from its next request. This cannot be undone: to
            restore access, create a new token.
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
