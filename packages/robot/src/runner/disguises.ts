/**
 * The disguises of a secret value: the byte strings a program may print when it prints the value
 * encoded rather than as is. `heptora run` masks every one of them (docs/adr/0075).
 *
 * For a value (and for its Unicode NFC and NFD forms, and, when it has several lines, for each
 * line of 4 characters or more):
 * - the UTF-8 bytes as they are;
 * - base64, standard and URL-safe alphabets, at each of the three alignments the value can have
 *   inside a longer base64 text (preceded by 0, 1 or 2 other bytes before encoding): only the
 *   stable inner part, the characters computed from the value's bits alone, so padding or what
 *   comes before and after changes nothing;
 * - URL encoding as encodeURIComponent, encodeURI, RFC 3986 (Python `quote`), Python's default
 *   `quote` (keeps `/`) and HTML forms (`URLSearchParams`), each with `%20` and `+` for spaces and
 *   upper and lower-case hex escapes;
 * - JSON string escaping: JSON.stringify, Python json.dumps with ensure_ascii (`\uXXXX` for every
 *   character outside ASCII, UTF-16 surrogate pairs), an HTML-safe form (`<>&'` as `\u00XX`),
 *   `\/` for slashes, every character as `\uXXXX`; lower and upper-case hex;
 * - language string literals: backslashes doubled and quotes escaped as Python `repr`/`ascii` and
 *   JavaScript literals write them (`\n`, `\t`, `\xXX`, `\uXXXX`, `\UXXXXXXXX`);
 * - hex of the UTF-8 bytes, lower and upper case; UTF-16LE bytes.
 * The value with terminal escape sequences between its characters is not a disguise listed here:
 * the matcher skips those sequences (runner/masker.ts).
 *
 * A disguise shorter than 4 bytes is left out (it would mask ordinary text); the value as is is
 * always kept. A value longer than LONG_VALUE_BYTES keeps the forms a long value (a key, a
 * certificate) is printed in: as is, its lines, JSON, literals and base64, not hex, UTF-16 or URL
 * encoding (each would add several times its size to the matcher).
 *
 * @example
 * disguisesOf("pa ss").map(String); // ["pa ss", "cGEgc3M", "pa%20ss", "pa+ss", ...]
 */

export const MIN_DISGUISE_BYTES = 4;
/** Values (or lines) of at least this many characters get their own disguises. */
export const MIN_LINE_CHARS = 4;
export const LONG_VALUE_BYTES = 2048;

const B64_STD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** Every disguise of `value` (the value's own bytes first), deduplicated. */
export function disguisesOf(value: string): Buffer[] {
  const found = new Map<string, Buffer>();
  const add = (bytes: Buffer, always = false) => {
    if (bytes.length === 0 || (!always && bytes.length < MIN_DISGUISE_BYTES)) return;
    const key = bytes.toString("latin1");
    if (!found.has(key)) found.set(key, bytes);
  };
  add(Buffer.from(value, "utf8"), true);
  const bases = new Set<string>();
  for (const form of unicodeForms(value)) {
    bases.add(form);
    const lines = form.split(/\r\n|\r|\n/);
    if (lines.length > 1) {
      for (const line of lines) if ([...line].length >= MIN_LINE_CHARS) bases.add(line);
    }
  }
  for (const base of bases) {
    for (const text of textForms(base)) add(Buffer.from(text, "utf8"));
    for (const bytes of byteForms(base)) add(bytes);
  }
  return [...found.values()];
}

function unicodeForms(value: string): string[] {
  const forms = [value];
  for (const form of ["NFC", "NFD"] as const) {
    try {
      forms.push(value.normalize(form));
    } catch {
      // A lone surrogate cannot be normalised: the value as is stays.
    }
  }
  return forms;
}

/** Text forms: URL, JSON and literal escapes (the caller encodes them as UTF-8). */
function textForms(text: string): string[] {
  const long = Buffer.byteLength(text, "utf8") > LONG_VALUE_BYTES;
  const forms: string[] = [text];
  forms.push(...jsonForms(text));
  forms.push(...literalForms(text));
  if (!long) forms.push(...urlForms(text));
  return forms;
}

function byteForms(text: string): Buffer[] {
  const utf8 = Buffer.from(text, "utf8");
  const forms = base64Inner(utf8);
  if (utf8.length <= LONG_VALUE_BYTES) {
    const hex = utf8.toString("hex");
    forms.push(Buffer.from(hex, "latin1"), Buffer.from(hex.toUpperCase(), "latin1"));
    forms.push(Buffer.from(text, "utf16le"));
  }
  return forms;
}

/**
 * The characters of base64(prefix + bytes + suffix) that depend on `bytes` alone, for a prefix of
 * 0, 1 and 2 bytes, in both alphabets. Character j covers bits [6j, 6j + 6) of the input.
 */
function base64Inner(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const padded = Buffer.concat([Buffer.alloc(shift), bytes, Buffer.alloc(3)]);
    const first = Math.ceil((8 * shift) / 6);
    const last = Math.floor((8 * (shift + bytes.length)) / 6); // exclusive
    if (last - first < MIN_DISGUISE_BYTES) continue;
    const standard = padded.toString("base64").slice(first, last);
    out.push(Buffer.from(standard, "latin1"));
    let url = "";
    for (const char of standard) url += B64_URL[B64_STD.indexOf(char)] ?? char;
    out.push(Buffer.from(url, "latin1"));
  }
  return out;
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;
const URI_COMPONENT_KEEP = /[A-Za-z0-9\-_.!~*'()]/;
const URI_KEEP = /[A-Za-z0-9\-_.!~*'();/?:@&=+$,#]/;
const PY_QUOTE_KEEP = /[A-Za-z0-9\-._~/]/;
const FORM_KEEP = /[A-Za-z0-9*\-._]/;

function urlForms(text: string): string[] {
  const forms: string[] = [];
  for (const keep of [URI_COMPONENT_KEEP, URI_KEEP, UNRESERVED, PY_QUOTE_KEEP, FORM_KEEP]) {
    for (const plus of [false, true]) {
      for (const upper of [true, false]) forms.push(percentEncode(text, keep, plus, upper));
    }
  }
  return forms;
}

function percentEncode(text: string, keep: RegExp, plus: boolean, upper: boolean): string {
  let out = "";
  for (const char of text) {
    if (char === " " && plus) out += "+";
    else if (keep.test(char)) out += char;
    else {
      for (const byte of Buffer.from(char, "utf8")) out += `%${hex2(byte, upper)}`;
    }
  }
  return out;
}

function hex2(n: number, upper: boolean): string {
  const h = n.toString(16).padStart(2, "0");
  return upper ? h.toUpperCase() : h;
}

function hex4(n: number, upper: boolean): string {
  const h = n.toString(16).padStart(4, "0");
  return upper ? h.toUpperCase() : h;
}

const SHORT_ESCAPES: Record<string, string> = {
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
};

/** JSON.stringify's inner text, ensure_ascii, HTML-safe, `\/`, and everything as `\uXXXX`. */
function jsonForms(text: string): string[] {
  const forms: string[] = [];
  const plain = JSON.stringify(text).slice(1, -1);
  forms.push(plain, plain.replaceAll("/", "\\/"));
  for (const upper of [false, true]) {
    const unit = (code: number) => `\\u${hex4(code, upper)}`;
    let ascii = "";
    let htmlSafe = "";
    let every = "";
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      const char = text[i] as string;
      every += unit(code);
      let escaped: string;
      if (char === '"') escaped = '\\"';
      else if (char === "\\") escaped = "\\\\";
      else if (SHORT_ESCAPES[char] !== undefined) escaped = SHORT_ESCAPES[char];
      else if (code < 0x20 || code > 0x7e) escaped = unit(code);
      else escaped = char;
      ascii += escaped;
      htmlSafe += "<>&'".includes(char) ? unit(code) : escaped;
    }
    forms.push(ascii, htmlSafe, ascii.replaceAll("/", "\\/"));
    forms.push(every);
  }
  return forms;
}

/**
 * String literals as languages print them: Python `repr` (quotes ' or "), Python `ascii`, and
 * JavaScript literals; `\xXX` for control characters (lower and upper hex).
 */
function literalForms(text: string): string[] {
  const forms: string[] = [];
  // Quotes escaped: ' (Python repr), " (JSON-like), both, none (a JS template literal).
  for (const quotes of ["'", '"', "'\"", ""]) {
    for (const upper of [false, true]) {
      for (const asciiOnly of [false, true]) {
        let out = "";
        for (const char of text) {
          const code = char.codePointAt(0) as number;
          if (char === "\\") out += "\\\\";
          else if (quotes.includes(char)) out += `\\${char}`;
          else if (char === "\n" || char === "\r" || char === "\t") out += SHORT_ESCAPES[char];
          else if (code < 0x20 || code === 0x7f) out += `\\x${hex2(code, upper)}`;
          else if (asciiOnly && code > 0x7e) {
            if (code <= 0xff) out += `\\x${hex2(code, upper)}`;
            else if (code <= 0xffff) out += `\\u${hex4(code, upper)}`;
            else
              out += `\\U${upper ? code.toString(16).padStart(8, "0").toUpperCase() : code.toString(16).padStart(8, "0")}`;
          } else out += char;
        }
        forms.push(out);
      }
    }
  }
  return forms;
}
