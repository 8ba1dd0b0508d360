/** The centred card around the signed-out screens. */
import { Logo } from "@heptora/web-kit";
import { type ReactNode, useEffect } from "react";

export function AuthFrame({
  title,
  intro,
  children,
}: {
  title: string;
  intro?: ReactNode;
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
      </div>
      <p className="auth-footer">Secrets stay on the machines that run your robots.</p>
    </main>
  );
}
