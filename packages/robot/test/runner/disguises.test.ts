/**
 * Every disguise of a value, as real encoders write it (Node and Python), is masked by the
 * output masker of `heptora run`, whole or split at every offset, or byte by byte.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { Readable } from "node:stream";
import { test } from "node:test";
import { inspect } from "node:util";
import { createMasker, MASK, type Masker } from "../../src/runner/masker.ts";
import { createMaskingTransform, patternsOf } from "../../src/runner/masking-stream.ts";
import { findLeaks } from "../support/leaks.ts";

/** Spaces, quotes, a backslash, a slash, HTML specials, a tab and letters outside ASCII. */
const VALUE = "Pä ss/wo\"rd'\\é<&1\t€🔑";

const maskers = new Map<Buffer[], Masker>();

/** Feeds the chunks to a masker of `patterns` (one per pattern list: `end()` resets it). */
function feed(patterns: Buffer[], chunks: Uint8Array[]): Buffer {
  let masker = maskers.get(patterns);
  if (masker === undefined) {
    masker = createMasker(patterns);
    maskers.set(patterns, masker);
  }
  const out = chunks.map((chunk) => masker.write(chunk));
  out.push(masker.end());
  return Buffer.concat(out);
}

/** Every way to cut `bytes` in two, and byte by byte. */
function* chunkings(bytes: Buffer): Generator<[string, Buffer[]]> {
  for (let cut = 0; cut <= bytes.length; cut++) {
    yield [`cut at ${cut}`, [bytes.subarray(0, cut), bytes.subarray(cut)]];
  }
  yield ["byte by byte", [...bytes].map((b) => Buffer.from([b]))];
}

/** What Python prints for VALUE, in one run of python3 (the value goes in on stdin). */
const PYTHON_FORMS = {
  b64: "base64.b64encode(v.encode()).decode()",
  quote: "urllib.parse.quote(v)",
  quotePlus: "urllib.parse.quote_plus(v)",
  dumps: 'json.dumps({"p": v})',
  dumpsUnicode: 'json.dumps({"p": v}, ensure_ascii=False)',
  repr: "repr(v)",
  ascii: "ascii(v)",
  list: "str([v, 1])",
  hex: "v.encode().hex()",
} as const;
let pythonOutput: Record<string, string> | undefined;
function python(form: keyof typeof PYTHON_FORMS): string {
  if (pythonOutput === undefined) {
    const fields = Object.entries(PYTHON_FORMS)
      .map(([key, code]) => `${JSON.stringify(key)}: ${code}`)
      .join(", ");
    const result = spawnSync(
      "python3",
      [
        "-c",
        `import sys,json,base64,urllib.parse\nv=sys.stdin.read()\nprint(json.dumps({${fields}}))`,
      ],
      { input: VALUE, encoding: "utf8" },
    );
    assert.equal(result.status, 0, result.stderr);
    pythonOutput = JSON.parse(result.stdout) as Record<string, string>;
  }
  return `${pythonOutput[form]}\n`;
}

function base64Case(shift: number, urlSafe: boolean, padded: boolean) {
  const before = Buffer.from("xy".slice(0, shift));
  const after = Buffer.from("tail!");
  const bytes = Buffer.from(VALUE, "utf8");
  let encoded = Buffer.concat([before, bytes, after]).toString(urlSafe ? "base64url" : "base64");
  if (!padded) encoded = encoded.replace(/=+$/, "");
  // The characters that depend on the value's bits alone are hidden.
  const first = Math.ceil((8 * shift) / 6);
  const last = Math.floor((8 * (shift + bytes.length)) / 6);
  return {
    name: `base64 ${urlSafe ? "url" : "std"} ${padded ? "padded" : "unpadded"} after ${shift} byte(s)`,
    input: `blob=${encoded};`,
    expected: `blob=${encoded.slice(0, first)}${MASK}${encoded.slice(last)};`,
  };
}

function cases(): { name: string; input: string | Buffer; expected: string | Buffer }[] {
  const bytes = Buffer.from(VALUE, "utf8");
  const lowerHex = (s: string) => s.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
  const list: { name: string; input: string | Buffer; expected: string | Buffer }[] = [
    { name: "as is", input: `pw=${VALUE}\n`, expected: `pw=${MASK}\n` },
    ...[0, 1, 2].flatMap((shift) =>
      [false, true].flatMap((urlSafe) =>
        [false, true].map((padded) => base64Case(shift, urlSafe, padded)),
      ),
    ),
    {
      name: "base64 of the value alone (Python)",
      input: python("b64"),
      expected: "",
    },
    { name: "encodeURIComponent", input: `?p=${encodeURIComponent(VALUE)}&`, expected: "" },
    {
      name: "encodeURIComponent, lower-case hex",
      input: `?p=${lowerHex(encodeURIComponent(VALUE))}&`,
      expected: "",
    },
    {
      name: "URLSearchParams (+ for spaces)",
      input: `${new URLSearchParams({ p: VALUE }).toString()}&`,
      expected: "",
    },
    { name: "encodeURI", input: `${encodeURI(VALUE)}\n`, expected: "" },
    {
      name: "Python urllib.parse.quote",
      input: python("quote"),
      expected: "",
    },
    {
      name: "Python urllib.parse.quote_plus",
      input: python("quotePlus"),
      expected: "",
    },
    { name: "JSON.stringify", input: JSON.stringify({ p: VALUE }), expected: "" },
    {
      name: "Python json.dumps (ensure_ascii)",
      input: python("dumps"),
      expected: "",
    },
    {
      name: "Python json.dumps ensure_ascii=False",
      input: python("dumpsUnicode"),
      expected: "",
    },
    {
      name: "JSON with every character as \\uXXXX (upper-case hex)",
      input: `"${Array.from(
        { length: VALUE.length },
        (_, i) => `\\u${VALUE.charCodeAt(i).toString(16).padStart(4, "0").toUpperCase()}`,
      ).join("")}"`,
      expected: "",
    },
    { name: "Python repr", input: python("repr"), expected: "" },
    { name: "Python ascii", input: python("ascii"), expected: "" },
    { name: "Python repr in a list", input: python("list"), expected: "" },
    { name: "Node util.inspect", input: `${inspect({ p: VALUE })}\n`, expected: "" },
    { name: "hex", input: `0x${bytes.toString("hex")}.`, expected: `0x${MASK}.` },
    {
      name: "HEX",
      input: `0x${bytes.toString("hex").toUpperCase()}.`,
      expected: `0x${MASK}.`,
    },
    { name: "Python .hex()", input: python("hex"), expected: `${MASK}\n` },
    {
      name: "UTF-16LE",
      input: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(VALUE, "utf16le")]),
      expected: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(MASK)]),
    },
  ];
  return list;
}

const PATTERNS = patternsOf([VALUE]);

/** The masked text shows no form of the value (all forms computed by the test's own encoders). */
function assertHidden(out: Buffer, label: string) {
  const text = out.toString("utf8");
  assert.ok(text.includes(MASK), `${label}: nothing masked in ${JSON.stringify(text)}`);
  assert.deepEqual(findLeaks(out, [VALUE]), [], label);
  for (const needle of ["ss/wo", "ss%2Fwo", "wo%22rd", "73732f776f", "73732F776F", "rd\\'"]) {
    assert.ok(!text.includes(needle), `${label}: ${JSON.stringify(needle)} in ${text}`);
  }
}

test("masks every disguise of a value, whole, split at every offset and byte by byte", () => {
  for (const { name, input, expected } of cases()) {
    const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input, "utf8");
    const whole = feed(PATTERNS, [bytes]);
    if (expected === "") assertHidden(whole, name);
    else assert.deepEqual(whole, Buffer.from(expected), name);
    for (const [how, chunks] of chunkings(bytes)) {
      assert.deepEqual(feed(PATTERNS, chunks), whole, `${name}, ${how}`);
    }
  }
});

test("masks the NFC and NFD forms of a value set in either form", () => {
  const nfc = "Grüße-Café-Ångström";
  const nfd = nfc.normalize("NFD");
  assert.notEqual(nfc, nfd);
  for (const [set, printed] of [
    [nfc, nfd],
    [nfd, nfc],
  ] as const) {
    const patterns = patternsOf([set]);
    const input = Buffer.from(`a ${printed} b ${JSON.stringify(printed)}`);
    for (const [how, chunks] of chunkings(input)) {
      assert.equal(feed(patterns, chunks).toString(), `a ${MASK} b "${MASK}"`, `${how}`);
    }
  }
});

test("masks a value with terminal escape sequences between its characters", () => {
  const value = "hunter2-Secret";
  const coloured = `${[...value].map((c, i) => `\x1b[3${i % 8}m${c}`).join("")}\x1b[0m`;
  const titled = `${value.slice(0, 4)}\x1b]0;window title\x07${value.slice(4, 9)}\x1b]8;;\x1b\\${value.slice(9)}`;
  const cursor = `${value.slice(0, 3)}\x1b[2K\x1b[1;31m${value.slice(3)}`;
  const patterns = patternsOf([value]);
  // The sequences inside the value are hidden with it; the ones around it stay.
  for (const [input, expected] of [
    [coloured, `[\x1b[30m${MASK}\x1b[0m]`],
    [titled, `[${MASK}]`],
    [cursor, `[${MASK}]`],
  ] as const) {
    const bytes = Buffer.from(`[${input}]`);
    for (const [how, chunks] of chunkings(bytes)) {
      assert.equal(feed(patterns, chunks).toString(), expected, `${JSON.stringify(input)} ${how}`);
    }
  }
});

test("masks each line of 4 characters or more of a multi-line value, and the whole", () => {
  const value = "-----BEGIN KEY-----\nMIIBOgIBAAJBAKj34GkxFhD9\r\nab\n-----END KEY-----";
  const patterns = patternsOf([value]);
  const out = (s: string) => feed(patterns, [Buffer.from(s)]).toString();
  assert.equal(out(`key: ${value}\n`), `key: ${MASK}\n`);
  assert.equal(out("line: MIIBOgIBAAJBAKj34GkxFhD9\n"), `line: ${MASK}\n`);
  assert.equal(out(`json: ${JSON.stringify(value)}`), `json: "${MASK}"`);
  // A line shorter than 4 characters is too common to hide.
  assert.equal(out("ab cd"), "ab cd");
});

test("held bytes: released after a pause when fewer than 4 could start a value, masked when more", () => {
  const masker = createMasker(patternsOf(["hunter2"]));
  assert.equal(masker.write(Buffer.from("login: hun")).toString(), "login: ");
  assert.equal(masker.flush().toString(), "hun");
  // The value completes after the pause: the rest is still hidden.
  assert.equal(masker.write(Buffer.from("ter2\n")).toString(), `${MASK}\n`);
  assert.equal(masker.write(Buffer.from("again: hunte")).toString(), "again: ");
  assert.equal(masker.flush().toString(), MASK);
  assert.equal(masker.write(Buffer.from("r2 done")).toString(), " done");
  assert.equal(masker.end().toString(), "");
});

test("binary output without values passes through byte for byte, however it is cut", async () => {
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed;
  };
  const data = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < data.length; i++) data[i] = random() & 0xff;
  const chunks: Buffer[] = [];
  for (let at = 0; at < data.length; ) {
    const size = 1 + (random() % 9000);
    chunks.push(data.subarray(at, at + size));
    at += size;
  }
  const transform = createMaskingTransform(["hunter2-Secret", "Pässwörd-🔑-1234", VALUE]);
  const out: Buffer[] = [];
  transform.on("data", (chunk: Buffer) => out.push(chunk));
  await new Promise<void>((resolve, reject) => {
    transform.on("end", resolve);
    transform.on("error", reject);
    Readable.from(chunks).pipe(transform);
  });
  assert.ok(Buffer.concat(out).equals(data));
});

test("a value learnt while the stream runs is masked from then on, with its disguises", async () => {
  const transform = createMaskingTransform(["first-value"]);
  const out: Buffer[] = [];
  transform.on("data", (chunk: Buffer) => out.push(chunk));
  transform.write("a first-value b late-value\n");
  transform.learn(["late-value"]);
  transform.write(`c late-value d ${Buffer.from("late-value").toString("base64")}\n`);
  transform.end();
  await new Promise((resolve) => transform.on("end", resolve));
  // base64: the characters that depend on the value alone are hidden ("Q==" does not).
  assert.equal(Buffer.concat(out).toString(), `a ${MASK} b late-value\nc ${MASK} d ${MASK}Q==\n`);
});
