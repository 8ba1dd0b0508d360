/**
 * Text a person will read in the tray, made safe to show: control characters become spaces
 * (newlines kept where a line break is meant), and the length is bounded with an ellipsis.
 */
export function plainText(text: string, maxLength: number, keepNewlines = false): string {
  let clean = "";
  for (const char of text.replaceAll("\r\n", "\n")) {
    const code = char.codePointAt(0) ?? 0;
    const control = code < 0x20 || code === 0x7f;
    clean += control && !(keepNewlines && char === "\n") ? " " : char;
  }
  return clean.length > maxLength ? `${clean.slice(0, maxLength - 1)}…` : clean;
}
