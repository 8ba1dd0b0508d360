/**
 * How many values the masker replaced in one stream, for the run's record (docs/adr/0077),
 * without touching the masker: the non-overlapping occurrences of the mask marker in what left
 * the masker, minus those in what the child wrote (a child printing `***` itself is not counted).
 * Adjacent or overlapping values become one marker, so they count once. Counts only, never
 * content.
 */
import { MASK } from "./masker.ts";

export interface MarkerCounter {
  feed(chunk: Uint8Array): void;
  readonly count: number;
}

/** Counts non-overlapping occurrences of `marker` (all one repeated byte, like `***`) across chunks. */
export function createMarkerCounter(marker: string = MASK): MarkerCounter {
  const byte = marker.charCodeAt(0);
  const length = marker.length;
  let count = 0;
  let run = 0;
  return {
    feed(chunk) {
      // The marker's byte is rare in output: jump between its occurrences (indexOf runs natively)
      // instead of looking at every byte, so counting costs next to nothing beside masking.
      const bytes = Buffer.isBuffer(chunk)
        ? chunk
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      let i = 0;
      while (i < bytes.length) {
        if (run > 0 && bytes[i] !== byte) run = 0;
        const at = run > 0 ? i : bytes.indexOf(byte, i);
        if (at === -1) return;
        run++;
        if (run === length) {
          count++;
          run = 0;
        }
        i = at + 1;
      }
    },
    get count() {
      return count;
    },
  };
}

/** Masked values in one stream: markers out minus markers the child wrote itself. */
export function maskedCount(input: MarkerCounter, output: MarkerCounter): number {
  return Math.max(0, output.count - input.count);
}
