/**
 * Sets a new password from the emailed link `/reset-password?token=...`. The token is read once
 * and removed from the address bar at once, so it stays out of history, bookmarks and screenshots.
 * An invitation's link adds `&invite=1` (not secret, so it stays): the page then welcomes a new
 * person instead of speaking of a reset.
 */
import { Link } from "@heptora/web-kit";
import { useState } from "react";
import { request } from "../../api/client.ts";
import { AuthForm, AuthFrame, AuthNotice, useAuthSubmit } from "./auth-frame.tsx";
import { NewPasswordFields, useNewPassword } from "./credential-fields.tsx";

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

/** Whether the address is an invitation's link (`&invite=1`). */
function isInvitation(): boolean {
  return new URLSearchParams(window.location.search).get("invite") === "1";
}

export function ResetPasswordPage({ token }: { token: string | null }) {
  const newPassword = useNewPassword();
  const [done, setDone] = useState(false);
  const [invitation] = useState(isInvitation);
  const form = useAuthSubmit({
    check: () => {
      return newPassword.password === "" ? "Enter a new password." : newPassword.mismatch;
    },
    action: async () => {
      await request<void>("POST", "/auth/password-reset/confirm", {
        body: { token, password: newPassword.password },
        anonymous: true,
      });
      setDone(true);
    },
  });

  if (token === null || token === "") {
    return (
      <AuthFrame
        title="This link is incomplete"
        links={<Link to="/forgot-password">Ask for a new link</Link>}
      >
        <p className="auth-notice" role="alert">
          Open the link from the password reset email again, or ask for a new one.
        </p>
      </AuthFrame>
    );
  }

  if (done && invitation) {
    return (
      <AuthFrame title="Password chosen" links={<Link to="/sign-in">Sign in</Link>}>
        <AuthNotice>
          Your Heptora account is ready: sign in with your email and password.
        </AuthNotice>
      </AuthFrame>
    );
  }

  if (invitation) {
    return (
      <AuthFrame
        title="Welcome to Heptora: choose a password"
        intro="An administrator added you. Choose the password you will sign in with."
      >
        <AuthForm {...form} label="Set password" busyLabel="Saving…">
          <NewPasswordFields label="Password" value={newPassword} />
        </AuthForm>
      </AuthFrame>
    );
  }

  if (done) {
    return (
      <AuthFrame
        title="Password changed"
        links={<Link to="/sign-in">Sign in with your new password</Link>}
      >
        <AuthNotice>
          Your password has been changed and your other sessions were signed out.
        </AuthNotice>
      </AuthFrame>
    );
  }

  return (
    <AuthFrame title="Choose a new password">
      <AuthForm {...form} label="Set new password" busyLabel="Saving…">
        <NewPasswordFields label="New password" value={newPassword} />
      </AuthForm>
    </AuthFrame>
  );
}
