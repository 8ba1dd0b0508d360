/**
 * When the robot syncs by itself: every `intervalMs` after a sync that succeeded (or had nothing
 * to do because the robot is signed out), and after a failure with exponential backoff and
 * jitter (1 s, 2 s, 4 s ... up to max(interval, 5 min)), so a platform that comes back is
 * noticed quickly and one that stays down is not hammered. `poke()` asks for a sync soon (after a
 * value changed, to report it). Timers are unref'd: they never keep a process alive on their own.
 */

export type SyncAttempt = "ok" | "skipped" | "failed";

export interface SyncSchedulerOptions {
  attempt: () => Promise<SyncAttempt>;
  intervalMs: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Delay of a poke, so a burst of changes makes one sync. */
  pokeDelayMs?: number;
  random?: () => number;
  now?: () => number;
  timers?: {
    setTimeout: (fn: () => void, ms: number) => { unref?: () => unknown };
    clearTimeout: (handle: never) => void;
  };
}

export interface SyncScheduler {
  start(): void;
  poke(): void;
  stop(): void;
  /** When the next attempt is due (epoch ms), or null when stopped. */
  readonly nextAt: number | null;
  readonly failures: number;
}

export function backoffDelay(
  failures: number,
  options: { baseMs: number; maxMs: number; random: () => number },
): number {
  const exponential = options.baseMs * 2 ** Math.min(Math.max(failures - 1, 0), 30);
  const capped = Math.min(options.maxMs, exponential);
  // Jitter between half and all of the delay, so robots that lost the platform together do not
  // come back together.
  return Math.round(capped * (0.5 + options.random() / 2));
}

export function createSyncScheduler(options: SyncSchedulerOptions): SyncScheduler {
  const baseMs = options.baseBackoffMs ?? 1000;
  const maxMs = Math.max(options.intervalMs, options.maxBackoffMs ?? 300_000);
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const timers = options.timers ?? {
    setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
    clearTimeout: (handle: never) => clearTimeout(handle),
  };
  let handle: unknown;
  let nextAt: number | null = null;
  let failures = 0;
  let running = false;
  let stopped = true;
  let pokedWhileRunning = false;

  function schedule(delayMs: number): void {
    if (stopped) return;
    if (handle !== undefined) timers.clearTimeout(handle as never);
    nextAt = now() + delayMs;
    const timer = timers.setTimeout(() => void tick(), delayMs);
    timer.unref?.();
    handle = timer;
  }

  async function tick(): Promise<void> {
    handle = undefined;
    if (stopped) return;
    if (running) {
      pokedWhileRunning = true;
      return;
    }
    running = true;
    let outcome: SyncAttempt;
    try {
      outcome = await options.attempt();
    } catch {
      outcome = "failed";
    }
    running = false;
    if (outcome === "failed") {
      failures++;
      schedule(backoffDelay(failures, { baseMs, maxMs, random }));
    } else {
      failures = 0;
      schedule(pokedWhileRunning ? (options.pokeDelayMs ?? 250) : options.intervalMs);
    }
    pokedWhileRunning = false;
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule(0);
    },
    poke() {
      if (stopped) return;
      if (running) pokedWhileRunning = true;
      else schedule(options.pokeDelayMs ?? 250);
    },
    stop() {
      stopped = true;
      nextAt = null;
      if (handle !== undefined) timers.clearTimeout(handle as never);
      handle = undefined;
    },
    get nextAt() {
      return nextAt;
    },
    get failures() {
      return failures;
    },
  };
}
