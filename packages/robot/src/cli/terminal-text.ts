/**
 * Text for a terminal that may have come from elsewhere: process and variable names and
 * descriptions, person and robot names, the platform's error messages. A terminal obeys control
 * and escape sequences (`ESC ] 0 ; title BEL` retitles the window, `ESC [ 2 J` clears it, others
 * rewrite what was printed or, on some terminals, answer back as if typed), so every one of them
 * is shown as visible text instead: `\x1b`, `\x07`, `\u202e`. Line feeds and tabs stay, so tables
 * and multi-line help print as before. `--json` output needs none of this: JSON escapes controls.
 *
 * @example
 * terminalSafe("Invoice\x1b]0;pwned\x07"); // "Invoice\\x1b]0;pwned\\x07"
 */

/**
 * C0 controls but line feed and tab, DEL, C1 controls (0x80-0x9f: a single-byte CSI on some
 * terminals), and the bidirectional marks, overrides and isolates that make text read differently
 * from what it is.
 */
function unsafe(code: number): boolean {
  if (code < 0x20) return code !== 0x0a && code !== 0x09;
  if (code >= 0x7f && code <= 0x9f) return true;
  return (
    code === 0x061c ||
    code === 0x200e ||
    code === 0x200f ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

function visible(code: number): string {
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, "0")}`
    : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** `text` with every control or escape character replaced by its visible escape. */
export function terminalSafe(text: string): string {
  let out = "";
  let clean = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!unsafe(code)) continue;
    out += text.slice(clean, i) + visible(code);
    clean = i + 1;
  }
  return clean === 0 ? text : out + text.slice(clean);
}
