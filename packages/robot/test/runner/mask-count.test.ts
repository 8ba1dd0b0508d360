/**
 * The run record's masked count (runner/mask-count.ts): markers counted across any split of the
 * output, a child's own `***` not counted as a masked value.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createMarkerCounter, maskedCount } from "../../src/runner/mask-count.ts";

function countSplit(text: string, at: number[]): number {
  const counter = createMarkerCounter();
  const bytes = Buffer.from(text);
  let from = 0;
  for (const cut of [...at, bytes.length]) {
    counter.feed(bytes.subarray(from, cut));
    from = cut;
  }
  return counter.count;
}

test("counts each marker once, however the output is split", () => {
  const text = "user=*** pass=*** ****** done * ** x***";
  // "******" is two markers side by side; "*" and "**" are none.
  const expected = 5;
  assert.equal(countSplit(text, []), expected);
  for (let a = 0; a <= text.length; a++) {
    for (let b = a; b <= text.length; b += 3) {
      assert.equal(countSplit(text, [a, b]), expected, `split at ${a}, ${b}`);
    }
  }
  assert.equal(countSplit("*", [0, 0, 1]), 0);
});

test("does not count the markers the child printed itself", () => {
  const written = createMarkerCounter();
  const shown = createMarkerCounter();
  written.feed(Buffer.from("a literal *** and a value s3cret-value\n"));
  shown.feed(Buffer.from("a literal *** and a value ***\n"));
  assert.equal(maskedCount(written, shown), 1);
});
