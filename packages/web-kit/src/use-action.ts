/**
 * A call a button starts ("Save", "Sync now", "Reveal"): busy while it runs, so the button can be
 * disabled, and the readable message of what went wrong when it fails.
 */
import { useCallback, useState } from "react";
import { messageOf } from "./api-error.ts";

export interface Action {
  busy: boolean;
  error: string | null;
  /** For a check of the form before the call: "Type a value first." */
  setError: (error: string | null) => void;
  /** Runs `action`, clearing the last error first; never throws. */
  run: (action: () => Promise<void>) => Promise<void>;
}

/**
 * @example
 * const sync = useAction();
 * <button disabled={sync.busy} onClick={() => sync.run(async () => notify(await syncNow()))}>
 */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (cause) {
      setError(messageOf(cause));
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}
