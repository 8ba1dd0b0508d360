/**
 * The masker as a Transform stream, for piping a child's stdout/stderr (backpressure included).
 * Each value is masked with all its disguises (runner/disguises.ts). Held-back bytes never wait
 * longer than `holdMs` (50 ms): then the masker decides them (runner/masker.ts `flush`), so a
 * prompt or a progress line without a newline shows up at once.
 */
import { Transform } from "node:stream";
import { disguisesOf } from "./disguises.ts";
import { createMasker } from "./masker.ts";

/** The longest a byte of output waits in the masker. */
export const HOLD_MS = 50;

export interface MaskingTransform extends Transform {
  /** Masks these values (and their disguises) from now on: a value set during the run. */
  learn(values: Iterable<string>): void;
}

/** The last list of values expanded, by its values: stdout and stderr of a run share it. */
let last: { key: string; patterns: Buffer[] } | undefined;

/** Every value with all its disguises, as byte patterns for the masker. */
export function patternsOf(values: Iterable<string>): Buffer[] {
  const list = [...values];
  const key = list.map((value) => `${value.length}:${value}`).join("");
  if (last?.key === key) return last.patterns;
  const patterns: Buffer[] = [];
  for (const value of list) if (value.length > 0) patterns.push(...disguisesOf(value));
  last = { key, patterns };
  return patterns;
}

export function createMaskingTransform(
  values: Iterable<string>,
  options: { holdMs?: number } = {},
): MaskingTransform {
  const holdMs = options.holdMs ?? HOLD_MS;
  const masker = createMasker(patternsOf(values));
  let timer: NodeJS.Timeout | undefined;
  const stopTimer = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const out = masker.write(chunk);
      if (masker.pending === 0) stopTimer();
      else if (timer === undefined) {
        timer = setTimeout(() => {
          timer = undefined;
          const held = masker.flush();
          if (held.length > 0) transform.push(held);
        }, holdMs);
      }
      callback(null, out.length > 0 ? out : undefined);
    },
    flush(callback) {
      stopTimer();
      const out = masker.end();
      callback(null, out.length > 0 ? out : undefined);
    },
    destroy(error, callback) {
      stopTimer();
      callback(error);
    },
  }) as MaskingTransform;
  transform.learn = (more) => {
    const out = masker.add(patternsOf(more));
    if (out.length > 0) transform.push(out);
  };
  return transform;
}
