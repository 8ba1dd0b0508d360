/** First run: no administrator exists yet, so the first visitor creates the organisation. */
import { Field, FormError } from "@heptora/web-kit";
import { type FormEvent, useState } from "react";
import { messageOf } from "../../api/client.ts";
import { useSession } from "../../lib/session.tsx";
import { AuthFrame } from "./auth-frame.tsx";

export function SetupPage() {
  const { completeSetup } = useSession();
  const [organization, setOrganization] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    if (organization.trim() === "" || email.trim() === "" || password === "") {
      return setError("Fill in every field.");
    }
    if (password !== confirm) return setError("The two passwords are not the same.");
    setBusy(true);
    setError(null);
    try {
      await completeSetup({ organization: organization.trim(), email: email.trim(), password });
    } catch (cause) {
      setError(messageOf(cause));
      setBusy(false);
    }
  }

  return (
    <AuthFrame
      title="Set up Heptora"
      intro="Welcome. Create your organisation and its first administrator account."
    >
      <form className="form" onSubmit={submit} noValidate>
        <Field
          label="Organisation name"
          autoComplete="organization"
          required
          maxLength={100}
          value={organization}
          onChange={(e) => setOrganization(e.target.value)}
        />
        <Field
          label="Administrator email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <Field
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          help="At least 12 characters. A long passphrase you use nowhere else is best."
        />
        <Field
          label="Repeat password"
          type="password"
          autoComplete="new-password"
          required
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
        />
        <FormError message={error} />
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          {busy ? "Creating…" : "Create organisation"}
        </button>
      </form>
    </AuthFrame>
  );
}
