/** Labelled form controls, wired to their help and error lines with aria-describedby. */
import { type InputHTMLAttributes, type ReactNode, useId } from "react";

/** The ids a control lists in aria-describedby: its help line, its error line, or none. */
export function describedBy(id: string, help?: ReactNode, error?: ReactNode): string | undefined {
  const ids = [help ? `${id}-help` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length > 0 ? ids.join(" ") : undefined;
}

/** The help and error lines under a control whose id is `id` (see `describedBy`). */
export function FieldNotes({
  id,
  help,
  error,
}: {
  id: string;
  help?: ReactNode;
  error?: ReactNode;
}) {
  return (
    <>
      {help ? (
        <div id={`${id}-help`} className="field-help">
          {help}
        </div>
      ) : null}
      {error ? (
        <div id={`${id}-error`} className="field-error">
          {error}
        </div>
      ) : null}
    </>
  );
}

type FieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, "id"> & {
  label: string;
  help?: ReactNode;
  error?: ReactNode;
};

export function Field({ label, help, error, className, ...input }: FieldProps) {
  const id = useId();
  return (
    <div className={className ? `field ${className}` : "field"}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        aria-describedby={describedBy(id, help, error)}
        aria-invalid={error ? true : undefined}
        {...input}
      />
      <FieldNotes id={id} help={help} error={error} />
    </div>
  );
}

export function Select({
  label,
  value,
  onChange,
  options,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: readonly { value: string; label: string }[];
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
