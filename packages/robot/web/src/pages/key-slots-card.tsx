/**
 * Settings → Key slots: the vault's key slots (docs/adr/0078). A person signed in can add a
 * passphrase (typed twice) or a recovery key (shown once here, with a copy button, never again)
 * and remove the key file once something else protects the key. The robot refuses to remove the
 * last slot, as the CLI does.
 */
import { Badge, ConfirmDialog, ErrorState, exactTime, Loading, useNotify } from "@heptora/web-kit";
import { type FormEvent, useState } from "react";
import { ApiError, api, useResource } from "../api/client.ts";
import { SLOT_KIND_LABELS, type SlotAdded, type VaultStatus } from "../api/vault-types.ts";
import { SecretInput } from "../components/field.tsx";

export function KeySlotsCard() {
  const { resource, reload } = useResource<VaultStatus>("/vault/status");
  const notify = useNotify();
  const [adding, setAdding] = useState(false);
  const [passphrase, setPassphrase] = useState("");
  const [again, setAgain] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [recoveryKey, setRecoveryKey] = useState<string | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);

  async function addPassphrase(event: FormEvent): Promise<void> {
    event.preventDefault();
    if (passphrase !== again) {
      setProblem("The two passphrases differ.");
      return;
    }
    try {
      await api.post<SlotAdded>("/vault/slots", { kind: "passphrase", passphrase });
      setPassphrase("");
      setAgain("");
      setAdding(false);
      setProblem(null);
      notify("A passphrase now opens the vault.", "ok");
      reload();
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : "The passphrase was not added.");
    }
  }

  async function addRecovery(): Promise<void> {
    try {
      const added = await api.post<SlotAdded>("/vault/slots", { kind: "recovery" });
      setRecoveryKey(added.recoveryKey ?? null);
      reload();
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : "The recovery key was not added.");
    }
  }

  async function remove(id: string): Promise<void> {
    await api.delete(`/vault/slots/${encodeURIComponent(id)}`);
    notify("The key file slot was removed and the key file deleted.", "ok");
    reload();
  }

  return (
    <section className="card" aria-labelledby="settings-keys">
      <h2 id="settings-keys" className="card-title">
        Key slots
      </h2>
      {resource.status === "loading" ? <Loading label="Loading…" /> : null}
      {resource.status === "error" ? (
        <ErrorState
          error={resource.error}
          title="The key slots could not be loaded"
          onRetry={reload}
        />
      ) : null}
      {resource.status === "ready" ? (
        <>
          <p className="small muted">
            Any one of these opens the vault on this machine.{" "}
            {resource.data.autoLockMinutes === null
              ? "Auto-lock is off."
              : `It locks itself after ${resource.data.autoLockMinutes} minute(s) without use.`}
          </p>
          <ul className="people-list" aria-label="Key slots">
            {resource.data.slots.map((slot) => (
              <li key={slot.id}>
                <span>
                  <Badge tone="neutral">{SLOT_KIND_LABELS[slot.kind] ?? slot.kind}</Badge>{" "}
                  <span className="mono small">{slot.id}</span>{" "}
                  <span className="small muted">added {exactTime(slot.createdAt)}</span>
                </span>
                {slot.kind === "keyfile" && resource.data.slots.length > 1 ? (
                  <button type="button" className="button" onClick={() => setRemoving(slot.id)}>
                    Remove the key file…
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
          {recoveryKey !== null ? (
            <div className="warning" role="note" aria-label="New recovery key">
              <div>
                <p className="warning-title">Write this recovery key down now</p>
                <p className="mono recovery-key">{recoveryKey}</p>
                <p className="small">
                  It is shown only once and opens the vault when every other slot is lost. Keep it
                  away from this machine.
                </p>
                <button
                  type="button"
                  className="button"
                  onClick={() => {
                    void navigator.clipboard?.writeText(recoveryKey);
                    notify("Recovery key copied.", "ok");
                  }}
                >
                  Copy
                </button>{" "}
                <button type="button" className="button" onClick={() => setRecoveryKey(null)}>
                  I wrote it down
                </button>
              </div>
            </div>
          ) : null}
          {adding ? (
            <form
              className="form"
              onSubmit={addPassphrase}
              noValidate
              aria-label="Add a passphrase"
            >
              <SecretInput
                label="New passphrase"
                value={passphrase}
                onChange={setPassphrase}
                autoFocus
              />
              <SecretInput label="Passphrase again" value={again} onChange={setAgain} />
              {problem ? (
                <p className="problem-title" role="alert">
                  {problem}
                </p>
              ) : null}
              <div className="key-slot-actions">
                <button type="submit" className="button button-primary">
                  Add the passphrase
                </button>{" "}
                <button type="button" className="button" onClick={() => setAdding(false)}>
                  Cancel
                </button>
              </div>
            </form>
          ) : (
            <div className="key-slot-actions">
              {problem ? (
                <p className="problem-title" role="alert">
                  {problem}
                </p>
              ) : null}
              <button type="button" className="button" onClick={() => setAdding(true)}>
                Add a passphrase…
              </button>{" "}
              <button type="button" className="button" onClick={() => void addRecovery()}>
                Add a recovery key
              </button>
            </div>
          )}
        </>
      ) : null}
      {removing !== null ? (
        <ConfirmDialog
          title="Remove the key file?"
          confirmLabel="Remove the key file"
          danger
          onConfirm={() => remove(removing)}
          onClose={() => setRemoving(null)}
        >
          <p>
            The key file is deleted. From the next start the robot opens with its other slots: with
            only a passphrase or recovery key, it starts locked until someone unlocks it.
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
