/** Which people a process is assigned to: their robots receive it and hold its secrets. */

import { Badge, FormError, Loading, plural, useAction, useNotify } from "@heptora/web-kit";
import { useEffect, useState } from "react";
import { api, seg, useResource } from "../../api/client.ts";
import type { User } from "../../api/types.ts";
import { RoleBadge } from "../../components/role-badge.tsx";
import { ErrorState } from "../../components/states.tsx";

export function AssigneesEditor({
  processId,
  processName,
  assigneeIds,
  onSaved,
}: {
  processId: string;
  processName: string;
  assigneeIds: string[];
  onSaved: (ids: string[]) => void;
}) {
  const notify = useNotify();
  const { resource, reload } = useResource<{ users: User[] }>("/users");
  const [chosen, setChosen] = useState(() => new Set(assigneeIds));
  const { busy, error, run } = useAction();

  useEffect(() => setChosen(new Set(assigneeIds)), [assigneeIds]);

  if (resource.status === "loading") return <Loading label="Loading people…" />;
  if (resource.status === "error") {
    return <ErrorState error={resource.error} what="list people" onRetry={reload} />;
  }
  const users = [...resource.data.users].sort((a, b) => a.email.localeCompare(b.email));
  const changed = chosen.size !== assigneeIds.length || assigneeIds.some((id) => !chosen.has(id));

  function toggle(id: string, on: boolean): void {
    setChosen((old) => {
      const next = new Set(old);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  const save = () =>
    run(async () => {
      const answer = await api.put<{ userIds: string[] }>(
        `/processes/${seg(processId)}/assignees`,
        { userIds: [...chosen] },
      );
      onSaved(answer?.userIds ?? [...chosen]);
      notify(`Assignees of ${processName} saved.`);
    });

  return (
    <fieldset className="assignees">
      <legend className="visually-hidden">People assigned to {processName}</legend>
      <ul className="check-list">
        {users.map((u) => (
          <li key={u.id}>
            <label className={u.active === false ? "check check-disabled" : "check"}>
              <input
                type="checkbox"
                checked={chosen.has(u.id)}
                disabled={u.active === false && !chosen.has(u.id)}
                onChange={(e) => toggle(u.id, e.target.checked)}
              />
              <span className="check-label">{u.email}</span>
              <RoleBadge role={u.role} />
              {u.active === false ? <Badge look="caps">deactivated</Badge> : null}
            </label>
          </li>
        ))}
      </ul>
      <FormError message={error} />
      <div className="section-actions">
        <span className="muted">{plural(chosen.size, "person", "people")} selected</span>
        <button
          type="button"
          className="button button-primary"
          disabled={!changed || busy}
          onClick={save}
        >
          {busy ? "Saving…" : "Save assignees"}
        </button>
      </div>
    </fieldset>
  );
}
