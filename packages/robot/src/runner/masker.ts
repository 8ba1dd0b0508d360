/**
 * The output masker of `heptora run`: replaces every occurrence of a secret value in a byte
 * stream with `***`, also when the value is split across writes.
 *
 * Works on bytes (the UTF-8 encoding of each value), so a chunk boundary inside a multibyte
 * character changes nothing, and UTF-8 being self-synchronising, a value only ever matches on
 * character boundaries. Every byte covered by any occurrence of any value is hidden, and a run
 * of covered bytes becomes one `***`: overlapping or adjacent values ("abc" and "bcdef" in
 * "abcdef") leave no fragment visible. Bytes that could still be the start of a value are held
 * back (fewer than the longest value's length) until the next write decides, or `end()`.
 *
 * Pure: no I/O, no timers. runner/masking-stream.ts wraps it as a Transform stream.
 *
 * @example
 * const masker = createMasker(["s3cret"]);
 * masker.write(Buffer.from("pass=s3c")); // "pass="  ("s3c" is held back)
 * masker.write(Buffer.from("ret\n"));    // "***\n"
 * masker.end();                          // ""
 */

export const MASK = "***";

export interface Masker {
  /** Feeds a chunk; returns the bytes that are safe to show now. */
  write(chunk: Uint8Array): Buffer;
  /** No more input: returns whatever was held back, masked. Resets the masker. */
  end(): Buffer;
  /** The number of bytes currently held back (always less than the longest value's length). */
  readonly pending: number;
}

/**
 * @param values the strings to hide; empty strings and duplicates are ignored.
 * @param replacement what each run of hidden bytes becomes.
 */
export function createMasker(values: Iterable<string>, replacement: string = MASK): Masker {
  const needles = [...new Set([...values].filter((v) => v.length > 0))]
    .map((v) => Buffer.from(v, "utf8"))
    .sort((a, b) => b.length - a.length);
  const mask = Buffer.from(replacement, "utf8");
  // Needles by their first byte (longest first), so most positions cost one lookup.
  const byFirstByte = new Map<number, Buffer[]>();
  for (const needle of needles) {
    const first = needle[0] as number;
    const list = byFirstByte.get(first);
    if (list === undefined) byFirstByte.set(first, [needle]);
    else list.push(needle);
  }

  let held: Buffer = Buffer.alloc(0);
  /** Absolute stream offset of held[0]. */
  let base = 0;
  /** Absolute offset up to which bytes are covered by a match already seen. */
  let coveredUntil = 0;
  /** Whether the last thing emitted was a mask whose run may continue. */
  let inMask = false;

  /** Length of the longest value starting at `i`, 0 for none, -1 when more bytes must decide. */
  function matchAt(input: Buffer, i: number, final: boolean): number {
    const candidates = byFirstByte.get(input[i] as number);
    if (candidates === undefined) return 0;
    const available = input.length - i;
    for (const needle of candidates) {
      if (available >= needle.length) {
        if (input.compare(needle, 0, needle.length, i, i + needle.length) === 0) {
          return needle.length;
        }
      } else if (!final && input.compare(needle, 0, available, i, input.length) === 0) {
        return -1;
      }
    }
    return 0;
  }

  function scan(input: Buffer, final: boolean): Buffer {
    const parts: Buffer[] = [];
    let copyFrom = 0;
    let i = 0;
    for (; i < input.length; i++) {
      const length = matchAt(input, i, final);
      if (length < 0) break;
      const at = base + i;
      if (length > 0) coveredUntil = Math.max(coveredUntil, at + length);
      if (at < coveredUntil) {
        if (!inMask) {
          parts.push(input.subarray(copyFrom, i), mask);
          inMask = true;
        }
        copyFrom = i + 1;
      } else {
        inMask = false;
      }
    }
    parts.push(input.subarray(copyFrom, i));
    held = Buffer.from(input.subarray(i));
    base += i;
    return Buffer.concat(parts);
  }

  return {
    write(chunk) {
      if (needles.length === 0) return Buffer.from(chunk);
      return scan(held.length === 0 ? Buffer.from(chunk) : Buffer.concat([held, chunk]), false);
    },
    end() {
      const out = held.length === 0 ? Buffer.alloc(0) : scan(held, true);
      held = Buffer.alloc(0);
      base = 0;
      coveredUntil = 0;
      inMask = false;
      return out;
    },
    get pending() {
      return held.length;
    },
  };
}
