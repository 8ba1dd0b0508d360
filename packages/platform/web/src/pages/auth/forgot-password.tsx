import { Field, FormError } from "@heptora/web-kit";
import { type FormEvent, useState } from "react";
import { messageOf, request } from "../../api/client.ts";
import { Link } from "../../lib/router.tsx";
import { AuthFrame } from "./auth-frame.tsx";

export function ForgotPasswordPage() {
  const [email, setEmail] = useState("");
  const [busy, setBusy] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    if (email.trim() === "") {
      setError("Enter the email you sign in with.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await request<void>("POST", "/auth/password-reset", {
        body: { email: email.trim() },
        anonymous: true,
      });
      setSentTo(email.trim());
    } catch (cause) {
      setError(messageOf(cause));
    } finally {
      setBusy(false);
    }
  }

  if (sentTo !== null) {
    return (
      <AuthFrame title="Check your email">
        <output className="auth-notice">
          If an account exists for {sentTo}, we have sent it a link to choose a new password. The
          link works once and expires soon.
        </output>
        <p className="auth-links">
          <Link to="/sign-in">Back to sign in</Link>
        </p>
      </AuthFrame>
    );
  }

  return (
    <AuthFrame
      title="Reset your password"
      intro="Enter the email you sign in with and we will send you a link to choose a new password."
    >
      <form className="form" onSubmit={submit} noValidate>
        <Field
          label="Email"
          type="email"
          name="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <FormError message={error} />
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          {busy ? "Sending…" : "Send reset link"}
        </button>
      </form>
      <p className="auth-links">
        <Link to="/sign-in">Back to sign in</Link>
      </p>
    </AuthFrame>
  );
}
