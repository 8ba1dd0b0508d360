import assert from "node:assert/strict";
import { test } from "node:test";
import {
  backoffDelay,
  createSyncScheduler,
  type SyncAttempt,
} from "../../src/sync/sync-scheduler.ts";

/** Manual timers: the test decides when the next timer fires. */
function manualTimers() {
  let now = 0;
  const pending: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 1;
  return {
    now: () => now,
    timers: {
      setTimeout: (fn: () => void, ms: number) => {
        const id = nextId++;
        pending.push({ at: now + ms, fn, id });
        return { id } as { id: number; unref?: () => unknown };
      },
      clearTimeout: (handle: never) => {
        const id = (handle as { id: number }).id;
        const index = pending.findIndex((p) => p.id === id);
        if (index >= 0) pending.splice(index, 1);
      },
    },
    /** Fires the earliest timer; returns the delay it had been set for. */
    async fireNext(): Promise<number> {
      pending.sort((a, b) => a.at - b.at);
      const next = pending.shift();
      assert.ok(next, "a timer is pending");
      const delay = next.at - now;
      now = next.at;
      next.fn();
      // Let the attempt's promise settle.
      for (let i = 0; i < 5; i++) await Promise.resolve();
      return delay;
    },
    get pending() {
      return pending.length;
    },
  };
}

test("syncs at start, then every interval while it succeeds", async () => {
  const clock = manualTimers();
  let attempts = 0;
  const scheduler = createSyncScheduler({
    intervalMs: 30_000,
    attempt: async () => {
      attempts++;
      return "ok";
    },
    now: clock.now,
    timers: clock.timers,
  });
  scheduler.start();
  assert.equal(await clock.fireNext(), 0);
  assert.equal(await clock.fireNext(), 30_000);
  assert.equal(await clock.fireNext(), 30_000);
  assert.equal(attempts, 3);
  scheduler.stop();
  assert.equal(clock.pending, 0);
  assert.equal(scheduler.nextAt, null);
});

test("backs off exponentially while the platform is down, then returns to the interval", async () => {
  const clock = manualTimers();
  const outcomes: SyncAttempt[] = ["failed", "failed", "failed", "failed", "ok", "ok"];
  const scheduler = createSyncScheduler({
    intervalMs: 30_000,
    attempt: async () => outcomes.shift() ?? "ok",
    random: () => 1,
    now: clock.now,
    timers: clock.timers,
  });
  scheduler.start();
  const delays: number[] = [];
  for (let i = 0; i < 6; i++) delays.push(await clock.fireNext());
  assert.deepEqual(delays, [0, 1000, 2000, 4000, 8000, 30_000]);
  assert.equal(scheduler.failures, 0);
  scheduler.stop();
});

test("a thrown attempt counts as a failure", async () => {
  const clock = manualTimers();
  const scheduler = createSyncScheduler({
    intervalMs: 10_000,
    attempt: async () => {
      throw new Error("boom");
    },
    random: () => 1,
    now: clock.now,
    timers: clock.timers,
  });
  scheduler.start();
  await clock.fireNext();
  assert.equal(scheduler.failures, 1);
  scheduler.stop();
});

test("the backoff is capped and jittered between half and all of the delay", () => {
  const options = { baseMs: 1000, maxMs: 300_000 };
  assert.equal(backoffDelay(30, { ...options, random: () => 1 }), 300_000);
  assert.equal(backoffDelay(30, { ...options, random: () => 0 }), 150_000);
  assert.equal(backoffDelay(1, { ...options, random: () => 0 }), 500);
});

test("a poke brings the next sync forward", async () => {
  const clock = manualTimers();
  const scheduler = createSyncScheduler({
    intervalMs: 30_000,
    pokeDelayMs: 250,
    attempt: async () => "ok",
    now: clock.now,
    timers: clock.timers,
  });
  scheduler.start();
  await clock.fireNext();
  scheduler.poke();
  assert.equal(clock.pending, 1);
  assert.equal(await clock.fireNext(), 250);
  scheduler.stop();
});
