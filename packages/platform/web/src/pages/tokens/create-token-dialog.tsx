/**
 * Creating an admin API token: a name and a scope, then the token, shown this once with a copy
 * button. The token lives only in this dialog's state; closing it forgets it.
 */
import { Dialog, Field, FormDialog } from "@heptora/web-kit";
import { useId, useRef, useState } from "react";
import { api } from "../../api/client.ts";
import type { ApiTokenScope, CreatedApiToken } from "../../api/types.ts";

const SCOPES: readonly { value: ApiTokenScope; label: string; help: string }[] = [
  {
    value: "read",
    label: "Read only",
    help: "Lists and reads processes, people, robots and the audit log. Cannot change anything.",
  },
  {
    value: "admin",
    label: "Admin",
    help: "Everything you can do as an admin, except managing API tokens.",
  },
];

/** Thrown by the form when the name is empty; the field shows why. */
const NAME_MISSING = new Error("name missing");

export function CreateTokenDialog({
  onCreated,
  onClose,
}: {
  onCreated: (token: CreatedApiToken) => void;
  onClose: () => void;
}) {
  const [name, setName] = useState("");
  const [scope, setScope] = useState<ApiTokenScope>("read");
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [nameError, setNameError] = useState<string | null>(null);
  // Set as soon as the token exists: the form's closing after success must not close the whole
  // flow, whose next step shows the token.
  const shown = useRef(false);
  const scopeId = useId();

  async function save(): Promise<void> {
    setNameError(null);
    if (name.trim() === "") {
      setNameError("Enter a name for the token, like “CI deploy”.");
      throw NAME_MISSING;
    }
    const token = await api.post<CreatedApiToken>("/tokens", { name: name.trim(), scope });
    shown.current = true;
    setCreated(token);
    onCreated(token);
  }

  if (created !== null) return <TokenShownOnce token={created} onClose={onClose} />;
  return (
    <FormDialog
      title="Create an API token"
      submitLabel="Create token"
      onSubmit={save}
      onClose={() => {
        if (!shown.current) onClose();
      }}
      claimError={(cause) => cause === NAME_MISSING}
    >
      <Field
        label="Name"
        required
        autoComplete="off"
        maxLength={100}
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={nameError}
        help="What uses it, so you know which one to revoke: “GitLab CI”, “nightly report”."
      />
      <fieldset className="scope-choice" aria-describedby={`${scopeId}-help`}>
        <legend>Scope</legend>
        {SCOPES.map((s) => (
          <label key={s.value} className="scope-option">
            <input
              type="radio"
              name="scope"
              value={s.value}
              checked={scope === s.value}
              onChange={() => setScope(s.value)}
            />
            <span>
              <span className="scope-label">{s.label}</span>
              <span className="scope-help">{s.help}</span>
            </span>
          </label>
        ))}
        <div id={`${scopeId}-help`} className="field-help">
          The token acts as you. It stops working if you are no longer an admin.
        </div>
      </fieldset>
    </FormDialog>
  );
}

function TokenShownOnce({ token, onClose }: { token: CreatedApiToken; onClose: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<"no" | "yes" | "failed">("no");

  async function copy(): Promise<void> {
    input.current?.select();
    try {
      await navigator.clipboard.writeText(token.token);
      setCopied("yes");
    } catch {
      // No clipboard access (an http page, a refused permission): the text is selected instead.
      setCopied("failed");
    }
  }

  return (
    <Dialog title={`Token “${token.name}” created`} onClose={onClose} wide>
      <div className="dialog-form">
        <p className="callout">
          Copy it now: <strong>it will not be shown again.</strong> Heptora keeps only a hash of it.
          If you lose it, revoke it and create another.
        </p>
        <div className="field">
          <label htmlFor="new-api-token">Your new token</label>
          <div className="token-copy">
            <input
              id="new-api-token"
              ref={input}
              className="token-value"
              readOnly
              value={token.token}
              spellCheck={false}
              autoComplete="off"
              onFocus={(e) => e.currentTarget.select()}
            />
            <button type="button" className="button button-primary" onClick={copy}>
              {copied === "yes" ? "Copied" : "Copy"}
            </button>
          </div>
          <div className="field-help" aria-live="polite">
            {copied === "failed"
              ? "The browser did not allow copying: the token is selected, press Ctrl+C."
              : "Send it as the header Authorization: Bearer <token>. It starts with hpt_ so that secret scanners recognise it if it leaks."}
          </div>
        </div>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Done
          </button>
        </div>
      </div>
    </Dialog>
  );
}
