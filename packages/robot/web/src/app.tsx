/**
 * The Secrets window. First it makes sure this browser has a window session (opened through a
 * one-time link from `heptora ui`); then the robot's sign-in to the platform decides between the
 * sign-in form and the window itself.
 */
import { ErrorState, Loading, NoticeProvider } from "@heptora/web-kit";
import { useCallback, useEffect, useState } from "react";
import { ApiError, onSessionLost, openSession, useResource } from "./api/client.ts";
import { useLiveReload } from "./api/live.ts";
import type { RobotStatus } from "./api/types.ts";
import { Closed, type ClosedReason } from "./pages/closed.tsx";
import { Shell } from "./pages/shell.tsx";
import { SignIn } from "./pages/sign-in.tsx";
import { UnlockPage } from "./pages/unlock-page.tsx";

type Phase =
  | { kind: "starting" }
  | { kind: "closed"; reason: ClosedReason; error?: ApiError }
  | { kind: "open"; idleMinutes: number };

export function App({ arrivedByLink }: { arrivedByLink: boolean }) {
  const [phase, setPhase] = useState<Phase>({ kind: "starting" });

  useEffect(() => {
    let current = true;
    openSession().then(
      ({ idleMinutes }) => {
        if (current) setPhase({ kind: "open", idleMinutes });
      },
      (error: unknown) => {
        if (!current) return;
        if (error instanceof ApiError && error.status === 401) {
          setPhase({ kind: "closed", reason: arrivedByLink ? "link" : reasonOf(error) });
        } else {
          setPhase({
            kind: "closed",
            reason: "error",
            ...(error instanceof ApiError ? { error } : {}),
          });
        }
      },
    );
    return () => {
      current = false;
    };
  }, [arrivedByLink]);

  useEffect(
    () => onSessionLost((error) => setPhase({ kind: "closed", reason: reasonOf(error) })),
    [],
  );

  if (phase.kind === "starting") {
    return (
      <div className="splash">
        <Loading label="Opening the Secrets window…" />
      </div>
    );
  }
  if (phase.kind === "closed") return <Closed reason={phase.reason} error={phase.error} />;
  return (
    <NoticeProvider>
      <Window idleMinutes={phase.idleMinutes} />
    </NoticeProvider>
  );
}

function reasonOf(error: ApiError): ClosedReason {
  return error.code === "session_expired" ? "expired" : "none";
}

/** The robot's status decides: sign-in form, or the window. */
function Window({ idleMinutes }: { idleMinutes: number }) {
  const { resource, reload } = useResource<RobotStatus>("/status");
  const refresh = useCallback(() => reload(), [reload]);
  useLiveReload(refresh);

  if (resource.status === "loading") {
    return (
      <div className="splash">
        <Loading label="Asking the robot…" />
      </div>
    );
  }
  if (resource.status === "error") {
    return (
      <div className="splash">
        <ErrorState error={resource.error} title="The robot did not answer" onRetry={reload} />
      </div>
    );
  }
  const status = resource.data;
  if (status.locked) return <UnlockPage status={status} onUnlocked={refresh} />;
  if (!status.signedIn) return <SignIn status={status} onSignedIn={refresh} />;
  return <Shell status={status} idleMinutes={idleMinutes} onStatusChange={refresh} />;
}
