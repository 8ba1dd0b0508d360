/**
 * The runner of `heptora run` streaming a lot of output (docs/adr/0075, "Performance"): the
 * masker's output goes to the destination as views of the child's chunks, and the child's pipe
 * pauses while the destination is full. Whatever the speed of the reader, every value is masked,
 * every other byte arrives once and in order, and the run record's counts are right.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { after, before, test } from "node:test";
import { MASK } from "../../src/runner/masker.ts";
import { patternsOf } from "../../src/runner/masking-stream.ts";
import { runChild } from "../../src/runner/run-child.ts";
import { makeTempDir, type TempDir } from "../support/temp.ts";

const VALUES = [`${randomBytes(12).toString("base64url")}-ü"`, "hunter2-Secret!", "p4ss w0rd/+="];

let temp: TempDir;
let file: string;
let input: Buffer;
let planted = 0;

/** Hides every byte that an occurrence of any pattern covers; one MASK per run of them. */
function reference(bytes: Buffer, patterns: readonly Buffer[]): Buffer {
  const covered = new Uint8Array(bytes.length);
  for (const pattern of patterns) {
    for (let at = bytes.indexOf(pattern); at !== -1; at = bytes.indexOf(pattern, at + 1)) {
      covered.fill(1, at, at + pattern.length);
    }
  }
  const parts: Buffer[] = [];
  let from = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (covered[i] === 1 && (i === 0 || covered[i - 1] === 0)) {
      parts.push(bytes.subarray(from, i), Buffer.from(MASK));
    }
    if (covered[i] === 1) from = i + 1;
  }
  parts.push(bytes.subarray(from));
  return Buffer.concat(parts);
}

/**
 * A destination with a small buffer that takes a turn of the event loop per write, and stops
 * for `stallMs` every 50 writes.
 */
function slowReader(stallMs: number): {
  sink: Writable;
  received: () => Promise<Buffer>;
  mostBuffered: () => number;
} {
  const chunks: Buffer[] = [];
  let mostBuffered = 0;
  const sink = new Writable({
    highWaterMark: 4096,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      mostBuffered = Math.max(mostBuffered, sink.writableLength);
      if (stallMs > 0 && chunks.length % 50 === 0) setTimeout(callback, stallMs);
      else setImmediate(callback);
    },
  });
  // What it has once it has written everything it was given (runChild does not end it).
  const received = async () => {
    sink.end();
    await finished(sink);
    return Buffer.concat(chunks);
  };
  return { sink, received, mostBuffered: () => mostBuffered };
}

before(() => {
  temp = makeTempDir("hrstream-");
  file = join(temp.path, "output.log");
  // 6 MB of log lines; one in 40 carries a value in one of its disguises.
  const patterns = patternsOf(VALUES);
  const lines: string[] = [];
  for (let line = 0, size = 0; size < 6 * 1024 * 1024; line++) {
    let text = `2026-11-30T13:00:00.000Z INFO invoice ${line} amount=${(line * 37) % 10000}.00`;
    if (line % 40 === 0) {
      text += ` secret=${(patterns[line % patterns.length] as Buffer).toString("latin1")}`;
      planted++;
    }
    lines.push(`${text}\n`);
    size += text.length + 1;
  }
  input = Buffer.from(lines.join(""), "latin1");
  writeFileSync(file, input);
});

after(() => temp.remove());

test("megabytes of output through a slow reader arrive masked, complete and in order, on both streams", async () => {
  const expected = reference(input, patternsOf(VALUES));
  assert.notDeepEqual(expected, input);
  const stdout = slowReader(0);
  const stderr = slowReader(0);
  const outcome = await runChild({
    command: "sh",
    args: ["-c", 'cat "$1"; cat "$1" >&2', "sh", file],
    cwd: temp.path,
    env: process.env,
    mask: VALUES,
    stdout: stdout.sink,
    stderr: stderr.sink,
    signalSource: { on: () => process, off: () => process },
  });
  assert.equal(outcome.exitCode, 0);
  assert.ok((await stdout.received()).equals(expected), "stdout: the masked output, byte for byte");
  assert.ok((await stderr.received()).equals(expected), "stderr: the masked output, byte for byte");
  assert.deepEqual(outcome.masked, { stdout: planted, stderr: planted });
});

test("a reader that stops for a while pauses the child's output without losing or reordering any of it", async () => {
  const expected = reference(input, patternsOf(VALUES));
  const stdout = slowReader(20);
  const outcome = await runChild({
    command: "cat",
    args: [file],
    cwd: temp.path,
    env: process.env,
    mask: VALUES,
    stdout: stdout.sink,
    stderr: slowReader(0).sink,
    signalSource: { on: () => process, off: () => process },
  });
  assert.equal(outcome.exitCode, 0);
  assert.ok((await stdout.received()).equals(expected));
  assert.equal(outcome.masked.stdout, planted);
  // The child waited for the reader: heptora run never had more than a pipe read or two queued.
  assert.ok(stdout.mostBuffered() <= 256 * 1024, `${stdout.mostBuffered()} bytes were queued`);
});
