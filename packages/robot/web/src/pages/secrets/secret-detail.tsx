/**
 * One variable: its state, the processes using it, reveal (audited, hidden again after 30 s),
 * a masked field to set a new value, and the history of versions with restore.
 */
import {
  Badge,
  ConfirmDialog,
  exactTime,
  FormError,
  IconCheck,
  IconLock,
  timeAgo,
  useAction,
  useNotify,
} from "@heptora/web-kit";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { api, seg } from "../../api/client.ts";
import type { ListedVariable, SecretInfo } from "../../api/types.ts";
import { SecretInput } from "../../components/field.tsx";
import { IconBack } from "../../components/icons.tsx";
import { History } from "./history.tsx";
import { Reveal } from "./reveal.tsx";

export function SecretDetail({
  variable,
  processes,
  onChange,
  onClose,
  onDirtyChange,
}: {
  variable: ListedVariable;
  processes: string[];
  onChange: () => void;
  onClose: () => void;
  /** Whether a typed value is waiting to be saved (leaving then asks first). */
  onDirtyChange: (dirty: boolean) => void;
}) {
  const notify = useNotify();
  const titleId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [value, setValue] = useState("");
  /** A value of 1-3 characters cannot be masked safely in run output: saved only if allowed. */
  const [allowShort, setAllowShort] = useState(false);
  const short = value !== "" && [...value].length < 4;
  const { busy, error, setError, run } = useAction();
  const [saved, setSaved] = useState<SecretInfo | null>(null);
  const [historyVersion, setHistoryVersion] = useState(0);
  const [confirmRemove, setConfirmRemove] = useState(false);

  // Keyboard and screen-reader users land on the variable they picked.
  useEffect(() => headingRef.current?.focus(), []);
  useEffect(() => onDirtyChange(value !== ""), [value, onDirtyChange]);
  useEffect(() => () => onDirtyChange(false), [onDirtyChange]);

  function changed(): void {
    setHistoryVersion((v) => v + 1);
    onChange();
  }

  async function save(event: FormEvent): Promise<void> {
    event.preventDefault();
    if (value === "") {
      setError("Type a value first.");
      return;
    }
    setSaved(null);
    await run(async () => {
      const body = short && allowShort ? { value, allowShort: true } : { value };
      const info = await api.put<SecretInfo>(`/secrets/${seg(variable.name)}`, body);
      setValue("");
      setAllowShort(false);
      setSaved(info);
      changed();
    });
  }

  return (
    <section className="detail" aria-labelledby={titleId}>
      <button type="button" className="detail-back" onClick={onClose}>
        <IconBack /> All variables
      </button>
      <header className="detail-header">
        <h2 id={titleId} className="detail-title mono" tabIndex={-1} ref={headingRef}>
          {variable.name}
        </h2>
        {variable.set ? <Badge tone="ok">Set</Badge> : <Badge tone="warn">Not set</Badge>}
      </header>
      <p className="detail-description">{variable.description || "No description."}</p>
      <dl className="facts">
        <div>
          <dt>Used by</dt>
          <dd>
            {processes.join(", ")}
            {processes.length > 1 ? (
              <span className="shared-tag">
                one value for {processes.length === 2 ? "both" : "all"}
              </span>
            ) : null}
          </dd>
        </div>
        <div>
          <dt>Kind</dt>
          <dd>
            {variable.secret ? (
              <>
                <IconLock /> Secret: masked in automation output
              </>
            ) : (
              "Plain setting: not masked in output"
            )}
          </dd>
        </div>
        <div>
          <dt>Last changed</dt>
          <dd>
            {variable.updatedAt ? (
              <time title={exactTime(variable.updatedAt)}>
                {timeAgo(variable.updatedAt)}
                {variable.version !== null ? ` · version ${variable.version}` : ""}
              </time>
            ) : (
              "Never"
            )}
          </dd>
        </div>
      </dl>

      <div className="detail-block">
        <h3>Current value</h3>
        {variable.set ? (
          <Reveal name={variable.name} onRevealed={changed} />
        ) : (
          <p className="muted">
            No value on this robot yet. Automations that ask for it get an error.
          </p>
        )}
      </div>

      <form className="detail-block" onSubmit={save} noValidate>
        <h3>{variable.set ? "Set a new value" : "Set the value"}</h3>
        <SecretInput
          label="New value"
          value={value}
          onChange={(v) => {
            setValue(v);
            setSaved(null);
          }}
          help="Encrypted on this machine. Earlier values stay in the history."
        />
        {short ? (
          <label className="field-help short-value-choice">
            <input
              type="checkbox"
              checked={allowShort}
              onChange={(e) => setAllowShort(e.target.checked)}
            />{" "}
            Allow a short value: fewer than 4 characters cannot be hidden safely in the output of
            automations. Recorded in the activity log.
          </label>
        ) : null}
        <FormError message={error} />
        {saved ? (
          <output className="confirmation">
            <IconCheck />
            Saved as version {saved.version}, encrypted on this machine.
          </output>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? "Saving…" : "Save"}
          </button>
          {variable.set ? (
            <button
              type="button"
              className="button button-danger-outline"
              onClick={() => setConfirmRemove(true)}
            >
              Remove value
            </button>
          ) : null}
        </div>
      </form>

      <History
        name={variable.name}
        version={historyVersion}
        onRestored={() => {
          setSaved(null);
          changed();
        }}
      />

      {confirmRemove ? (
        <ConfirmDialog
          title={`Remove the value of ${variable.name}?`}
          confirmLabel="Remove value"
          danger
          onConfirm={async () => {
            await api.delete(`/secrets/${seg(variable.name)}`);
            notify(`The value of ${variable.name} was removed.`);
            setSaved(null);
            changed();
          }}
          onClose={() => setConfirmRemove(false)}
        >
          <p>
            Automations of {processes.join(", ")} will get an error when they ask for it, until a
            value is set again. Earlier versions stay in the history.
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
