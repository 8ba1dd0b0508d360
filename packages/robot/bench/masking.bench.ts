/**
 * `npm run bench -- masking`: the output masker of `heptora run` streaming 100 MB with 50 secrets
 * in effect, each expanded to all its disguises (runner/disguises.ts), beside `cat` of the same
 * data in the same run. Both go through a real pipe from a `cat` child: the floor reads it as
 * is; the masked case is `runChild` (the runner of `heptora run`: pipes, masker, backpressure)
 * into a counting sink; then the masker alone in this process (no pipe, no child), with its skip
 * table and with every byte through the automaton (docs/adr/0075, "Performance"). Rounds
 * alternate; medians are compared. The machine's load average is printed too: on a shared
 * machine every row slows down, cat included.
 *
 * The data: log-like lines, one in 500 carrying a value or a disguise of one (so matches are
 * found and masked on the way), written to a temp file first.
 *
 * Target (issue 13): 200 MB/s or more with 50 secrets.
 *
 * HEPTORA_BENCH_MASK_MB changes the size, HEPTORA_BENCH_ROUNDS the rounds.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { closeSync, openSync, readFileSync, writeSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { Writable } from "node:stream";
import { buildAutomaton } from "../src/runner/aho-corasick.ts";
import { createMasker, MASK } from "../src/runner/masker.ts";
import { patternsOf } from "../src/runner/masking-stream.ts";
import { runChild } from "../src/runner/run-child.ts";
import { makeTempDir } from "../test/support/temp.ts";
import { median } from "./support/stats.ts";

const MEGABYTES = Number(process.env.HEPTORA_BENCH_MASK_MB ?? 100);
const ROUNDS = Number(process.env.HEPTORA_BENCH_ROUNDS ?? 5);
const SECRETS = 50;
const TARGET_MB_S = 200;

const temp = makeTempDir("hmask-");
const file = `${temp.path}/output.log`;
const values = Array.from(
  { length: SECRETS },
  (_, i) => `${randomBytes(12).toString("base64url")}-${i}/ü"`,
);

/** Writes MEGABYTES of log lines; one in 500 carries a value, as is or base64 or JSON. */
function writeData(): number {
  const fd = openSync(file, "w");
  const target = MEGABYTES * 1024 * 1024;
  let written = 0;
  let line = 0;
  const block: string[] = [];
  while (written < target) {
    line++;
    let text = `2026-11-30T13:${String(line % 60).padStart(2, "0")}:00.000Z INFO invoice ${line} customer=ACME-${line % 977} amount=${(line * 37) % 10000}.00 status=ok`;
    if (line % 500 === 0) {
      const value = values[line % SECRETS] as string;
      const forms = [value, Buffer.from(value).toString("base64"), JSON.stringify(value)];
      text += ` secret=${forms[line % 3]}`;
    }
    block.push(`${text}\n`);
    if (block.length === 4096) {
      const chunk = block.join("");
      writeSync(fd, chunk);
      written += Buffer.byteLength(chunk);
      block.length = 0;
    }
  }
  if (block.length > 0) {
    const chunk = block.join("");
    writeSync(fd, chunk);
    written += Buffer.byteLength(chunk);
  }
  closeSync(fd);
  return written;
}

function countingSink(): { sink: Writable; bytes: () => number } {
  let count = 0;
  return {
    sink: new Writable({
      write(chunk: Buffer, _encoding, callback) {
        count += chunk.length;
        callback();
      },
    }),
    bytes: () => count,
  };
}

async function catFloor(): Promise<number> {
  const start = performance.now();
  const child = spawn("cat", [file], { stdio: ["ignore", "pipe", "inherit"] });
  let count = 0;
  child.stdout.on("data", (chunk: Buffer) => {
    count += chunk.length;
  });
  await once(child, "close");
  if (count === 0) throw new Error("cat printed nothing");
  return performance.now() - start;
}

/**
 * The masker alone, in this process, over the file in 64 KiB chunks (no pipes, no child), as
 * heptora run calls it (writeParts: views, no copies); `skipTable: false` feeds every byte to
 * the automaton.
 */
function alone(data: Buffer, skipTable: boolean): number {
  const masker = createMasker(patternsOf(values), MASK, { skipTable });
  const start = performance.now();
  for (let at = 0; at < data.length; at += 65536) masker.writeParts(data.subarray(at, at + 65536));
  masker.end();
  return performance.now() - start;
}

/** The least any per-byte scan in JavaScript costs here: a loop that reads every byte once. */
function byteLoop(data: Buffer): number {
  const start = performance.now();
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum = (sum + (data[i] as number)) | 0;
  const ms = performance.now() - start;
  if (sum === 42) console.log("");
  return ms;
}

async function masked(): Promise<{ ms: number; out: number }> {
  const { sink, bytes } = countingSink();
  const start = performance.now();
  const outcome = await runChild({
    command: "cat",
    args: [file],
    cwd: temp.path,
    env: process.env,
    mask: values,
    stdout: sink,
    stderr: process.stderr,
    signalSource: { on: () => process, off: () => process },
  });
  if (outcome.exitCode !== 0) throw new Error(`cat through the runner: ${outcome.exitCode}`);
  return { ms: performance.now() - start, out: bytes() };
}

try {
  const size = writeData();
  const mb = size / (1024 * 1024);
  const buildStart = performance.now();
  const patterns = patternsOf(values);
  const automaton = buildAutomaton(patterns);
  const buildMs = performance.now() - buildStart;
  const floorTimes: number[] = [];
  const maskTimes: number[] = [];
  let outBytes = 0;
  const aloneTimes: number[] = [];
  const everyByteTimes: number[] = [];
  const loopTimes: number[] = [];
  // Read once for the in-process rows: 100 MB read and dropped each round would leave the
  // garbage collector work that lands in the next row's time.
  const data = readFileSync(file);
  await catFloor();
  await masked();
  for (let round = 0; round < ROUNDS; round++) {
    floorTimes.push(await catFloor());
    const run = await masked();
    maskTimes.push(run.ms);
    outBytes = run.out;
    aloneTimes.push(alone(data, true));
    everyByteTimes.push(alone(data, false));
    loopTimes.push(byteLoop(data));
  }
  const floorMs = median(floorTimes);
  const maskMs = median(maskTimes);
  const floorRate = mb / (floorMs / 1000);
  const maskRate = mb / (maskMs / 1000);
  console.log(
    `Output masking: ${mb.toFixed(0)} MB of log lines, ${SECRETS} secrets -> ${patterns.length} patterns ` +
      `(${automaton.depth.length} states, ${automaton.classCount} byte classes, built in ${buildMs.toFixed(0)} ms), ` +
      `${ROUNDS} rounds interleaved (median; Node ${process.versions.node}; load average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} CPUs)`,
  );
  console.log(
    `cat (pipe, no masking)      ${floorMs.toFixed(0).padStart(6)} ms  ${floorRate.toFixed(0).padStart(5)} MB/s`,
  );
  console.log(
    `heptora run masking (cat)   ${maskMs.toFixed(0).padStart(6)} ms  ${maskRate.toFixed(0).padStart(5)} MB/s  ${(maskMs / floorMs).toFixed(1)}x cat`,
  );
  const rate = (ms: number) => (mb / (ms / 1000)).toFixed(0).padStart(5);
  const aloneMs = median(aloneTimes);
  const loopMs = median(loopTimes);
  const everyByteMs = median(everyByteTimes);
  console.log(
    `masker alone (in process)   ${aloneMs.toFixed(0).padStart(6)} ms  ${rate(aloneMs)} MB/s`,
  );
  console.log(
    `masker, no skip table       ${everyByteMs.toFixed(0).padStart(6)} ms  ${rate(everyByteMs)} MB/s (every byte through the automaton)`,
  );
  console.log(
    `floor: a JS loop reading every byte ${loopMs.toFixed(0).padStart(6)} ms  ${rate(loopMs)} MB/s (any per-byte matcher is slower)`,
  );
  console.log(
    `masked output: ${(outBytes / (1024 * 1024)).toFixed(1)} MB (values replaced by ***)`,
  );
  console.log(
    `target: ${TARGET_MB_S} MB/s or more with ${SECRETS} secrets: ${maskRate >= TARGET_MB_S ? "met" : "missed"}`,
  );
} finally {
  temp.remove();
}
