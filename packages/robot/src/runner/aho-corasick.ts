/**
 * A multi-pattern byte matcher (Aho-Corasick) for the output masker: one pass over the output
 * finds every occurrence of every pattern, whatever their number (docs/adr/0075).
 *
 * States are numbered breadth first. Shallow states (the ones the scan spends its time in) have a
 * full transition row over byte classes (the bytes that occur in some pattern, plus one class
 * for every other byte), so a step is one table read; deeper states, one per byte of each long
 * pattern, keep only their children and fall back along failure links, which bounds the memory
 * by the patterns' total size.
 *
 * @example
 * const ac = buildAutomaton([Buffer.from("he"), Buffer.from("she")]);
 * let state = 0;
 * for (const byte of Buffer.from("ushe")) state = ac.step(state, byte);
 * ac.longest[state]; // 3 ("she" ends here)
 */

import { buildSkipTable, type SkipTable } from "./skip-table.ts";

export interface Automaton {
  /** Byte -> class; class 0 is every byte that occurs in no pattern. */
  readonly classOf: Uint8Array;
  readonly classCount: number;
  /** States [0, denseCount) have a full row in `dense`. */
  readonly denseCount: number;
  readonly dense: Int32Array;
  /** The length of the longest pattern ending in each state (0: none). */
  readonly longest: Int32Array;
  /** How many bytes of input each state stands for (its depth in the trie). */
  readonly depth: Int32Array;
  readonly maxLength: number;
  /** levelEnd[d]: how many states have a depth of d or less (states are breadth first). */
  readonly levelEnd: Int32Array;
  /** Skips output that starts no pattern (runner/skip-table.ts); undefined for short patterns. */
  readonly skip: SkipTable | undefined;
  /**
   * When every state is dense: the transitions premultiplied by the class count (a row offset)
   * with the sign bit set when the target ends a pattern, so the scan's hot loop is one read
   * and one test per byte. State = (offset & 0x7fffffff) / classCount.
   */
  readonly rows: Int32Array | undefined;
  /** The next state after `byte` (a raw byte, not a class). */
  step(state: number, byte: number): number;
}

/** The sign bit of a `rows` entry: the target state ends a pattern. */
export const MATCH_BIT = 0x80000000 | 0;

/** The dense rows may take this many entries (4 bytes each) at most. */
const DENSE_BUDGET = 8 * 1024 * 1024;

/** The last automaton built, by its patterns: stdout and stderr of a run share one. */
let last: { key: string; automaton: Automaton } | undefined;

/** An automaton for `patterns` (the same list as the previous call reuses that automaton). */
export function buildAutomaton(patterns: readonly Uint8Array[]): Automaton {
  const key = patterns.map((p) => `${p.length}:${Buffer.from(p).toString("latin1")}`).join("");
  if (last?.key === key) return last.automaton;
  const automaton = build(patterns);
  last = { key, automaton };
  return automaton;
}

function build(patterns: readonly Uint8Array[]): Automaton {
  // Byte classes.
  const classOf = new Uint8Array(256);
  let classCount = 1;
  for (const pattern of patterns) {
    for (const byte of pattern) {
      if (classOf[byte] === 0) classOf[byte] = classCount++;
    }
  }

  // The trie: one map from (node, class) to child, then arrays renumbered breadth first.
  const edges = new Map<number, number>();
  const terminalOld: number[] = [0];
  let maxLength = 0;
  for (const pattern of patterns) {
    if (pattern.length === 0) continue;
    maxLength = Math.max(maxLength, pattern.length);
    let node = 0;
    for (const byte of pattern) {
      const key = node * classCount + (classOf[byte] as number);
      let next = edges.get(key);
      if (next === undefined) {
        next = terminalOld.length;
        terminalOld.push(0);
        edges.set(key, next);
      }
      node = next;
    }
    terminalOld[node] = Math.max(terminalOld[node] as number, pattern.length);
  }
  const count = terminalOld.length;
  // Children of each old node, grouped (counting sort by parent).
  const oldStart = new Int32Array(count + 1);
  for (const key of edges.keys()) {
    const slot = Math.floor(key / classCount) + 1;
    oldStart[slot] = (oldStart[slot] as number) + 1;
  }
  for (let i = 0; i < count; i++)
    oldStart[i + 1] = (oldStart[i + 1] as number) + (oldStart[i] as number);
  const oldFill = oldStart.slice(0, count);
  const oldClass = new Int32Array(edges.size);
  const oldTo = new Int32Array(edges.size);
  for (const [key, child] of edges) {
    const parent = Math.floor(key / classCount);
    const at = oldFill[parent] as number;
    oldFill[parent] = at + 1;
    oldClass[at] = key - parent * classCount;
    oldTo[at] = child;
  }
  // Breadth-first numbering.
  const order = new Int32Array(count); // new id -> old id
  const renumber = new Int32Array(count); // old id -> new id
  const depth = new Int32Array(count);
  for (let head = 0, tail = 1; head < tail; head++) {
    const old = order[head] as number;
    renumber[old] = head;
    for (let k = oldStart[old] as number; k < (oldStart[old + 1] as number); k++) {
      order[tail] = oldTo[k] as number;
      depth[tail] = (depth[head] as number) + 1;
      tail++;
    }
  }
  const childStart = new Int32Array(count + 1);
  const childClass = new Int32Array(edges.size);
  const childTarget = new Int32Array(edges.size);
  const longest = new Int32Array(count);
  for (let id = 0, k = 0; id < count; id++) {
    const old = order[id] as number;
    childStart[id] = k;
    longest[id] = terminalOld[old] as number;
    for (let j = oldStart[old] as number; j < (oldStart[old + 1] as number); j++, k++) {
      childClass[k] = oldClass[j] as number;
      childTarget[k] = renumber[oldTo[j] as number] as number;
    }
  }
  childStart[count] = edges.size;

  // How many shallow states get a full row.
  let denseCount = count;
  if (count * classCount > DENSE_BUDGET) {
    denseCount = Math.max(1, Math.floor(DENSE_BUDGET / classCount));
    // Keep whole depth levels dense, so that every dense state's failure target is dense too.
    const cutDepth = depth[denseCount] as number;
    while (denseCount > 1 && (depth[denseCount - 1] as number) >= cutDepth) denseCount--;
  }
  const dense = new Int32Array(denseCount * classCount);
  const fail = new Int32Array(count);

  // Breadth first: a state's failure target (shallower) is complete before the state.
  for (let id = 0; id < count; id++) {
    const from = childStart[id] as number;
    const to = childStart[id + 1] as number;
    if (id > 0) {
      longest[id] = Math.max(longest[id] as number, longest[fail[id] as number] as number);
    }
    if (id < denseCount) {
      const row = id * classCount;
      if (id > 0) {
        const failRow = (fail[id] as number) * classCount;
        dense.copyWithin(row, failRow, failRow + classCount);
      }
      for (let k = from; k < to; k++) {
        const child = childTarget[k] as number;
        const cls = childClass[k] as number;
        // The child's failure target: where the parent's failure target goes on that class.
        fail[child] = id === 0 ? 0 : (dense[(fail[id] as number) * classCount + cls] as number);
        dense[row + cls] = child;
      }
    } else {
      for (let k = from; k < to; k++) {
        fail[childTarget[k] as number] = stepFrom(fail[id] as number, childClass[k] as number);
      }
    }
  }

  /** The transition on a class, following failure links through the sparse states. */
  function stepFrom(state: number, cls: number): number {
    let s = state;
    while (s >= denseCount) {
      for (let k = childStart[s] as number; k < (childStart[s + 1] as number); k++) {
        if (childClass[k] === cls) return childTarget[k] as number;
      }
      s = fail[s] as number;
    }
    return dense[s * classCount + cls] as number;
  }

  function step(state: number, byte: number): number {
    return stepFrom(state, classOf[byte] as number);
  }

  let rows: Int32Array | undefined;
  if (denseCount === count) {
    rows = new Int32Array(dense.length);
    for (let k = 0; k < dense.length; k++) {
      const target = dense[k] as number;
      rows[k] = (target * classCount) | ((longest[target] as number) !== 0 ? MATCH_BIT : 0);
    }
  }

  const levelEnd = new Int32Array(maxLength + 1);
  for (let id = 0; id < count; id++) {
    const d = depth[id] as number;
    levelEnd[d] = (levelEnd[d] as number) + 1;
  }
  for (let d = 1; d <= maxLength; d++)
    levelEnd[d] = (levelEnd[d] as number) + (levelEnd[d - 1] as number);
  const skip = buildSkipTable(patterns);

  return {
    classOf,
    classCount,
    denseCount,
    dense,
    longest,
    depth,
    maxLength,
    levelEnd,
    skip,
    rows,
    step,
  };
}
