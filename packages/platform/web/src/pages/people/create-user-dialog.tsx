/** Adds a person: with a first password, or without one so they choose it from a reset email. */
import { Field, FormDialog } from "@heptora/web-kit";
import { useState } from "react";
import { api } from "../../api/client.ts";
import type { Role, User } from "../../api/types.ts";

export function CreateUserDialog({
  onSaved,
  onClose,
}: {
  onSaved: (user: User) => void;
  onClose: () => void;
}) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("member");
  const [password, setPassword] = useState("");

  async function save(): Promise<void> {
    if (email.trim() === "") throw new Error("Enter the person's email.");
    const body: { email: string; role: Role; password?: string } = { email: email.trim(), role };
    if (password !== "") body.password = password;
    onSaved(await api.post<User>("/users", body));
  }

  return (
    <FormDialog title="Add a person" submitLabel="Add person" onSubmit={save} onClose={onClose}>
      <Field
        label="Email"
        type="email"
        required
        autoComplete="off"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
      />
      <div className="field">
        <label htmlFor="new-user-role">Role</label>
        <select
          id="new-user-role"
          value={role}
          onChange={(e) => setRole(e.target.value === "admin" ? "admin" : "member")}
          aria-describedby="new-user-role-help"
        >
          <option value="member">Member</option>
          <option value="admin">Admin</option>
        </select>
        <div id="new-user-role-help" className="field-help">
          Members see the processes assigned to them and their own robots. Admins manage processes,
          people and robots.
        </div>
      </div>
      <Field
        label="First password (optional)"
        type="password"
        autoComplete="new-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        help="At least 12 characters. Leave empty and they get an email with a link to choose their own."
      />
    </FormDialog>
  );
}
