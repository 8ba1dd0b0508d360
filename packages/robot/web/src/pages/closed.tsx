/**
 * What a browser sees without a window session: a used or expired one-time link, a window that
 * closed itself after inactivity, or a bare address. The way in is the same: `heptora ui`.
 */
import { IconLock, Logo } from "@heptora/web-kit";
import type { ApiError } from "../api/client.ts";
import { IconTerminal } from "../components/icons.tsx";

export type ClosedReason = "link" | "expired" | "none" | "error";

const TITLES: Record<ClosedReason, string> = {
  link: "This sign-in link can't be used",
  expired: "This window closed itself",
  none: "Open the Secrets window from your robot",
  error: "The Secrets window could not start",
};

export function Closed({ reason, error }: { reason: ClosedReason; error?: ApiError | undefined }) {
  return (
    <main className="auth-page">
      <div className="auth-card">
        <Logo size={30} />
        <div className="state-icon closed-icon" aria-hidden="true">
          <IconLock />
        </div>
        <h1 className="auth-title">{TITLES[reason]}</h1>
        {reason === "link" ? (
          <p className="auth-lead">
            Links from <code>heptora ui</code> sign in one browser, once, within 2 minutes. This one
            was already used or is too old.
          </p>
        ) : null}
        {reason === "expired" ? (
          <p className="auth-lead">
            {error?.message ?? "It was inactive for too long."} Nothing was lost: your values stay
            encrypted on this machine.
          </p>
        ) : null}
        {reason === "none" ? (
          <p className="auth-lead">
            For your security this window only opens through a one-time link that the robot gives
            you.
          </p>
        ) : null}
        {reason === "error" ? (
          <p className="auth-lead">
            {error ? `${error.message}${error.hint ? ` ${error.hint}` : ""}` : "Try again."}
          </p>
        ) : null}
        <div className="command-box">
          <IconTerminal />
          <div>
            <p className="command-label">In a terminal on this machine, run</p>
            <code className="command">heptora ui</code>
          </div>
        </div>
        <p className="muted small">
          It prints a new link and opens it in your browser. The robot must be running (
          <code>heptora start</code>).
        </p>
      </div>
    </main>
  );
}
