import { Field, Link } from "@heptora/web-kit";
import { useState } from "react";
import { ApiError, messageOf } from "../../api/client.ts";
import { useSession } from "../../lib/session.tsx";
import { AuthForm, AuthFrame, AuthNotice, useAuthSubmit } from "./auth-frame.tsx";
import { EmailField } from "./credential-fields.tsx";

export function SignInPage({ notice }: { notice?: string | undefined }) {
  const { signIn } = useSession();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const form = useAuthSubmit({
    check: () => (email.trim() === "" || password === "" ? "Enter your email and password." : null),
    action: () => signIn(email.trim(), password),
    failed: (cause) => {
      setPassword("");
      return cause instanceof ApiError && cause.code === "invalid_credentials"
        ? "The email or password is not correct. Try again, or reset your password."
        : messageOf(cause);
    },
  });

  return (
    <AuthFrame
      title="Sign in to Heptora"
      links={<Link to="/forgot-password">Forgot your password?</Link>}
    >
      {notice ? <AuthNotice>{notice}</AuthNotice> : null}
      <AuthForm {...form} label="Sign in" busyLabel="Signing in…">
        <EmailField label="Email" name="email" value={email} onChange={setEmail} />
        <Field
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </AuthForm>
    </AuthFrame>
  );
}
