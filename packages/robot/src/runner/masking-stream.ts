/**
 * The masker on a stream: `createMaskingOutput` (what `heptora run` writes the child's stdout and
 * stderr through, runner/run-child.ts) and the same as a Transform stream. Each value is masked
 * with all its disguises (runner/disguises.ts). Held-back bytes never wait longer than `holdMs`
 * (50 ms): then the masker decides them (runner/masker.ts `flush`), so a prompt or a progress
 * line without a newline shows up at once.
 */
import { Transform } from "node:stream";
import { disguisesOf } from "./disguises.ts";
import { createMasker } from "./masker.ts";

/** The longest a byte of output waits in the masker. */
export const HOLD_MS = 50;
/**
 * A chunk whose output is more pieces than this (several values masked in it) is joined into one
 * buffer: one copy costs less than many small writes. Fewer pieces (the held bytes, the chunk,
 * a mask) go out as they are, without copying the chunk.
 */
const MAX_PARTS = 4;

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

/**
 * The masker with its 50 ms hold timer, writing through `output`: each call gets the buffers to
 * write, in order (views of the chunks written and of the held bytes, not copies). Shared by
 * the Transform below and by the runner's pipes (runner/run-child.ts).
 */
export interface MaskingOutput {
  write(chunk: Buffer): void;
  /** No more input: writes what is held, masked. */
  end(): void;
  /** Masks these values (and their disguises) from now on. */
  learn(values: Iterable<string>): void;
  /** Stops the hold timer (the output is gone). */
  stop(): void;
}

export function createMaskingOutput(
  values: Iterable<string>,
  output: (parts: Buffer[]) => void,
  options: { holdMs?: number } = {},
): MaskingOutput {
  const holdMs = options.holdMs ?? HOLD_MS;
  const masker = createMasker(patternsOf(values));
  let timer: NodeJS.Timeout | undefined;
  const stop = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  const send = (out: Buffer) => {
    if (out.length > 0) output([out]);
  };
  return {
    write(chunk) {
      const parts = masker.writeParts(chunk);
      if (masker.pending === 0) stop();
      else if (timer === undefined) {
        timer = setTimeout(() => {
          timer = undefined;
          send(masker.flush());
        }, holdMs);
      }
      if (parts.length > MAX_PARTS) output([Buffer.concat(parts)]);
      else if (parts.length > 0) output(parts);
    },
    end() {
      stop();
      send(masker.end());
    },
    learn(more) {
      send(masker.add(patternsOf(more)));
    },
    stop,
  };
}

export function createMaskingTransform(
  values: Iterable<string>,
  options: { holdMs?: number } = {},
): MaskingTransform {
  const masking = createMaskingOutput(
    values,
    (parts) => {
      for (const part of parts) transform.push(part);
    },
    options,
  );
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      masking.write(chunk);
      callback();
    },
    flush(callback) {
      masking.end();
      callback();
    },
    destroy(error, callback) {
      masking.stop();
      callback(error);
    },
  }) as MaskingTransform;
  transform.learn = (more) => masking.learn(more);
  return transform;
}
