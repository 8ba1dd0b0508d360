/**
 * The robot is locked (docs/adr/0078): only a passphrase or a recovery key opens its vault. The
 * page asks for one; wrong tries are counted by the robot, which makes the next one wait.
 */
import { IconAlert, Logo } from "@heptora/web-kit";
import { type FormEvent, useState } from "react";
import { ApiError, api } from "../api/client.ts";
import type { RobotStatus } from "../api/types.ts";
import { SecretInput } from "../components/field.tsx";

export function UnlockPage({
  status,
  onUnlocked,
}: {
  status: RobotStatus;
  onUnlocked: () => void;
}) {
  const [mode, setMode] = useState<"passphrase" | "recovery">("passphrase");
  const [secret, setSecret] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ title: string; hint?: string } | null>(null);

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    if (secret === "") {
      setProblem({
        title: mode === "passphrase" ? "Enter the passphrase." : "Enter the recovery key.",
      });
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await api.post(
        "/vault/unlock",
        mode === "passphrase" ? { passphrase: secret } : { recoveryKey: secret },
      );
      setSecret("");
      onUnlocked();
    } catch (error) {
      setProblem(
        error instanceof ApiError
          ? { title: error.message, ...(error.hint ? { hint: error.hint } : {}) }
          : { title: "Something went wrong. Try again." },
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="auth-page">
      <div className="auth-card">
        <Logo size={30} />
        <h1 className="auth-title">Unlock this robot</h1>
        <p className="auth-lead">
          The robot's vault is locked: automations cannot read their secrets until it is unlocked
          with its passphrase, or with its recovery key if the passphrase is lost.
        </p>
        <form className="form" onSubmit={submit} noValidate>
          <div className="unlock-modes" role="radiogroup" aria-label="Unlock with">
            {(["passphrase", "recovery"] as const).map((m) => (
              <label key={m}>
                <input
                  type="radio"
                  name="unlock-mode"
                  checked={mode === m}
                  onChange={() => {
                    setMode(m);
                    setSecret("");
                    setProblem(null);
                  }}
                />{" "}
                {m === "passphrase" ? "Use the passphrase" : "Use the recovery key"}
              </label>
            ))}
          </div>
          <SecretInput
            label={mode === "passphrase" ? "Passphrase" : "Recovery key"}
            value={secret}
            onChange={setSecret}
            autoComplete="off"
            autoFocus
            {...(mode === "recovery"
              ? {
                  help: "8 groups of 7 letters and digits, as you wrote it down; case and dashes do not matter.",
                }
              : {})}
          />
          {problem ? (
            <div className="problem" role="alert">
              <IconAlert />
              <div>
                <p className="problem-title">{problem.title}</p>
                {problem.hint ? <p>{problem.hint}</p> : null}
              </div>
            </div>
          ) : null}
          <button type="submit" className="button button-primary button-block" disabled={busy}>
            {busy ? "Unlocking…" : "Unlock"}
          </button>
        </form>
      </div>
      <p className="auth-foot">Robot {status.robotName} · or from a terminal: heptora unlock</p>
    </main>
  );
}
