import {
  Badge,
  ConfirmDialog,
  DataTable,
  Empty,
  FormError,
  Loading,
  PageHeader,
  TimeAgo,
  useNotify,
} from "@heptora/web-kit";
import { useState } from "react";
import { api, messageOf, seg, useResource } from "../../api/client.ts";
import type { Role, SessionUser, User } from "../../api/types.ts";
import { IconPlus } from "../../components/icons.tsx";
import { AdminOnly, ErrorState } from "../../components/states.tsx";
import { useUser } from "../../lib/session.tsx";
import { CreateUserDialog } from "./create-user-dialog.tsx";

type Open =
  | { kind: "none" }
  | { kind: "create" }
  | { kind: "deactivate"; user: User }
  | { kind: "sessions"; user: User };

export function PeoplePage() {
  const me = useUser();
  return (
    <AdminOnly title="People" what="manage people">
      <PeopleAdmin me={me} />
    </AdminOnly>
  );
}

function PeopleAdmin({ me }: { me: SessionUser }) {
  const notify = useNotify();
  const { resource, reload } = useResource<{ users: User[] }>("/users");
  const [open, setOpen] = useState<Open>({ kind: "none" });
  const [rowError, setRowError] = useState<string | null>(null);
  const close = () => setOpen({ kind: "none" });

  async function update(user: User, change: { role?: Role; active?: boolean }): Promise<void> {
    setRowError(null);
    try {
      await api.patch<User>(`/users/${seg(user.id)}`, change);
      if (change.role)
        notify(`${user.email} is now ${change.role === "admin" ? "an admin" : "a member"}.`);
      if (change.active === true) notify(`${user.email} can sign in again.`);
      reload();
    } catch (cause) {
      setRowError(messageOf(cause));
    }
  }

  return (
    <>
      <PageHeader
        title="People"
        subtitle="Who can sign in to the platform and to robots, and with which role."
        actions={
          <button
            type="button"
            className="button button-primary"
            onClick={() => setOpen({ kind: "create" })}
          >
            <IconPlus />
            <span>Add person</span>
          </button>
        }
      />
      {resource.status === "loading" ? <Loading label="Loading people…" /> : null}
      {resource.status === "error" ? (
        <ErrorState error={resource.error} what="manage people" onRetry={reload} />
      ) : null}
      {resource.status === "ready" && resource.data.users.length === 0 ? (
        <Empty title="Nobody here yet" />
      ) : null}
      {resource.status === "ready" && resource.data.users.length > 0 ? (
        <section className="card" aria-label="People">
          <FormError message={rowError} />
          <DataTable
            rows={[...resource.data.users].sort((a, b) => a.email.localeCompare(b.email))}
            rowKey={(u) => u.id}
            rowClassName={(u) => (u.active === false ? "row-muted" : undefined)}
            columns={[
              {
                header: "Email",
                cell: (u) => (
                  <>
                    {u.email}
                    {u.id === me.id ? (
                      <Badge look="caps" className="badge-self">
                        you
                      </Badge>
                    ) : null}
                  </>
                ),
              },
              {
                header: "Role",
                cell: (u) => (
                  <select
                    aria-label={`Role of ${u.email}`}
                    value={u.role}
                    disabled={u.id === me.id}
                    title={u.id === me.id ? "You cannot change your own role." : undefined}
                    onChange={(e) =>
                      update(u, { role: e.target.value === "admin" ? "admin" : "member" })
                    }
                  >
                    <option value="member">Member</option>
                    <option value="admin">Admin</option>
                  </select>
                ),
              },
              {
                header: "Status",
                cell: (u) =>
                  u.status === "invited" ? (
                    // Has not yet chosen a password from the invitation mail.
                    <Badge look="dot" tone="info">
                      Invited
                    </Badge>
                  ) : (
                    <Badge look="dot" tone={u.active !== false ? "ok" : "off"}>
                      {u.active !== false ? "Active" : "Deactivated"}
                    </Badge>
                  ),
              },
              {
                header: "Added",
                className: "col-optional",
                cellClassName: "col-optional muted",
                cell: (u) => <TimeAgo at={u.createdAt} />,
              },
              {
                header: "Actions",
                hidden: true,
                className: "col-actions",
                cell: (u) => {
                  const self = u.id === me.id;
                  const active = u.active !== false;
                  return (
                    <>
                      <button
                        type="button"
                        className="button button-small"
                        aria-label={`Sign out ${u.email} everywhere`}
                        onClick={() => setOpen({ kind: "sessions", user: u })}
                      >
                        Reset sessions
                      </button>
                      {self ? null : active ? (
                        <button
                          type="button"
                          className="button button-small button-danger-outline"
                          aria-label={`Deactivate ${u.email}`}
                          onClick={() => setOpen({ kind: "deactivate", user: u })}
                        >
                          Deactivate
                        </button>
                      ) : (
                        <button
                          type="button"
                          className="button button-small"
                          aria-label={`Reactivate ${u.email}`}
                          onClick={() => update(u, { active: true })}
                        >
                          Reactivate
                        </button>
                      )}
                    </>
                  );
                },
              },
            ]}
          />
        </section>
      ) : null}
      {open.kind === "create" ? (
        <CreateUserDialog
          onClose={close}
          onSaved={(u) => {
            notify(`${u.email} added as ${u.role === "admin" ? "an admin" : "a member"}.`);
            reload();
          }}
        />
      ) : null}
      {open.kind === "deactivate" ? (
        <ConfirmDialog
          danger
          title={`Deactivate ${open.user.email}?`}
          confirmLabel="Deactivate"
          onClose={close}
          onConfirm={async () => {
            await api.patch<User>(`/users/${seg(open.user.id)}`, { active: false });
            notify(`${open.user.email} is deactivated.`);
            reload();
          }}
        >
          <p>
            They are signed out of the platform at once and their robots are revoked. Secret values
            stay on their machines, encrypted. You can reactivate them later; they then sign in
            their robots again.
          </p>
        </ConfirmDialog>
      ) : null}
      {open.kind === "sessions" ? (
        <ConfirmDialog
          danger
          title={`Sign out ${open.user.email} everywhere?`}
          confirmLabel="Reset sessions"
          onClose={close}
          onConfirm={async () => {
            await api.delete(`/users/${seg(open.user.id)}/sessions`);
            notify(`${open.user.email} is signed out of every browser.`);
          }}
        >
          <p>
            Every browser session of this person ends now; they must sign in again.
            {open.user.id === me.id ? " That includes this one." : ""}
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
