/**
 * A masked input with a show/hide toggle, for secret values; `Field` and `Select` are in the kit.
 * The browser is asked not to remember or suggest the value (`autocomplete="new-password"`, no
 * spellcheck: spellcheckers may send text away).
 */
import { describedBy, FieldNotes } from "@heptora/web-kit";
import { type ReactNode, useId, useState } from "react";
import { IconEye, IconEyeOff } from "./icons.tsx";

export function SecretInput({
  label,
  value,
  onChange,
  help,
  error,
  autoFocus = false,
  autoComplete = "new-password",
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  help?: ReactNode;
  error?: ReactNode;
  autoFocus?: boolean;
  autoComplete?: string;
}) {
  const id = useId();
  const [shown, setShown] = useState(false);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="secret-input">
        <input
          id={id}
          type={shown ? "text" : "password"}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          autoComplete={autoComplete}
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
          // biome-ignore lint/a11y/noAutofocus: the field the user just asked for.
          autoFocus={autoFocus}
          aria-describedby={describedBy(id, help, error)}
          aria-invalid={error ? true : undefined}
        />
        <button
          type="button"
          className="secret-toggle"
          aria-pressed={shown}
          aria-label={shown ? `Hide ${label.toLowerCase()}` : `Show ${label.toLowerCase()}`}
          onClick={() => setShown((s) => !s)}
        >
          {shown ? <IconEyeOff /> : <IconEye />}
          <span aria-hidden="true">{shown ? "Hide" : "Show"}</span>
        </button>
      </div>
      <FieldNotes id={id} help={help} error={error} />
    </div>
  );
}
