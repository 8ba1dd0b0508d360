/**
 * Sets a new password from the emailed link `/reset-password?token=...`. The token is read once
 * and removed from the address bar at once, so it stays out of history, bookmarks and screenshots.
 */
import { Field, FormError } from "@heptora/web-kit";
import { type FormEvent, useState } from "react";
import { messageOf, request } from "../../api/client.ts";
import { Link } from "../../lib/router.tsx";
import { AuthFrame } from "./auth-frame.tsx";

/** Reads the token from the URL and scrubs it; called before the first render. */
export function takeResetToken(): string | null {
  const url = new URL(window.location.href);
  const token = url.searchParams.get("token");
  if (token !== null) {
    url.searchParams.delete("token");
    window.history.replaceState(null, "", url.pathname + url.search + url.hash);
  }
  return token;
}

export function ResetPasswordPage({ token }: { token: string | null }) {
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    if (password === "") return setError("Enter a new password.");
    if (password !== confirm) return setError("The two passwords are not the same.");
    setBusy(true);
    setError(null);
    try {
      await request<void>("POST", "/auth/password-reset/confirm", {
        body: { token, password },
        anonymous: true,
      });
      setDone(true);
    } catch (cause) {
      setError(messageOf(cause));
    } finally {
      setBusy(false);
    }
  }

  if (token === null || token === "") {
    return (
      <AuthFrame title="This link is incomplete">
        <p className="auth-notice" role="alert">
          Open the link from the password reset email again, or ask for a new one.
        </p>
        <p className="auth-links">
          <Link to="/forgot-password">Ask for a new link</Link>
        </p>
      </AuthFrame>
    );
  }

  if (done) {
    return (
      <AuthFrame title="Password changed">
        <output className="auth-notice">
          Your password has been changed and your other sessions were signed out.
        </output>
        <p className="auth-links">
          <Link to="/sign-in">Sign in with your new password</Link>
        </p>
      </AuthFrame>
    );
  }

  return (
    <AuthFrame title="Choose a new password">
      <form className="form" onSubmit={submit} noValidate>
        <Field
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          help="At least 12 characters. A long passphrase you use nowhere else is best."
        />
        <Field
          label="Repeat new password"
          type="password"
          autoComplete="new-password"
          required
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
        />
        <FormError message={error} />
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          {busy ? "Saving…" : "Set new password"}
        </button>
      </form>
    </AuthFrame>
  );
}
