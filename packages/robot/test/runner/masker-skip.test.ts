/**
 * The masker's fast path (docs/adr/0075, "Performance"): the skip table jumps over output that
 * starts no value, and the automaton restarts where one may start. These property tests compare
 * it, on random output with values planted at random offsets and cut into random chunks, with a
 * naive reference (indexOf of every pattern) and with the same masker feeding every byte to the
 * automaton, call by call.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildAutomaton } from "../../src/runner/aho-corasick.ts";
import { createMasker, MASK, type Masker } from "../../src/runner/masker.ts";
import { patternsOf } from "../../src/runner/masking-stream.ts";
import { MAX_WINDOW } from "../../src/runner/skip-table.ts";

/** A small deterministic generator, so a failure can be replayed from its seed. */
function generator(seed: number) {
  let state = seed >>> 0 || 1;
  const next = () => {
    // xorshift32
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
  const int = (n: number) => next() % n;
  const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T;
  const text = (alphabet: string, min: number, max: number) =>
    Array.from({ length: min + int(max - min + 1) }, () => alphabet[int(alphabet.length)]).join("");
  return { int, pick, text };
}
type Random = ReturnType<typeof generator>;

/** Hides every byte that an occurrence of any pattern covers; one MASK per run of them. */
function reference(input: Buffer, patterns: readonly Buffer[]): Buffer {
  const covered = new Uint8Array(input.length);
  for (const pattern of patterns) {
    if (pattern.length === 0) continue;
    for (let at = input.indexOf(pattern); at !== -1; at = input.indexOf(pattern, at + 1)) {
      covered.fill(1, at, at + pattern.length);
    }
  }
  const parts: Buffer[] = [];
  for (let i = 0; i < input.length; i++) {
    if (covered[i] === 0) parts.push(input.subarray(i, i + 1));
    else if (i === 0 || covered[i - 1] === 0) parts.push(Buffer.from(MASK));
  }
  return Buffer.concat(parts);
}

/** Random cuts, some inside planted values: 1-byte chunks, short ones and long ones. */
function chunksOf(random: Random, input: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  const style = random.int(4);
  for (let at = 0; at < input.length; ) {
    const size =
      style === 0
        ? 1
        : style === 1
          ? 1 + random.int(7)
          : style === 2
            ? 1 + random.int(200)
            : 1 + random.int(5000);
    chunks.push(input.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

/**
 * Output in which values (and cut-off starts of values, near misses) are planted at random
 * offsets in noise drawn from the values' own characters, so the skip table sees many possible
 * starts that come to nothing, and values that overlap, touch, or repeat.
 */
function plantedOutput(random: Random, values: readonly Buffer[], noise: string, size: number) {
  const parts: Buffer[] = [];
  let length = 0;
  while (length < size) {
    const roll = random.int(10);
    let part: Buffer;
    if (roll < 5) part = Buffer.from(random.text(noise, 0, 60), "latin1");
    else if (roll < 7) part = random.pick(values);
    else {
      const value = random.pick(values);
      part = value.subarray(0, 1 + random.int(value.length - 1));
    }
    parts.push(part);
    length += part.length;
  }
  return Buffer.concat(parts);
}

function feedAll(masker: Masker, chunks: readonly Buffer[]): Buffer {
  return Buffer.concat([...chunks.map((chunk) => masker.write(chunk)), masker.end()]);
}

const BASE64ISH = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_";

test("the fast path masks every value planted at random offsets, whatever the chunking", () => {
  for (let seed = 1; seed <= 60; seed++) {
    const random = generator(seed);
    // Small alphabets make near misses and overlaps common; the window is the shortest value
    // (8 to 32 bytes), or MAX_WINDOW when every value is longer.
    const alphabet = random.pick(["ab", "abc", "abcd", BASE64ISH.slice(0, 10), BASE64ISH]);
    const shortest = 8 + random.int(40);
    const values = Array.from({ length: 1 + random.int(6) }, () =>
      Buffer.from(random.text(alphabet, shortest, shortest + random.int(30)), "latin1"),
    );
    assert.ok(buildAutomaton(values).skip, `seed ${seed}: the skip table is in use`);
    const noise = random.pick([alphabet, `${alphabet} .,:\n`, BASE64ISH]);
    const input = plantedOutput(random, values, noise, 1000 + random.int(8000));
    const expected = reference(input, values);
    for (let cut = 0; cut < 3; cut++) {
      const chunks = chunksOf(random, input);
      assert.deepEqual(feedAll(createMasker(values), chunks), expected, `seed ${seed} cut ${cut}`);
    }
  }
});

test("the fast path writes, holds and flushes exactly what the byte-by-byte scan does", () => {
  for (let seed = 100; seed < 160; seed++) {
    const random = generator(seed);
    const alphabet = random.pick(["abc", "abcdef", BASE64ISH]);
    const values = Array.from({ length: 1 + random.int(5) }, () =>
      Buffer.from(random.text(alphabet, 8, 8 + random.int(50)), "latin1"),
    );
    const later = Buffer.from(random.text(alphabet, 8, 20), "latin1");
    const input = plantedOutput(
      random,
      [...values, later],
      `${alphabet}\n`,
      2000 + random.int(6000),
    );
    const fast = createMasker(values);
    const slow = createMasker(values, MASK, { skipTable: false });
    const chunks = chunksOf(random, input);
    const learnAt = random.int(chunks.length);
    chunks.forEach((chunk, k) => {
      const where = `seed ${seed} chunk ${k}`;
      assert.deepEqual(fast.write(chunk), slow.write(chunk), where);
      assert.equal(fast.pending, slow.pending, where);
      // A pause in the output (the stream's 50 ms timer) at random points, and a value learnt
      // while the run goes on.
      if (random.int(4) === 0) assert.deepEqual(fast.flush(), slow.flush(), `${where} flush`);
      if (k === learnAt) assert.deepEqual(fast.add([later]), slow.add([later]), `${where} add`);
    });
    assert.deepEqual(fast.end(), slow.end(), `seed ${seed} end`);
  }
});

test("the fast path still finds values with terminal escape sequences between their characters", () => {
  const escapes = ["\x1b[31m", "\x1b[0m", "\x1b[1;32m", "\x1b]0;title\x07", "\x1b(B", "\x1b7"];
  for (let seed = 200; seed < 240; seed++) {
    const random = generator(seed);
    const values = Array.from({ length: 1 + random.int(4) }, () => random.text(BASE64ISH, 8, 30));
    const parts: string[] = [];
    for (let k = 0; k < 80; k++) {
      const roll = random.int(6);
      if (roll === 0) parts.push(random.pick(escapes));
      else if (roll < 3) parts.push(random.text(`${BASE64ISH} \n`, 0, 50));
      else {
        // A value, sometimes coloured letter by letter, sometimes cut short.
        let value = random.pick(values);
        if (random.int(4) === 0) value = value.slice(0, 1 + random.int(value.length - 1));
        parts.push(
          random.int(2) === 0
            ? value
            : [...value].map((c) => (random.int(3) === 0 ? random.pick(escapes) + c : c)).join(""),
        );
      }
    }
    const input = Buffer.from(parts.join(""), "latin1");
    const fast = createMasker(values);
    const slow = createMasker(values, MASK, { skipTable: false });
    for (const [k, chunk] of chunksOf(random, input).entries()) {
      assert.deepEqual(fast.write(chunk), slow.write(chunk), `seed ${seed} chunk ${k}`);
    }
    assert.deepEqual(fast.end(), slow.end(), `seed ${seed} end`);
  }
});

test("the fast path masks every disguise of real-looking values in log lines", () => {
  for (let seed = 300; seed < 310; seed++) {
    const random = generator(seed);
    const values = Array.from(
      { length: 3 + random.int(8) },
      (_, i) => `${random.text(BASE64ISH.slice(0, 64), 10, 24)}-${i}/ü"`,
    );
    const patterns = patternsOf(values);
    assert.ok(buildAutomaton(patterns).skip, `seed ${seed}: the skip table is in use`);
    const lines: string[] = [];
    for (let line = 0; line < 400; line++) {
      let text = `2026-11-30T13:${line % 60}:00.000Z INFO invoice ${line * 7919} amount=${line * 37}.00`;
      if (random.int(5) === 0) {
        // Any disguise, inside a longer base64 or hex text at times.
        const disguise = random.pick(patterns).toString("latin1");
        text += ` secret=${random.text(BASE64ISH, 0, 3)}${disguise}${random.text(BASE64ISH, 0, 3)}`;
      }
      lines.push(`${text}\n`);
    }
    const input = Buffer.from(lines.join(""), "latin1");
    const expected = reference(input, patterns);
    assert.deepEqual(
      feedAll(createMasker(patterns), chunksOf(random, input)),
      expected,
      `seed ${seed}`,
    );
  }
});

test("values longer than the skip window are found at every offset of a chunk boundary", () => {
  const value = Buffer.from(`${"Zq8-".repeat(MAX_WINDOW / 2)}end`, "latin1");
  const input = Buffer.from(
    `log ${value.toString("latin1")} and ${value.toString("latin1")}.\n`,
    "latin1",
  );
  const expected = reference(input, [value]);
  for (let cut = 0; cut <= input.length; cut++) {
    const chunks = [input.subarray(0, cut), input.subarray(cut)];
    assert.deepEqual(feedAll(createMasker([value]), chunks), expected, `cut at ${cut}`);
  }
});
