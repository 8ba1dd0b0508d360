/**
 * Quoting what a caller sent inside an error message. Input echoed back can carry control
 * characters (an escape sequence repaints a terminal, a newline forges a log line), bidi
 * overrides or zero-width characters (text that reads other than it is), or megabytes. Every
 * message that quotes input quotes it through `quoteInput`: those characters become visible
 * `\u{...}` escapes and the text is cut to a bounded length.
 *
 * @example
 * quoteInput("ab\u001b[31m"); // "'ab\\u{1b}[31m'"
 * quoteInput("x".repeat(500)).length; // 82 (77 characters, "...", and the quotes)
 */

/** Longer input is cut to this many characters, "..." included (before escaping). */
export const ECHO_MAX_LENGTH = 80;

/** Control (Cc), format (Cf: bidi controls, zero-width characters) and lone surrogates. */
const UNSAFE =
  /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/gu;

/** The input made safe to show: unsafe characters escaped, cut to `max` characters. */
export function safeEcho(input: string, max = ECHO_MAX_LENGTH): string {
  const cut = input.length > max ? `${input.slice(0, max - 3)}...` : input;
  return cut.replace(UNSAFE, (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`);
}

/** `safeEcho` between single quotes, as messages quote what the caller passed. */
export function quoteInput(input: string, max = ECHO_MAX_LENGTH): string {
  return `'${safeEcho(input, max)}'`;
}
