/**
 * Values still kept on this robot for names no assigned process declares any more: move one onto
 * a declared name that has no value yet (with its history), or remove it.
 */
import { ConfirmDialog, exactTime, FormDialog, Select, timeAgo, useNotify } from "@heptora/web-kit";
import { useState } from "react";
import { api, seg } from "../../api/client.ts";
import type { SecretInfo } from "../../api/types.ts";

export function UndeclaredValues({
  names,
  targets,
  onChange,
}: {
  names: SecretInfo[];
  /** Declared names without a value: where an undeclared value can move. */
  targets: string[];
  onChange: () => void;
}) {
  const notify = useNotify();
  const [removing, setRemoving] = useState<string | null>(null);
  const [moving, setMoving] = useState<string | null>(null);
  const [target, setTarget] = useState("");
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
            {targets.length > 0 ? (
              <button
                type="button"
                className="button button-small"
                onClick={() => {
                  setTarget(targets[0] ?? "");
                  setMoving(s.name);
                }}
              >
                Move to…<span className="visually-hidden"> {s.name}</span>
              </button>
            ) : null}
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
      {moving !== null ? (
        <FormDialog
          title={`Move the value of ${moving}`}
          submitLabel="Move value"
          onSubmit={async () => {
            await api.post(`/secrets/${seg(moving)}/move`, { to: target });
            notify(`The value of ${moving} is now the value of ${target}, with its history.`);
            onChange();
          }}
          onClose={() => setMoving(null)}
        >
          <Select
            label="Declared name without a value"
            value={target}
            onChange={setTarget}
            options={targets.map((name) => ({ value: name, label: name }))}
          />
          <p className="dialog-body">
            The value and its history move onto this name. This is recorded in the audit log.
          </p>
        </FormDialog>
      ) : null}
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
