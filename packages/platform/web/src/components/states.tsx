/**
 * The admin app's error state: "insufficient permissions" for a 403 and "Not found" for a 404,
 * on top of the kit's loading, empty and error states; and the gate of the admins' pages.
 */
import { ErrorState as KitErrorState, PageHeader } from "@heptora/web-kit";
import type { ReactNode } from "react";
import type { ApiError } from "../api/client.ts";
import { useUser } from "../lib/session.tsx";
import { IconShield } from "./icons.tsx";

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
  const notFound = error.status === 404;
  return (
    <KitErrorState
      error={error}
      title={notFound ? "Not found" : "This page could not be loaded"}
      onRetry={notFound ? undefined : onRetry}
    />
  );
}

/** A page for admins only: anyone else sees its title and why they cannot see the rest. */
export function AdminOnly({
  title,
  what,
  children,
}: {
  title: string;
  /** What the page lets an admin do: "manage people". */
  what: string;
  children: ReactNode;
}) {
  if (useUser().role === "admin") return children;
  return (
    <>
      <PageHeader title={title} />
      <PermissionDenied what={what} />
    </>
  );
}
