/**
 * The credential fields of the signed-out screens: the email someone signs in with, and a new
 * password typed twice (first run and password reset) with the advice on choosing one.
 */
import { Field } from "@heptora/web-kit";
import { useState } from "react";

export function EmailField({
  label,
  name,
  value,
  onChange,
}: {
  label: string;
  name?: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <Field
      label={label}
      type="email"
      name={name}
      autoComplete="username"
      required
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

export interface NewPassword {
  password: string;
  confirm: string;
  setPassword: (value: string) => void;
  setConfirm: (value: string) => void;
  /** "The two passwords are not the same." when they differ, else null. */
  mismatch: string | null;
}

export function useNewPassword(): NewPassword {
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const mismatch = password !== confirm ? "The two passwords are not the same." : null;
  return { password, confirm, setPassword, setConfirm, mismatch };
}

/** `label` is "Password" or "New password"; the second field is "Repeat <label>". */
export function NewPasswordFields({ label, value }: { label: string; value: NewPassword }) {
  return (
    <>
      <Field
        label={label}
        type="password"
        autoComplete="new-password"
        required
        value={value.password}
        onChange={(e) => value.setPassword(e.target.value)}
        help="At least 12 characters. A long passphrase you use nowhere else is best."
      />
      <Field
        label={`Repeat ${label.toLowerCase()}`}
        type="password"
        autoComplete="new-password"
        required
        value={value.confirm}
        onChange={(e) => value.setConfirm(e.target.value)}
      />
    </>
  );
}
