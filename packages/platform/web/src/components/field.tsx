/** The admin app's own form controls (multi-line text, on/off switch); `Field` is in the kit. */
import { describedBy, FieldNotes } from "@heptora/web-kit";
import { type ReactNode, type TextareaHTMLAttributes, useId } from "react";

type TextAreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "id"> & {
  label: string;
  help?: ReactNode;
  rows?: number;
};

export function TextArea({ label, help, rows = 3, ...input }: TextAreaProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} rows={rows} aria-describedby={describedBy(id, help)} {...input} />
      <FieldNotes id={id} help={help} />
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
  return (
    <div className="field field-switch">
      <input
        id={id}
        type="checkbox"
        role="switch"
        aria-checked={checked}
        className="switch"
        checked={checked}
        aria-describedby={describedBy(id, help)}
        onChange={(e) => onChange(e.target.checked)}
      />
      <label htmlFor={id}>{label}</label>
      <FieldNotes id={id} help={help} />
    </div>
  );
}
