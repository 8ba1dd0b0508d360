/**
 * Reveal a value on request. The robot records the reveal in the audit log before answering; the
 * value is dropped from the page after 30 seconds, when the user hides it, or when the window is
 * hidden (another tab, minimised).
 */
import { FormError, useAction } from "@heptora/web-kit";
import { useCallback, useEffect, useState } from "react";
import { api, seg } from "../../api/client.ts";
import type { RevealedSecret } from "../../api/types.ts";
import { IconEye, IconEyeOff } from "../../components/icons.tsx";

export const REVEAL_SECONDS = 30;

export function Reveal({ name, onRevealed }: { name: string; onRevealed: () => void }) {
  const [revealed, setRevealed] = useState<{ value: string; until: number } | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const { busy, error, run } = useAction();

  const hide = useCallback(() => setRevealed(null), []);

  useEffect(() => {
    if (revealed === null) return;
    // The deadline is a time, not a count of ticks: throttled timers cannot stretch it.
    const timeout = window.setTimeout(hide, Math.max(0, revealed.until - Date.now()));
    const tick = window.setInterval(() => setNow(Date.now()), 1000);
    const onHidden = () => {
      if (document.visibilityState === "hidden") hide();
    };
    document.addEventListener("visibilitychange", onHidden);
    return () => {
      window.clearTimeout(timeout);
      window.clearInterval(tick);
      document.removeEventListener("visibilitychange", onHidden);
    };
  }, [revealed, hide]);

  const reveal = () =>
    run(async () => {
      const answer = await api.post<RevealedSecret>(`/secrets/${seg(name)}/reveal`);
      const at = Date.now();
      setNow(at);
      setRevealed({ value: answer.value, until: at + REVEAL_SECONDS * 1000 });
      onRevealed();
    });

  return (
    <div className="reveal">
      {revealed === null ? (
        <div className="reveal-row">
          <span className="masked" role="img" aria-label="Hidden value">
            ••••••••••••
          </span>
          <button type="button" className="button" onClick={reveal} disabled={busy}>
            <IconEye />
            {busy ? "Revealing…" : "Reveal"}
          </button>
        </div>
      ) : (
        <div className="reveal-row">
          <output className="revealed mono" aria-label={`Value of ${name}`}>
            {revealed.value}
          </output>
          <button type="button" className="button" onClick={hide}>
            <IconEyeOff />
            Hide
          </button>
        </div>
      )}
      <p className="field-help">
        {revealed === null
          ? "Revealing is recorded in the audit log."
          : `Hidden again in ${Math.max(1, Math.ceil((revealed.until - now) / 1000))} s. This reveal is recorded in the audit log.`}
      </p>
      <FormError message={error} />
    </div>
  );
}
