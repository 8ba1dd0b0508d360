import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { test } from "node:test";
import { createMasker, MASK } from "../../src/runner/masker.ts";
import { createMaskingTransform } from "../../src/runner/masking-stream.ts";

/** The obvious, non-streaming definition: hide every byte any occurrence covers. */
function reference(input: string, values: string[]): string {
  const bytes = Buffer.from(input, "utf8");
  const covered = new Array<boolean>(bytes.length).fill(false);
  for (const value of values.filter((v) => v.length > 0)) {
    const needle = Buffer.from(value, "utf8");
    for (let i = 0; i + needle.length <= bytes.length; i++) {
      if (bytes.compare(needle, 0, needle.length, i, i + needle.length) === 0) {
        for (let j = i; j < i + needle.length; j++) covered[j] = true;
      }
    }
  }
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i++) {
    if (!covered[i]) parts.push(bytes.subarray(i, i + 1));
    else if (i === 0 || !covered[i - 1]) parts.push(Buffer.from(MASK));
  }
  return Buffer.concat(parts).toString("utf8");
}

function feed(values: string[], chunks: Uint8Array[]): string {
  const masker = createMasker(values);
  const out = chunks.map((c) => masker.write(c));
  out.push(masker.end());
  return Buffer.concat(out).toString("utf8");
}

function splitAt(input: string, cuts: number[]): Buffer[] {
  const bytes = Buffer.from(input, "utf8");
  const chunks: Buffer[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    chunks.push(bytes.subarray(from, cut));
    from = cut;
  }
  return chunks;
}

test("replaces a value written in one piece", () => {
  assert.equal(feed(["s3cret"], [Buffer.from("user=ana pass=s3cret\n")]), "user=ana pass=***\n");
});

test("replaces every occurrence, and leaves text without values untouched", () => {
  assert.equal(feed(["ab"], [Buffer.from("ab-ab-ab")]), "***-***-***");
  assert.equal(feed(["zz"], [Buffer.from("nothing to hide")]), "nothing to hide");
  assert.equal(feed([], [Buffer.from("no values at all")]), "no values at all");
});

test("masks a value split across two writes at every offset", () => {
  const input = "before hunter2-Secret! after hunter2-Secret!";
  const values = ["hunter2-Secret!"];
  const expected = "before *** after ***";
  const length = Buffer.byteLength(input);
  for (let cut = 0; cut <= length; cut++) {
    assert.equal(feed(values, splitAt(input, [cut])), expected, `cut at ${cut}`);
  }
});

test("masks a value written one byte at a time", () => {
  const input = "x=pa55word;y=pa55word";
  const bytes = Buffer.from(input);
  const chunks = [...bytes].map((b) => Buffer.from([b]));
  assert.equal(feed(["pa55word"], chunks), "x=***;y=***");
});

test("hides every byte of overlapping and adjacent values", () => {
  assert.equal(feed(["abc", "bcdef"], [Buffer.from("[abcdef]")]), "[***]");
  assert.equal(feed(["abc", "abcdef"], [Buffer.from("abcdefg abcx")]), "***g ***x");
  assert.equal(feed(["aa"], [Buffer.from("aaa")]), "***");
  assert.equal(feed(["k1"], [Buffer.from("k1k1 k1")]), "*** ***");
});

test("masks overlapping values split at every pair of offsets", () => {
  const values = ["abcab", "cabd", "bb"];
  const input = "xabcabdyabbcabcabcabdz";
  const expected = reference(input, values);
  const length = Buffer.byteLength(input);
  for (let a = 0; a <= length; a++) {
    for (let b = a; b <= length; b++) {
      assert.equal(feed(values, splitAt(input, [a, b])), expected, `cuts at ${a}, ${b}`);
    }
  }
});

test("masks UTF-8 multibyte values split inside a character", () => {
  const values = ["pässwörd€", "日本語🔑"];
  const input = "é pässwörd€ 日本語🔑 ü pässwörd€";
  const expected = "é *** *** ü ***";
  const length = Buffer.byteLength(input);
  for (let cut = 0; cut <= length; cut++) {
    assert.equal(feed(values, splitAt(input, [cut])), expected, `cut at ${cut}`);
  }
  const bytes = Buffer.from(input);
  assert.equal(
    feed(
      values,
      [...bytes].map((b) => Buffer.from([b])),
    ),
    expected,
  );
});

test("holds back fewer bytes than the longest value", () => {
  const masker = createMasker(["abcdef", "xy"]);
  assert.equal(masker.write(Buffer.from("123abcde")).toString(), "123");
  assert.equal(masker.pending, 5);
  assert.equal(masker.write(Buffer.from("Z")).toString(), "abcdeZ");
  assert.equal(masker.pending, 0);
  assert.equal(masker.write(Buffer.from("x")).toString(), "");
  assert.equal(masker.end().toString(), "x");
});

test("flushes a held prefix unmasked at the end when the value never completes", () => {
  assert.equal(feed(["secret"], [Buffer.from("the secr")]), "the secr");
});

test("agrees with the reference on random inputs and random chunkings", () => {
  let seed = 42;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const alphabet = ["a", "b", "c", "é", "€", "\n"];
  const word = (min: number, max: number) =>
    Array.from(
      { length: min + random(max - min + 1) },
      () => alphabet[random(alphabet.length)],
    ).join("");
  for (let round = 0; round < 300; round++) {
    const values = Array.from({ length: 1 + random(3) }, () => word(1, 5));
    const input = word(0, 40);
    const length = Buffer.byteLength(input);
    const cuts = Array.from({ length: random(6) }, () => random(length + 1)).sort((x, y) => x - y);
    assert.equal(
      feed(values, splitAt(input, cuts)),
      reference(input, values),
      `values ${JSON.stringify(values)} input ${JSON.stringify(input)} cuts ${cuts}`,
    );
  }
});

test("the stream form masks across chunks and flushes at the end", async () => {
  const source = Readable.from([Buffer.from("token=abc"), Buffer.from("123 and abc")]);
  const output = await text(source.pipe(createMaskingTransform(["abc123", "abc"])));
  assert.equal(output, "token=*** and ***");
});
