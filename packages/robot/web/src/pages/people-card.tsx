/**
 * Settings → People with values on this machine: whose values the robot holds (emails only). Someone
 * at the machine can forget another person's stranded values, after confirmation; they are never
 * shown, and the signed-in person's values cannot be forgotten here (unset them one by one).
 */
import { Badge, ConfirmDialog, ErrorState, Loading, useNotify } from "@heptora/web-kit";
import { useState } from "react";
import { api, useResource } from "../api/client.ts";
import { useLiveReload } from "../api/live.ts";
import type { ForgetPersonResponse, PeopleList } from "../api/types.ts";

export function PeopleCard() {
  const { resource, reload } = useResource<PeopleList>("/people");
  useLiveReload(reload, ["values", "session"]);
  const notify = useNotify();
  const [forgetting, setForgetting] = useState<string | null>(null);

  async function forget(email: string): Promise<void> {
    const answer = await api.post<ForgetPersonResponse>("/people/forget", { email });
    notify(`${answer.email}'s values were removed from this machine (${answer.removed}).`, "ok");
    reload();
  }

  return (
    <section className="card" aria-labelledby="settings-people">
      <h2 id="settings-people" className="card-title">
        People with values on this machine
      </h2>
      {resource.status === "loading" ? <Loading label="Loading…" /> : null}
      {resource.status === "error" ? (
        <ErrorState error={resource.error} title="The list could not be loaded" onRetry={reload} />
      ) : null}
      {resource.status === "ready" ? (
        resource.data.people.length === 0 ? (
          <p className="muted">No one has set a value on this machine yet.</p>
        ) : (
          <ul className="people-list">
            {resource.data.people.map((person) => (
              <li key={person.email}>
                <span className="mono">{person.email}</span>
                {person.signedIn ? (
                  <Badge tone="ok">signed in</Badge>
                ) : (
                  <button
                    type="button"
                    className="button"
                    onClick={() => setForgetting(person.email)}
                  >
                    Forget their values…
                  </button>
                )}
              </li>
            ))}
          </ul>
        )
      ) : null}
      <p className="small muted">
        Each person's values are sealed to them: only they see and use them, when they are signed in
        here.
      </p>
      {forgetting !== null ? (
        <ConfirmDialog
          title={`Forget ${forgetting}'s values on this machine?`}
          confirmLabel="Forget values"
          danger
          onConfirm={() => forget(forgetting)}
          onClose={() => setForgetting(null)}
        >
          <p>
            Their values and earlier versions are removed from this robot for good. Nothing is
            shown; their automations here stop finding the values until they set them again.
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
