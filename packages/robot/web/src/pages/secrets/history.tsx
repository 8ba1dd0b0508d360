/** Earlier versions of a value, newest first; restoring one makes it the current value again. */
import {
  Badge,
  ConfirmDialog,
  ErrorState,
  exactTime,
  Loading,
  timeAgo,
  useNotify,
} from "@heptora/web-kit";
import { useEffect, useState } from "react";
import { api, seg, useResource } from "../../api/client.ts";
import type { SecretHistory } from "../../api/types.ts";

export function History({
  name,
  version,
  onRestored,
}: {
  name: string;
  /** Bumped by the parent after a change, to reload. */
  version: number;
  onRestored: () => void;
}) {
  const notify = useNotify();
  const { resource, reload } = useResource<SecretHistory>(`/secrets/${seg(name)}/history`);
  const [restoring, setRestoring] = useState<number | null>(null);

  // `version` is the trigger: the parent bumps it after a change.
  useEffect(() => reload(), [version, reload]);

  return (
    <div className="detail-block">
      <h3>History</h3>
      {resource.status === "loading" ? <Loading label="Loading the history…" /> : null}
      {resource.status === "error" ? (
        <ErrorState
          error={resource.error}
          title="The history could not be loaded"
          onRetry={reload}
        />
      ) : null}
      {resource.status === "ready" && resource.data.versions.length === 0 ? (
        <p className="muted">No versions yet: the first value you save becomes version 1.</p>
      ) : null}
      {resource.status === "ready" && resource.data.versions.length > 0 ? (
        <ol className="versions">
          {[...resource.data.versions]
            .sort((a, b) => b.version - a.version)
            .map((v) => (
              <li key={v.version} className="version">
                <span className="version-number">Version {v.version}</span>
                <time className="version-time" title={exactTime(v.createdAt)}>
                  {timeAgo(v.createdAt)}
                </time>
                {v.current ? (
                  <Badge tone="ok">Current</Badge>
                ) : (
                  <button
                    type="button"
                    className="button button-small"
                    onClick={() => setRestoring(v.version)}
                  >
                    Restore<span className="visually-hidden"> version {v.version}</span>
                  </button>
                )}
              </li>
            ))}
        </ol>
      ) : null}
      {restoring !== null ? (
        <ConfirmDialog
          title={`Restore version ${restoring} of ${name}?`}
          confirmLabel="Restore"
          onConfirm={async () => {
            await api.post(`/secrets/${seg(name)}/restore`, { version: restoring });
            notify(`Version ${restoring} of ${name} is the current value again.`);
            onRestored();
          }}
          onClose={() => setRestoring(null)}
        >
          <p>
            That value becomes the current one, as a new version. Every other version stays in the
            history, and the restore is recorded in the audit log.
          </p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
