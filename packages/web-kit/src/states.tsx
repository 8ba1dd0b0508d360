/** Loading, empty and error states and the inline form error, the same on every screen. */
import type { ReactNode } from "react";
import { IconAlert } from "./icons.tsx";

export function Loading({ label }: { label: string }) {
  return (
    <output className="state state-loading">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </output>
  );
}

export function Empty({
  title,
  icon,
  children,
}: {
  title: string;
  icon?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <div className="state state-empty">
      {icon ? <div className="state-icon">{icon}</div> : null}
      <p className="state-title">{title}</p>
      {children ? <div className="state-body">{children}</div> : null}
    </div>
  );
}

/** A failed load: what failed (`title`), the API's message and hint, and a retry when it helps. */
export function ErrorState({
  error,
  title,
  onRetry,
}: {
  error: { message: string; hint?: string | undefined };
  title: string;
  onRetry?: (() => void) | undefined;
}) {
  return (
    <div className="state state-error" role="alert">
      <IconAlert />
      <p className="state-title">{title}</p>
      <p className="state-body">
        {error.message}
        {error.hint ? ` ${error.hint}` : ""}
      </p>
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** An inline message under a form or in a dialog. */
export function FormError({ message }: { message: string | null }) {
  if (message === null) return null;
  return (
    <p className="form-error" role="alert">
      {message}
    </p>
  );
}
