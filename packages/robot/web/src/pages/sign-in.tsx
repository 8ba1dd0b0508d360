/**
 * The robot's sign-in to the platform, with the web app's email and password. When it fails the
 * form says why and what to try, per cause: wrong credentials, deactivated account, platform
 * unreachable, throttled. It says what works while signed out: automations cannot read secrets.
 */
import { Field, IconAlert, Logo, useNotify } from "@heptora/web-kit";
import { type FormEvent, type ReactNode, useState } from "react";
import { ApiError, api } from "../api/client.ts";
import type { LoginResponse, RobotStatus } from "../api/types.ts";
import { SecretInput } from "../components/field.tsx";
import { hostOf } from "../lib/format.ts";

interface Problem {
  title: string;
  tips: ReactNode[];
}

export function troubleshoot(error: unknown, platformUrl: string): Problem {
  if (!(error instanceof ApiError)) {
    return { title: "Something went wrong.", tips: ["Try again in a moment."] };
  }
  switch (error.code) {
    case "invalid_credentials":
      return {
        title: "The email or password is not correct.",
        tips: [
          "Use the email and password you sign in to the Heptora web app with.",
          "Check Caps Lock and your keyboard layout.",
          "Forgot your password? Use “Forgot your password?” on the web app's sign-in page.",
        ],
      };
    case "platform_unreachable":
      return {
        title: `The platform at ${hostOf(platformUrl)} cannot be reached.`,
        tips: [
          <>
            Check the platform URL: this robot uses <code>{platformUrl}</code>. To change it, start
            the robot with <code className="nowrap">--platform URL</code>.
          </>,
          "Check your network connection, VPN or proxy, and that the platform is running.",
          "Until this robot is signed in, automations cannot read their secrets; the values set here stay encrypted on this machine.",
        ],
      };
    case "account_deactivated":
      return {
        title: error.message,
        tips: [
          "Ask an administrator of your organisation to reactivate your account on the web app.",
        ],
      };
    case "too_many_attempts": {
      const wait = error.retryAfterSeconds;
      return {
        title: "Too many sign-in attempts.",
        tips: [
          wait === undefined
            ? "Wait a few minutes, then try again."
            : `Wait ${wait} seconds, then try again.`,
          "If you forgot your password, reset it from the web app's sign-in page.",
        ],
      };
    }
    case "validation_failed":
      return { title: error.message, tips: ["Check the email address and the password."] };
    default:
      return { title: error.message, tips: error.hint ? [error.hint] : ["Try again."] };
  }
}

export function SignIn({ status, onSignedIn }: { status: RobotStatus; onSignedIn: () => void }) {
  const notify = useNotify();
  const [email, setEmail] = useState(status.email ?? "");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    if (email.trim() === "" || password === "") {
      setProblem({ title: "Enter your email and password.", tips: [] });
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const answer = await api.post<LoginResponse>("/login", { email: email.trim(), password });
      setPassword("");
      notify(
        answer.syncError === null
          ? `Signed in as ${answer.email}.`
          : `Signed in as ${answer.email}. The first sync failed: ${answer.syncError}`,
        answer.syncError === null ? "ok" : "info",
      );
      onSignedIn();
    } catch (error) {
      setProblem(troubleshoot(error, status.platformUrl));
      setBusy(false);
    }
  }

  return (
    <main className="auth-page">
      <div className="auth-card">
        <Logo size={30} />
        <h1 className="auth-title">Sign in this robot</h1>
        <p className="auth-lead">
          Use the email and password of the Heptora web app. The robot then receives the processes
          assigned to you; their values stay on this machine.
        </p>
        {status.signedOutReason ? (
          <div className="warning" role="note">
            <p>{status.signedOutReason}</p>
          </div>
        ) : null}
        <p className="auth-lead">
          While the robot is signed out, automations cannot read their secrets. The values set on
          this machine stay encrypted here and are used again once you sign in.
        </p>
        <p className="platform-line">
          Platform <span className="mono">{status.platformUrl}</span>
        </p>
        <form className="form" onSubmit={submit} noValidate>
          <Field
            label="Email"
            type="email"
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            maxLength={254}
            required
          />
          <SecretInput
            label="Password"
            value={password}
            onChange={setPassword}
            autoComplete="current-password"
          />
          {problem ? (
            <div className="problem" role="alert">
              <IconAlert />
              <div>
                <p className="problem-title">{problem.title}</p>
                {problem.tips.length > 0 ? (
                  <ul className="problem-tips">
                    {problem.tips.map((tip, i) => (
                      // A fixed list for this problem, never reordered: the index is a stable key.
                      <li key={i}>{tip}</li>
                    ))}
                  </ul>
                ) : null}
              </div>
            </div>
          ) : null}
          <button type="submit" className="button button-primary button-block" disabled={busy}>
            {busy ? "Signing in…" : "Sign in"}
          </button>
        </form>
      </div>
      <p className="auth-foot">Robot {status.robotName} · values never leave this machine</p>
    </main>
  );
}
