import { Field, FormError } from "@heptora/web-kit";
import { type FormEvent, useState } from "react";
import { ApiError, messageOf } from "../../api/client.ts";
import { Link } from "../../lib/router.tsx";
import { useSession } from "../../lib/session.tsx";
import { AuthFrame } from "./auth-frame.tsx";

export function SignInPage({ notice }: { notice?: string | undefined }) {
  const { signIn } = useSession();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    if (email.trim() === "" || password === "") {
      setError("Enter your email and password.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
    } catch (cause) {
      setPassword("");
      setError(
        cause instanceof ApiError && cause.code === "invalid_credentials"
          ? "The email or password is not correct. Try again, or reset your password."
          : messageOf(cause),
      );
      setBusy(false);
    }
  }

  return (
    <AuthFrame title="Sign in to Heptora">
      {notice ? <output className="auth-notice">{notice}</output> : null}
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
        <Field
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <FormError message={error} />
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <p className="auth-links">
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
    </AuthFrame>
  );
}
