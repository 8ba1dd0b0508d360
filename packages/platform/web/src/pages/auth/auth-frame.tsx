/**
 * The centred card around the signed-out screens, and the parts each of them repeats: a notice,
 * a form with its error line and busy submit button, and the links under the card's content.
 */
import { FormError, Logo } from "@heptora/web-kit";
import { type FormEvent, type ReactNode, useEffect, useState } from "react";
import { messageOf } from "../../api/client.ts";

export function AuthFrame({
  title,
  intro,
  links,
  children,
}: {
  title: string;
  intro?: ReactNode;
  /** Links to the other signed-out screens ("Back to sign in"), under the content. */
  links?: ReactNode;
  children: ReactNode;
}) {
  useEffect(() => {
    document.title = `${title} · Heptora`;
  }, [title]);
  return (
    <main className="auth">
      <div className="auth-card">
        <div className="auth-logo">
          <Logo />
        </div>
        <h1>{title}</h1>
        {intro ? <div className="auth-intro">{intro}</div> : null}
        {children}
        {links ? <p className="auth-links">{links}</p> : null}
      </div>
      <p className="auth-footer">Secrets stay on the machines that run your robots.</p>
    </main>
  );
}

/** A line of news on a signed-out screen ("we have sent it a link"), read out when it appears. */
export function AuthNotice({ children }: { children: ReactNode }) {
  return <output className="auth-notice">{children}</output>;
}

/**
 * The submit of a signed-out form: `check` returns what is missing (or null), then `action` runs
 * with the button busy, and a failure shows `failed(cause)` (the API's message by default). The
 * button stays busy after a success: the screen moves on (another view, or the signed-in app).
 */
export function useAuthSubmit({
  check,
  action,
  failed = messageOf,
}: {
  check: () => string | null;
  action: () => Promise<void>;
  failed?: (cause: unknown) => string;
}): { busy: boolean; error: string | null; submit: (event: FormEvent) => Promise<void> } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    const missing = check();
    if (missing !== null) return setError(missing);
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (cause) {
      setError(failed(cause));
      setBusy(false);
    }
  }

  return { busy, error, submit };
}

/** The form of a signed-out screen: its fields, the error line, one full-width submit button. */
export function AuthForm({
  submit,
  busy,
  error,
  label,
  busyLabel,
  children,
}: {
  submit: (event: FormEvent) => Promise<void>;
  busy: boolean;
  error: string | null;
  label: string;
  busyLabel: string;
  children: ReactNode;
}) {
  return (
    <form className="form" onSubmit={submit} noValidate>
      {children}
      <FormError message={error} />
      <button type="submit" className="button button-primary button-block" disabled={busy}>
        {busy ? busyLabel : label}
      </button>
    </form>
  );
}
