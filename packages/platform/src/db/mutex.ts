/** A promise queue: one holder at a time, FIFO. */
export interface Mutex {
  lock<T>(fn: () => Promise<T>): Promise<T>;
  readonly locked: boolean;
}

export function createMutex(): Mutex {
  let tail: Promise<unknown> = Promise.resolve();
  let holders = 0;
  return {
    get locked() {
      return holders > 0;
    },
    lock<T>(fn: () => Promise<T>): Promise<T> {
      holders++;
      const run = tail.then(fn);
      tail = run.then(
        () => holders--,
        () => holders--,
      );
      return run;
    },
  };
}
