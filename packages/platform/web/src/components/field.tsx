/** Labelled form controls. A labelled input with an optional help line and error, wired with aria-describedby. */
import {
  type InputHTMLAttributes,
  type ReactNode,
  type TextareaHTMLAttributes,
  useId,
} from "react";

type FieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, "id"> & {
  label: string;
  help?: ReactNode;
  error?: ReactNode;
};

export function Field({ label, help, error, className, ...input }: FieldProps) {
  const id = useId();
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const describedBy = [help ? helpId : null, error ? errorId : null].filter(Boolean).join(" ");
  return (
    <div className={className ? `field ${className}` : "field"}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        aria-describedby={describedBy || undefined}
        aria-invalid={error ? true : undefined}
        {...input}
      />
      {help ? (
        <div id={helpId} className="field-help">
          {help}
        </div>
      ) : null}
      {error ? (
        <div id={errorId} className="field-error">
          {error}
        </div>
      ) : null}
    </div>
  );
}

type TextAreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "id"> & {
  label: string;
  help?: ReactNode;
  rows?: number;
};

export function TextArea({ label, help, rows = 3, ...input }: TextAreaProps) {
  const id = useId();
  const helpId = `${id}-help`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} rows={rows} aria-describedby={help ? helpId : undefined} {...input} />
      {help ? (
        <div id={helpId} className="field-help">
          {help}
        </div>
      ) : null}
    </div>
  );
}

/** An on/off switch: a checkbox with role="switch", labelled, with a line saying what it means. */
export function Switch({
  label,
  checked,
  onChange,
  help,
}: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  help?: ReactNode;
}) {
  const id = useId();
  const helpId = `${id}-help`;
  return (
    <div className="field field-switch">
      <input
        id={id}
        type="checkbox"
        role="switch"
        aria-checked={checked}
        className="switch"
        checked={checked}
        aria-describedby={help ? helpId : undefined}
        onChange={(e) => onChange(e.target.checked)}
      />
      <label htmlFor={id}>{label}</label>
      {help ? (
        <div id={helpId} className="field-help">
          {help}
        </div>
      ) : null}
    </div>
  );
}
