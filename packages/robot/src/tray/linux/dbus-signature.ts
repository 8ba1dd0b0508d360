/**
 * D-Bus type signatures: parsed into a small type tree and checked against the specification's
 * rules (at most 255 bytes, 32 nested arrays, 32 nested structs, dict entries only inside arrays
 * with a basic key, no empty struct). Unix file descriptors (`h`) are not supported: the tray
 * never passes one, and a peer that sends one is refused.
 */

export type BasicCode = "y" | "b" | "n" | "q" | "i" | "u" | "x" | "t" | "d" | "s" | "o" | "g";

export type DBusType =
  | { readonly kind: "basic"; readonly code: BasicCode }
  | { readonly kind: "array"; readonly element: DBusType }
  | { readonly kind: "dict"; readonly key: DBusType; readonly value: DBusType }
  | { readonly kind: "struct"; readonly fields: readonly DBusType[] }
  | { readonly kind: "variant" };

export const MAX_SIGNATURE_LENGTH = 255;
const MAX_ARRAY_DEPTH = 32;
const MAX_STRUCT_DEPTH = 32;

const BASIC_CODES = new Set<string>(["y", "b", "n", "q", "i", "u", "x", "t", "d", "s", "o", "g"]);

/** A signature or a value that breaks the wire format; the message carrying it is dropped. */
export class DBusWireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DBusWireError";
  }
}

/** Parses a signature made of any number of complete types (a message body, a struct's fields). */
export function parseSignature(signature: string): DBusType[] {
  if (signature.length > MAX_SIGNATURE_LENGTH) {
    throw new DBusWireError(`signature longer than ${MAX_SIGNATURE_LENGTH} characters`);
  }
  const types: DBusType[] = [];
  let at = 0;
  while (at < signature.length) {
    const [type, next] = parseOne(signature, at, 0, 0);
    types.push(type);
    at = next;
  }
  return types;
}

/** Parses a signature that must be exactly one complete type (a variant's). */
export function parseSingleType(signature: string): DBusType {
  const types = parseSignature(signature);
  if (types.length !== 1 || !types[0]) {
    throw new DBusWireError(`"${printable(signature)}" is not a single complete type`);
  }
  return types[0];
}

function parseOne(sig: string, at: number, arrays: number, structs: number): [DBusType, number] {
  const code = sig[at];
  if (code === undefined) throw new DBusWireError("signature ends inside a type");
  if (BASIC_CODES.has(code)) return [{ kind: "basic", code: code as BasicCode }, at + 1];
  if (code === "v") return [{ kind: "variant" }, at + 1];
  if (code === "a") {
    if (arrays + 1 > MAX_ARRAY_DEPTH) throw new DBusWireError("arrays nested too deeply");
    if (sig[at + 1] === "{") {
      const [key, afterKey] = parseOne(sig, at + 2, arrays + 1, structs + 1);
      if (key.kind !== "basic") throw new DBusWireError("a dict key must be a basic type");
      const [value, afterValue] = parseOne(sig, afterKey, arrays + 1, structs + 1);
      if (sig[afterValue] !== "}") throw new DBusWireError("a dict entry has exactly two types");
      return [{ kind: "dict", key, value }, afterValue + 1];
    }
    const [element, next] = parseOne(sig, at + 1, arrays + 1, structs);
    return [{ kind: "array", element }, next];
  }
  if (code === "(") {
    if (structs + 1 > MAX_STRUCT_DEPTH) throw new DBusWireError("structs nested too deeply");
    const fields: DBusType[] = [];
    let next = at + 1;
    while (sig[next] !== ")") {
      if (next >= sig.length) throw new DBusWireError("a struct is not closed");
      const [field, after] = parseOne(sig, next, arrays, structs + 1);
      fields.push(field);
      next = after;
    }
    if (fields.length === 0) throw new DBusWireError("an empty struct");
    return [{ kind: "struct", fields }, next + 1];
  }
  throw new DBusWireError(`unsupported type code "${printable(code)}"`);
}

/** The alignment of a type on the wire, in bytes. */
export function alignmentOf(type: DBusType): number {
  switch (type.kind) {
    case "basic":
      return BASIC_ALIGNMENT[type.code];
    case "array":
    case "dict":
      return 4;
    case "struct":
      return 8;
    case "variant":
      return 1;
  }
}

const BASIC_ALIGNMENT: Record<BasicCode, number> = {
  y: 1,
  b: 4,
  n: 2,
  q: 2,
  i: 4,
  u: 4,
  x: 8,
  t: 8,
  d: 8,
  s: 4,
  o: 4,
  g: 1,
};

/** Writes a type tree back as its signature. */
export function signatureOf(type: DBusType): string {
  switch (type.kind) {
    case "basic":
      return type.code;
    case "variant":
      return "v";
    case "array":
      return `a${signatureOf(type.element)}`;
    case "dict":
      return `a{${signatureOf(type.key)}${signatureOf(type.value)}}`;
    case "struct":
      return `(${type.fields.map(signatureOf).join("")})`;
  }
}

/** A peer's text, safe to put in an error message (short, no control characters). */
export function printable(text: string): string {
  const clean = text.replace(/[^\x20-\x7e]/g, "?");
  return clean.length > 60 ? `${clean.slice(0, 60)}…` : clean;
}
