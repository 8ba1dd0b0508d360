import { Link } from "@heptora/web-kit";
import { useState } from "react";
import { request } from "../../api/client.ts";
import { AuthForm, AuthFrame, AuthNotice, useAuthSubmit } from "./auth-frame.tsx";
import { EmailField } from "./credential-fields.tsx";

export function ForgotPasswordPage() {
  const [email, setEmail] = useState("");
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useAuthSubmit({
    check: () => (email.trim() === "" ? "Enter the email you sign in with." : null),
    action: async () => {
      await request<void>("POST", "/auth/password-reset", {
        body: { email: email.trim() },
        anonymous: true,
      });
      setSentTo(email.trim());
    },
  });
  const backToSignIn = <Link to="/sign-in">Back to sign in</Link>;

  if (sentTo !== null) {
    return (
      <AuthFrame title="Check your email" links={backToSignIn}>
        <AuthNotice>
          If an account exists for {sentTo}, we have sent it a link to choose a new password. The
          link works once and expires soon.
        </AuthNotice>
      </AuthFrame>
    );
  }

  return (
    <AuthFrame
      title="Reset your password"
      intro="Enter the email you sign in with and we will send you a link to choose a new password."
      links={backToSignIn}
    >
      <AuthForm {...form} label="Send reset link" busyLabel="Sending…">
        <EmailField label="Email" name="email" value={email} onChange={setEmail} />
      </AuthForm>
    </AuthFrame>
  );
}
