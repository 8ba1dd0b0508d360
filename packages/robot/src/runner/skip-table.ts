/**
 * A Wu-Manber style skip table for the output masker's automaton (docs/adr/0075, "Performance"):
 * a way to jump over output that cannot be the start of any pattern without looking at every
 * byte of it.
 *
 * Take a window of `window` bytes (the shortest pattern's length, at most MAX_WINDOW). If a pattern
 * starts at offset p, the window [p, p + window) is that pattern's first `window` bytes. The
 * table says, for the 3 bytes that end a window (hashed), how far the window can move right
 * before those 3 bytes could line up with the same 3 bytes inside some pattern's first `window`
 * bytes. A shift of 0 means a pattern may start at p: the automaton looks. Hash collisions only
 * make shifts smaller (never skip a possible start), so the table is exact in what it rules out:
 * a window it moves past starts no pattern.
 *
 * @example
 * const table = buildSkipTable([Buffer.from("password1")]);
 * // the window "an ordina" ends in "ina", in no pattern: the next possible start is 7 bytes on.
 */

/** The bytes hashed at the end of each window. */
export const GRAM = 3;
/** Below this window the shifts are too short to pay for the table reads. */
export const MIN_WINDOW = 8;
/** Shifts are bytes; a longer window would also fill the table with short shifts. */
export const MAX_WINDOW = 32;
/** The table has 2^HASH_BITS entries (a Uint8Array: 256 KiB, mostly in the CPU cache). */
const HASH_BITS = 18;
export const HASH_MASK = (1 << HASH_BITS) - 1;

export interface SkipTable {
  /** The window length: min(the shortest pattern's length, MAX_WINDOW). */
  readonly window: number;
  /** By skipHash of the 3 bytes ending a window: how far the window may move right. */
  readonly shift: Uint8Array;
}

/** The hash of 3 bytes (a, b, c in order), as the scan computes it inline. */
export function skipHash(a: number, b: number, c: number): number {
  return ((a << 10) ^ (b << 5) ^ c) & HASH_MASK;
}

/** The table for `patterns`, or undefined when the shortest one is too short to skip with. */
export function buildSkipTable(patterns: readonly Uint8Array[]): SkipTable | undefined {
  let shortest = Number.POSITIVE_INFINITY;
  for (const pattern of patterns) {
    if (pattern.length > 0) shortest = Math.min(shortest, pattern.length);
  }
  if (shortest < MIN_WINDOW || !Number.isFinite(shortest)) return undefined;
  const window = Math.min(shortest, MAX_WINDOW);
  const shift = new Uint8Array(HASH_MASK + 1).fill(window - GRAM + 1);
  for (const pattern of patterns) {
    if (pattern.length === 0) continue;
    for (let end = GRAM - 1; end < window; end++) {
      const h = skipHash(
        pattern[end - 2] as number,
        pattern[end - 1] as number,
        pattern[end] as number,
      );
      const distance = window - 1 - end;
      if (distance < (shift[h] as number)) shift[h] = distance;
    }
  }
  return { window, shift };
}
