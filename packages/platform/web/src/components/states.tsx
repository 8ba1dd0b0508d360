/** Loading, empty, error and "insufficient permissions" states, the same on every screen. */
import type { ReactNode } from "react";
import type { ApiError } from "../api/client.ts";
import { IconAlert, IconShield } from "./icons.tsx";

export function Loading({ label }: { label: string }) {
  return (
    <output className="state state-loading">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </output>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {children ? <div className="state-body">{children}</div> : null}
    </div>
  );
}

export function PermissionDenied({ what }: { what: string }) {
  return (
    <div className="state state-denied" role="alert">
      <IconShield />
      <p className="state-title">Insufficient permissions</p>
      <p className="state-body">
        Your account cannot {what}. Ask an administrator of your organisation if you need access.
      </p>
    </div>
  );
}

export function ErrorState({
  error,
  what,
  onRetry,
}: {
  error: ApiError;
  what: string;
  onRetry?: () => void;
}) {
  if (error.isPermissionDenied) return <PermissionDenied what={what} />;
  return (
    <div className="state state-error" role="alert">
      <IconAlert />
      <p className="state-title">
        {error.status === 404 ? "Not found" : "This page could not be loaded"}
      </p>
      <p className="state-body">
        {error.message}
        {error.hint ? ` ${error.hint}` : ""}
      </p>
      {onRetry && error.status !== 404 ? (
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
