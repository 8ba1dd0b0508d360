/**
 * Looking for a secret value in bytes, in the forms a leak would take: plain UTF-8, UTF-16LE,
 * hex (both cases), URL-encoding, and base64 / base64url at each of the three byte alignments
 * (a value inside a larger base64 blob shows only the characters its own bytes decide).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** Substrings whose presence would mean `value` leaked. */
export function leakForms(value: string): Buffer[] {
  const bytes = Buffer.from(value, "utf8");
  const forms = new Set<string>([
    value,
    bytes.toString("hex"),
    bytes.toString("hex").toUpperCase(),
    encodeURIComponent(value),
    JSON.stringify(value).slice(1, -1),
  ]);
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString("base64");
    const firstBit = shift * 8;
    const endBit = (shift + bytes.length) * 8;
    let core = "";
    for (let i = 0; i * 6 + 6 <= endBit; i++) {
      if (i * 6 >= firstBit) core += encoded[i];
    }
    if (core.length >= 8) {
      forms.add(core);
      forms.add(core.replaceAll("+", "-").replaceAll("/", "_"));
    }
  }
  const out = [...forms].filter((f) => f.length > 0).map((f) => Buffer.from(f, "utf8"));
  out.push(Buffer.from(value, "utf16le"));
  return out;
}

/** Which of `values` appear in `haystack`, in any leak form; [] when none. */
export function findLeaks(haystack: Buffer, values: readonly string[]): string[] {
  const found: string[] = [];
  for (const value of values) {
    for (const form of leakForms(value)) {
      if (haystack.includes(form)) {
        found.push(`${value.slice(0, 3)}... as ${form.toString("utf8").slice(0, 12)}...`);
        break;
      }
    }
  }
  return found;
}

/** Every regular file under `dir`, with its bytes. */
export function filesUnder(dir: string): { path: string; bytes: Buffer }[] {
  const out: { path: string; bytes: Buffer }[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat === undefined) continue;
    if (stat.isDirectory()) out.push(...filesUnder(path));
    else if (stat.isFile()) out.push({ path, bytes: readFileSync(path) });
  }
  return out;
}
