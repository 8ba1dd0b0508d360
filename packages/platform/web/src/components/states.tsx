/**
 * The admin app's error state: "insufficient permissions" for a 403 and "Not found" for a 404,
 * on top of the kit's loading, empty and error states.
 */
import { ErrorState as KitErrorState } from "@heptora/web-kit";
import type { ApiError } from "../api/client.ts";
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
