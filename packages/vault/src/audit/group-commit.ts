/**
 * Group commit: callers submit items and get a promise; every item submitted before the batch
 * runs (the same turn of the event loop, and everything that arrived while the previous batch
 * was being written) is handed to `flush` together, i.e. one transaction and one fsync for many
 * callers. A promise resolves only after `flush` returned, i.e. after COMMIT.
 *
 * The batching needs no timer: the database calls are synchronous, so while one batch commits the
 * next callers queue up in the event loop and are picked up as the next batch.
 *
 * @example
 * const group = createGroupCommit((items: string[]) => writeAll(items));
 * await Promise.all([group.submit("a"), group.submit("b")]); // one flush(["a", "b"])
 */
/**
 * A flush result that fails one caller only (e.g. one value that does not authenticate), while
 * the rest of the batch is committed and resolved.
 */
export class ItemFailure {
  readonly error: unknown;
  constructor(error: unknown) {
    this.error = error;
  }
}

export interface GroupCommit<I, R> {
  submit(item: I): Promise<R>;
  /** Writes whatever is queued now, synchronously (used by close()). */
  drain(): void;
  /** Items waiting for the next batch. */
  readonly pending: number;
  /** Batches flushed so far (for tests and the benchmark). */
  readonly batches: number;
}

interface Waiting<I, R> {
  item: I;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export function createGroupCommit<I, R>(
  flush: (items: I[]) => (R | ItemFailure)[],
  options: { maxBatch?: number; schedule?: (run: () => void) => void } = {},
): GroupCommit<I, R> {
  const maxBatch = options.maxBatch ?? 1000;
  const schedule = options.schedule ?? ((run: () => void) => void setImmediate(run));
  let queue: Waiting<I, R>[] = [];
  let scheduled = false;
  let batches = 0;

  const runBatch = (batch: Waiting<I, R>[]): void => {
    let results: (R | ItemFailure)[];
    try {
      results = flush(batch.map((w) => w.item));
      batches++;
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
      return;
    }
    batch.forEach((waiting, i) => {
      const result = results[i];
      if (result instanceof ItemFailure) waiting.reject(result.error);
      else waiting.resolve(result as R);
    });
  };

  const drain = (): void => {
    scheduled = false;
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      runBatch(batch);
    }
  };

  return {
    submit(item: I): Promise<R> {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          schedule(drain);
        }
      });
    },
    drain,
    get pending() {
      return queue.length;
    },
    get batches() {
      return batches;
    },
  };
}
