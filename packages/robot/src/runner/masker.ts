/**
 * The output masker of `heptora run`: replaces every occurrence of a pattern (a secret value, or
 * one of its disguises from runner/disguises.ts) in a byte stream with `***`, also when it is
 * split across writes or arrives byte by byte (docs/adr/0031, docs/adr/0075).
 *
 * - One pass over the bytes with a multi-pattern automaton (runner/aho-corasick.ts), whatever the
 *   number of patterns. Works on bytes, so a chunk boundary inside a multibyte character changes
 *   nothing. A skip table (runner/skip-table.ts) jumps over output where no pattern can start
 *   (most of it), so the automaton reads only the bytes near a possible start; the result is
 *   the same as feeding it every byte (docs/adr/0075, "Performance").
 * - The chunk is scanned where it lies and written out as views of it (`writeParts`); only the
 *   bytes still held back are copied.
 * - Every byte covered by any occurrence of any pattern is hidden, and a run of covered bytes
 *   becomes one `***`: overlapping or adjacent values leave no fragment visible.
 * - Terminal escape sequences (CSI `ESC [ ... final`, OSC `ESC ] ... BEL|ESC \`, and two-byte
 *   `ESC x`) between the characters of a value are skipped by a second track of the automaton,
 *   so a value coloured letter by letter is still found; the sequences inside it are hidden too.
 * - Only the bytes that could still be the start of a value are held back (fewer than the
 *   longest pattern); everything before them is written at once. `flush()` (called by the stream
 *   after 50 ms without output, runner/masking-stream.ts) decides the held bytes: a partial
 *   match of fewer than MIN_HELD_MASK bytes is released as is, a longer one is masked; either
 *   way the automaton keeps its place, so if the value completes later, the rest is masked.
 * - `add()` learns more patterns while the stream runs (a value set during a run).
 *
 * Pure: no I/O, no timers.
 *
 * @example
 * const masker = createMasker(["s3cret"]);
 * masker.write(Buffer.from("pass=s3c")); // "pass="  ("s3c" is held back)
 * masker.write(Buffer.from("ret\n"));    // "***\n"
 * masker.end();                          // ""
 */
import { type Automaton, buildAutomaton } from "./aho-corasick.ts";
import { HASH_MASK, type SkipTable } from "./skip-table.ts";

export const MASK = "***";
/** A held partial match of at least this many bytes is masked by `flush()`, not released. */
export const MIN_HELD_MASK = 4;
/** An escape sequence longer than this is not one: the matcher stops skipping it. */
const MAX_ESCAPE_BYTES = 256;
/** The raw track leaves the automaton for the skip table at this trie depth or less. */
const LEAVE_DEPTH = 2;

export interface Masker {
  /** Feeds a chunk; returns the bytes that are safe to show now. */
  write(chunk: Uint8Array): Buffer;
  /**
   * The same as write(), as a list of buffers that are views of the chunk, of held bytes and of
   * the replacement, so nothing is copied (the fast path of the stream). Do not modify them.
   */
  writeParts(chunk: Uint8Array): Buffer[];
  /** No more input: returns whatever was held back, masked. Resets the masker. */
  end(): Buffer;
  /**
   * Output paused: decides the held bytes now (a partial match of MIN_HELD_MASK bytes or more
   * becomes `***`, a shorter one is shown) and returns them. The match can still complete.
   */
  flush(): Buffer;
  /** Learns more patterns; returns the held bytes that are now decided. */
  add(patterns: Iterable<string | Uint8Array>): Buffer;
  /** The number of bytes currently held back (always less than the longest pattern's length). */
  readonly pending: number;
}

const ESC = 0x1b;
const EscMode = { None: 0, AfterEsc: 1, Csi: 2, Str: 3, StrEsc: 4, Intermediate: 5 } as const;

export interface MaskerOptions {
  /**
   * Whether the scan may jump over output with the skip table (runner/skip-table.ts); true by
   * default. false feeds every byte to the automaton: the same output, slower (the reference the
   * tests and the benchmark compare with).
   */
  skipTable?: boolean;
}

/**
 * @param patterns the strings (UTF-8) or bytes to hide; empty ones and duplicates are ignored.
 * @param replacement what each run of hidden bytes becomes.
 */
export function createMasker(
  patterns: Iterable<string | Uint8Array>,
  replacement: string = MASK,
  options: MaskerOptions = {},
): Masker {
  const useSkipTable = options.skipTable ?? true;
  const known = new Map<string, Buffer>();
  const mask = Buffer.from(replacement, "utf8");
  let ac: Automaton = learn(patterns);

  function learn(more: Iterable<string | Uint8Array>): Automaton {
    for (const pattern of more) {
      const bytes =
        typeof pattern === "string" ? Buffer.from(pattern, "utf8") : Buffer.from(pattern);
      if (bytes.length > 0) known.set(bytes.toString("latin1"), bytes);
    }
    return buildAutomaton([...known.values()]);
  }

  /** Held bytes: absolute stream offsets [base, base + held.length). */
  let held: Buffer = EMPTY;
  let base = 0;
  /**
   * During write(): the chunk, right after the held bytes (offsets from curStart on). It is
   * scanned and written out where it lies, never copied; only the bytes still held are kept.
   */
  let cur: Buffer = EMPTY;
  let curStart = 0;
  /** What scan() reads: the chunk, or the held bytes (add()), and the offset of its first byte. */
  let scanning: Buffer = EMPTY;
  let scanningAt = 0;
  /** Raw track: the automaton state over every byte. */
  let s = 0;
  /** Escape-skipping track, active from an ESC until it agrees with the raw track again. */
  let escActive = false;
  let e = 0;
  let escMode: number = EscMode.None;
  let escLength = 0;
  /** Raw offsets of the escape track's recent bytes (a ring indexed by its own byte count). */
  let ring = new Float64Array(ringSize(ac.maxLength));
  let ringMask = ring.length - 1;
  let fpos = 0;
  /** Covered intervals [start, end) not yet written, sorted and merged (flat pairs). */
  let covers: number[] = [];
  /** Whether the last thing written was a mask whose run may continue. */
  let inMask = false;

  function cover(start: number, end: number): void {
    let from = Math.max(start, base);
    let to = end;
    while (covers.length > 0 && from <= (covers[covers.length - 1] as number)) {
      to = Math.max(to, covers.pop() as number);
      from = Math.min(from, covers.pop() as number);
    }
    covers.push(from, to);
  }

  function escapeByte(byte: number): boolean {
    // Returns true when `byte` belongs to an escape sequence (the escape track skips it).
    switch (escMode) {
      case EscMode.AfterEsc:
        escLength++;
        if (byte === 0x5b) escMode = EscMode.Csi;
        else if (byte === 0x5d || byte === 0x50 || byte === 0x58 || byte === 0x5e || byte === 0x5f)
          escMode = EscMode.Str;
        else if (byte >= 0x20 && byte <= 0x2f) escMode = EscMode.Intermediate;
        else escMode = EscMode.None;
        return true;
      case EscMode.Csi:
        if (byte >= 0x20 && byte <= 0x3f) {
          if (++escLength > MAX_ESCAPE_BYTES) escMode = EscMode.None;
          return true;
        }
        escMode = EscMode.None;
        return byte >= 0x40 && byte <= 0x7e;
      case EscMode.Intermediate:
        if (byte >= 0x20 && byte <= 0x2f) {
          if (++escLength > MAX_ESCAPE_BYTES) escMode = EscMode.None;
          return true;
        }
        escMode = EscMode.None;
        return byte >= 0x30 && byte <= 0x7e;
      case EscMode.Str:
        if (byte === 0x07) escMode = EscMode.None;
        else if (byte === ESC) escMode = EscMode.StrEsc;
        else if (++escLength > MAX_ESCAPE_BYTES) escMode = EscMode.None;
        return true;
      case EscMode.StrEsc:
        if (byte === 0x5c) {
          escMode = EscMode.None;
          return true;
        }
        escMode = EscMode.AfterEsc;
        escLength = 1;
        return escapeByte(byte);
      default:
        return false;
    }
  }

  /**
   * The raw track alone over bytes[from..], up to the first ESC; returns where it stopped. The
   * hot loop. Where the automaton has a skip table (runner/skip-table.ts), it alternates between
   * two modes: the automaton, one table read per byte, while its state follows a possible match;
   * and, once the state is shallow again, the skip table, which jumps over windows that start no
   * pattern without reading most of their bytes, to the next offset where one may start. The
   * automaton resumes there from the root, so its state is exactly what a byte-by-byte scan
   * would have (every match is found, and held bytes are the same).
   */
  function scanPlain(from: number): number {
    let stop = scanning.indexOf(ESC, from);
    if (stop === -1) stop = scanning.length;
    if (ac.rows === undefined) scanSparse(from, stop);
    else if (ac.skip === undefined || !useSkipTable) scanDense(from, stop);
    else scanSkipping(from, stop, ac.skip);
    return stop;
  }

  /** Every byte through the dense rows: one read and one sign test per byte. */
  function scanDense(from: number, stop: number): void {
    const { classOf, classCount, longest } = ac;
    const bytes = scanning;
    const at = scanningAt;
    const rows = ac.rows as Int32Array;
    let r = s * classCount;
    for (let i = from; i < stop; i++) {
      r = rows[r + (classOf[bytes[i] as number] as number)] as number;
      if (r < 0) {
        r &= 0x7fffffff;
        const length = longest[r / classCount] as number;
        cover(at + i + 1 - length, at + i + 1);
      }
    }
    s = r / classCount;
  }

  /** Dense rows and the skip table (see scanPlain). */
  function scanSkipping(from: number, stop: number, skip: SkipTable): void {
    const bytes = scanning;
    const at = scanningAt;
    const { classOf, classCount, longest, depth } = ac;
    const rows = ac.rows as Int32Array;
    const { window, shift } = skip;
    const lastWindow = stop - window;
    /** Row offsets below this are states of depth LEAVE_DEPTH or less (breadth-first order). */
    const shallow = (ac.levelEnd[Math.min(LEAVE_DEPTH, ac.maxLength)] as number) * classCount;
    let r = s * classCount;
    let i = from;
    // The automaton leaves for the skip table only once no match it follows starts at or before
    // `candidate` (the offset it was resumed for), so every pass makes progress.
    let candidate = -1;
    while (i < stop) {
      let earliest = -1;
      while (i < stop) {
        r = rows[r + (classOf[bytes[i] as number] as number)] as number;
        i++;
        if (r < shallow) {
          if (r < 0) {
            r &= 0x7fffffff;
            const length = longest[r / classCount] as number;
            cover(at + i - length, at + i);
            if (r >= shallow) continue;
          }
          // Every match the state follows starts at `earliest` or later.
          earliest = i - (depth[r / classCount] as number);
          if (earliest > candidate) break;
        }
      }
      if (i >= stop) break;
      // The first window from `earliest` on that may start a pattern.
      let p = earliest;
      while (p <= lastWindow) {
        const k = p + window - 1;
        const d = shift[
          (((bytes[k - 2] as number) << 10) ^
            ((bytes[k - 1] as number) << 5) ^
            (bytes[k] as number)) &
            HASH_MASK
        ] as number;
        if (d === 0) break;
        p += d;
      }
      if (p > lastWindow) {
        // No whole window left before `stop`: the automaton takes the rest, byte by byte.
        candidate = stop;
      } else candidate = p;
      if (p > i) {
        // Nothing starts in [earliest, p): the automaton restarts from the root at p.
        i = p;
        r = 0;
      }
    }
    s = r / classCount;
  }

  /** The automaton without dense rows for every state (very many patterns): step by step. */
  function scanSparse(from: number, stop: number): void {
    const { longest } = ac;
    const bytes = scanning;
    const origin = scanningAt;
    for (let i = from; i < stop; i++) {
      s = ac.step(s, bytes[i] as number);
      const length = longest[s] as number;
      if (length !== 0) cover(origin + i + 1 - length, origin + i + 1);
    }
  }

  /** One byte through both tracks (from an ESC until the tracks agree again). */
  function scanEscaped(i: number): void {
    const { longest } = ac;
    const byte = scanning[i] as number;
    const at = scanningAt + i;
    const before = s;
    s = ac.step(s, byte);
    const length = longest[s] as number;
    if (length !== 0) cover(at + 1 - length, at + 1);
    if (!escActive) {
      // An ESC: the escape track starts from where the raw track was, whose partial match is
      // contiguous raw bytes.
      escActive = true;
      e = before;
      const d = ac.depth[e] as number;
      for (let k = 1; k <= d; k++) ring[(fpos - k) & ringMask] = at - k;
    }
    if (escMode !== EscMode.None && escapeByte(byte)) return;
    if (byte === ESC) {
      escMode = EscMode.AfterEsc;
      escLength = 1;
      return;
    }
    ring[fpos & ringMask] = at;
    fpos++;
    e = ac.step(e, byte);
    const escMatch = longest[e] as number;
    if (escMatch !== 0) cover(ring[(fpos - escMatch) & ringMask] as number, at + 1);
    if (e === s && escMode === EscMode.None) escActive = false;
  }

  /** Feeds all of `data` (its first byte at stream offset `first`) to both tracks. */
  function scan(data: Buffer, first: number): void {
    scanning = data;
    scanningAt = first;
    const n = data.length;
    let i = 0;
    while (i < n) {
      if (!escActive) {
        i = scanPlain(i);
        if (i >= n) break;
      }
      scanEscaped(i);
      i++;
    }
    scanning = EMPTY;
  }

  /** The stream offset after the last byte fed (the held bytes, then the chunk). */
  function fed(): number {
    return curStart + cur.length;
  }

  /** The first offset that a match still to come could cover. */
  function decided(): number {
    let boundary = fed() - (ac.depth[s] as number);
    if (escActive) {
      const d = ac.depth[e] as number;
      if (d > 0) boundary = Math.min(boundary, ring[(fpos - d) & ringMask] as number);
    }
    return Math.max(boundary, base);
  }

  /** Appends the bytes at offsets [from, to) to `parts`: views of the held bytes and the chunk. */
  function viewsOf(from: number, to: number, parts: Buffer[]): void {
    if (from < curStart) parts.push(held.subarray(from - base, Math.min(to, curStart) - base));
    if (to > curStart) parts.push(cur.subarray(Math.max(from, curStart) - curStart, to - curStart));
  }

  /**
   * Writes [base, until) with the covered intervals masked, as views (nothing copied), and keeps
   * only the bytes after `until` (copied: the chunk may be reused by its owner).
   */
  function emit(until: number): Buffer[] {
    const parts: Buffer[] = [];
    const end = fed();
    if (until > base) {
      const keep: number[] = [];
      let at = base;
      for (let k = 0; k < covers.length; k += 2) {
        const start = covers[k] as number;
        const stop = covers[k + 1] as number;
        if (start >= until) {
          keep.push(start, stop);
          continue;
        }
        if (start > at) {
          viewsOf(at, start, parts);
          inMask = false;
        }
        if (!inMask) {
          parts.push(mask);
          inMask = true;
        }
        at = Math.max(at, Math.min(stop, until));
        if (stop > until) keep.push(until, stop);
      }
      covers = keep;
      if (at < until) {
        viewsOf(at, until, parts);
        inMask = false;
      }
    }
    const from = Math.max(until, base);
    if (from < end) {
      const rest: Buffer[] = [];
      viewsOf(from, end, rest);
      held = Buffer.concat(rest);
    } else held = EMPTY;
    base = from;
    cur = EMPTY;
    curStart = base + held.length;
    return parts;
  }

  function reset(): void {
    held = EMPTY;
    base = 0;
    cur = EMPTY;
    curStart = 0;
    s = 0;
    e = 0;
    escActive = false;
    escMode = EscMode.None;
    fpos = 0;
    covers = [];
    inMask = false;
  }

  function writeParts(chunk: Uint8Array): Buffer[] {
    if (chunk.length === 0) return [];
    cur = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    curStart = base + held.length;
    scan(cur, curStart);
    return emit(decided());
  }

  return {
    write(chunk) {
      return join(writeParts(chunk));
    },
    writeParts,
    end() {
      const out = emit(fed());
      reset();
      return join(out);
    },
    flush() {
      const partial = Math.max(ac.depth[s] as number, escActive ? (ac.depth[e] as number) : 0);
      if (partial >= MIN_HELD_MASK) cover(decided(), fed());
      return join(emit(fed()));
    },
    add(more) {
      ac = learn(more);
      ring = new Float64Array(ringSize(ac.maxLength));
      ringMask = ring.length - 1;
      // Rescan what is held with the new patterns (what was written is gone).
      s = 0;
      e = 0;
      escActive = false;
      escMode = EscMode.None;
      fpos = 0;
      scan(held, base);
      return join(emit(decided()));
    },
    get pending() {
      return held.length;
    },
  };
}

const EMPTY = Buffer.alloc(0);

/** One buffer of `parts` (copied only when there are several). */
function join(parts: Buffer[]): Buffer {
  if (parts.length === 0) return Buffer.alloc(0);
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
}

function ringSize(maxLength: number): number {
  let size = 64;
  while (size <= maxLength + 1) size *= 2;
  return size;
}
