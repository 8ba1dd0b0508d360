/** Values still kept on this robot for names no assigned process declares any more. */
import { ConfirmDialog, exactTime, timeAgo, useNotify } from "@heptora/web-kit";
import { useState } from "react";
import { api, seg } from "../../api/client.ts";
import type { SecretInfo } from "../../api/types.ts";

export function UndeclaredValues({
  names,
  onChange,
}: {
  names: SecretInfo[];
  onChange: () => void;
}) {
  const notify = useNotify();
  const [removing, setRemoving] = useState<string | null>(null);
  if (names.length === 0) return null;
  return (
    <section className="group group-undeclared" aria-labelledby="undeclared-title">
      <header className="group-header">
        <h2 id="undeclared-title">No longer declared</h2>
      </header>
      <p className="group-description">
        These values stay on this robot, but no process assigned to you uses them any more.
      </p>
      <ul className="rows">
        {names.map((s) => (
          <li key={s.name} className="row row-static">
            <span className="row-main">
              <span className="row-name mono">{s.name}</span>
              {s.updatedAt ? (
                <span className="row-description" title={exactTime(s.updatedAt)}>
                  changed {timeAgo(s.updatedAt)}
                </span>
              ) : null}
            </span>
            <button
              type="button"
              className="button button-small button-danger-outline"
              onClick={() => setRemoving(s.name)}
            >
              Remove value<span className="visually-hidden"> of {s.name}</span>
            </button>
          </li>
        ))}
      </ul>
      {removing !== null ? (
        <ConfirmDialog
          title={`Remove the value of ${removing}?`}
          confirmLabel="Remove value"
          danger
          onConfirm={async () => {
            await api.delete(`/secrets/${seg(removing)}`);
            notify(`The value of ${removing} was removed from this robot.`);
            onChange();
          }}
          onClose={() => setRemoving(null)}
        >
          <p>The robot forgets the value. This is recorded in the audit log.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
