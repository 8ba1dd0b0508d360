/** Waits for a condition without sleeping blindly: re-checks on each turn of the event loop. */
import { setImmediate as nextTurn } from "node:timers/promises";

export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await nextTurn();
  }
}
