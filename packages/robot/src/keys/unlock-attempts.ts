/**
 * Wrong passphrases and recovery keys, per robot, kept in `<data dir>/unlock-attempts.json`
 * (0600) so a restart does not reset the count. The first 3 tries are free; after that each try
 * waits 5 s, then 10 s, 20 s... up to 15 minutes after the last wrong one. A try refused for
 * waiting is not a try: it is not counted and costs no Argon2id. The file holds times and slot
 * kinds, never what was typed. The failures are written to the audit chain at the next unlock
 * (the chain's key is the data key, which a locked robot does not have).
 *
 * @example
 * const attempts = createUnlockAttempts(join(dataDir, "unlock-attempts.json"));
 * attempts.check(Date.now()); // throws too_many_attempts while a wait is due
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { HeptoraError } from "@heptora/protocol";

export const FREE_TRIES = 3;
const FIRST_WAIT_MS = 5_000;
const LONGEST_WAIT_MS = 15 * 60_000;
const KEPT = 100;

export interface FailedUnlock {
  at: string;
  kind: "passphrase" | "recovery";
}

export function waitAfter(failures: number): number {
  if (failures < FREE_TRIES) return 0;
  return Math.min(FIRST_WAIT_MS * 2 ** (failures - FREE_TRIES), LONGEST_WAIT_MS);
}

export function createUnlockAttempts(path: string) {
  let failures = load(path);

  function save(): void {
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ failures })}\n`, { mode: 0o600 });
    renameSync(temporary, path);
  }

  return {
    /** Seconds until the next try is allowed (0: now). */
    retryAfterMs(now: number): number {
      const last = failures.at(-1);
      if (last === undefined) return 0;
      return Math.max(0, Date.parse(last.at) + waitAfter(failures.length) - now);
    },
    check(now: number): void {
      const wait = this.retryAfterMs(now);
      if (wait <= 0) return;
      const seconds = Math.ceil(wait / 1000);
      throw new HeptoraError("too_many_attempts", {
        message: `Too many wrong passphrases or recovery keys: wait ${seconds} second${seconds === 1 ? "" : "s"} before the next try.`,
        hint: "Each further wrong try doubles the wait (up to 15 minutes).",
      });
    },
    fail(now: number, kind: FailedUnlock["kind"]): number {
      failures = [...failures, { at: new Date(now).toISOString(), kind }].slice(-KEPT);
      save();
      return failures.length;
    },
    get count(): number {
      return failures.length;
    },
    /** The failures since the last unlock (for the audit chain), forgotten from now on. */
    reset(): FailedUnlock[] {
      const past = failures;
      failures = [];
      rmSync(path, { force: true });
      return past;
    },
  };
}

export type UnlockAttempts = ReturnType<typeof createUnlockAttempts>;

function load(path: string): FailedUnlock[] {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as { failures?: unknown };
    if (!Array.isArray(parsed.failures)) return [];
    return parsed.failures
      .filter(
        (f): f is FailedUnlock =>
          typeof f === "object" &&
          f !== null &&
          typeof (f as FailedUnlock).at === "string" &&
          !Number.isNaN(Date.parse((f as FailedUnlock).at)) &&
          ((f as FailedUnlock).kind === "passphrase" || (f as FailedUnlock).kind === "recovery"),
      )
      .slice(-KEPT);
  } catch {
    // No file (no failures), or a damaged one: start counting again, safely from zero tries.
    return [];
  }
}
