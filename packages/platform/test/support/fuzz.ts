/**
 * The pieces of the OpenAPI fuzzer (test/http/openapi-fuzz.test.ts): a seeded random source,
 * values generated from a JSON Schema of the served document (valid ones), and the ways to spoil
 * them (invalid ones). Nothing here knows the platform's routes: everything comes from the
 * document, so a route added to it is fuzzed without a change here. See docs/adr/0070.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonSchema = { [key: string]: unknown };

/** mulberry32: small, fast, and the same sequence for the same seed on every platform. */
export class Random {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  /** In [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  }
}

/** Odd strings: what a careless or hostile client sends (control, bidi, zero-width, lone surrogate...). */
export const ODD_STRINGS: readonly string[] = [
  "",
  " ",
  "   padded   ",
  "\u0000",
  "a\u0000b",
  "line\nbreak",
  "\u001b[31mred\u001b[0m",
  "\u202eevil\u202c",
  "zero\u200bwidth",
  "\ufeffbom",
  "emoji 😀🚀",
  "\ud83d",
  "Ünïcødé façade",
  "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
  "x".repeat(65),
  "x".repeat(257),
  "y".repeat(5000),
  "../../etc/passwd",
  "'; DROP TABLE users; --",
  "<script>alert(1)</script>",
  "%00",
  "%2e%2e%2f",
  "__proto__",
  "constructor",
  "null",
  "0",
  "-1",
  "1e309",
  "SAP_PASSWORD",
  "sap password",
];

export const ODD_VALUES: readonly Json[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  Number.MAX_SAFE_INTEGER,
  [],
  [null],
  {},
  { a: 1 },
  ...ODD_STRINGS.slice(0, 12),
];

/** Resolves `#/components/...` references against the document. */
export function resolver(doc: JsonSchema): (schema: JsonSchema) => JsonSchema {
  return function resolve(schema) {
    const ref = schema.$ref;
    if (typeof ref !== "string") return schema;
    let node: unknown = doc;
    for (const part of ref.replace(/^#\//, "").split("/")) {
      node = (node as Record<string, unknown>)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
    }
    return resolve(node as JsonSchema);
  };
}

/** Values the test knows exist (ids, names), offered where a property's name asks for one. */
export interface Pools {
  readonly ids: (property: string) => readonly string[];
}

const SECRET_NAME_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
const TEXT_CHARS = "abcdefghijklmnopqrstuvwxyz ABCDEFXYZ0123456789-_.éü";

function text(random: Random, min: number, max: number, chars = TEXT_CHARS): string {
  const length = random.int(min, Math.min(max, min + 24));
  let out = "";
  for (let i = 0; i < length; i++) out += chars[random.int(0, chars.length - 1)];
  // Fields are trimmed before they are checked (the document says so): no blank edges.
  return out.replace(/^ | $/g, "x");
}

/** A string for a pattern this document uses; undefined when the pattern is not a known one. */
function forPattern(random: Random, pattern: string, max: number): string | undefined {
  if (pattern.startsWith("^[A-Z][A-Z0-9_]")) {
    return (
      random.pick([..."ABCDEFGHIJKLMNOPQRSTUVWXYZ"]) +
      text(random, 0, Math.min(max, 20) - 1, SECRET_NAME_CHARS)
    );
  }
  if (pattern.startsWith("^[0-9]")) return String(random.int(0, 10_000));
  return undefined;
}

function validString(random: Random, schema: JsonSchema, property: string, pools: Pools): string {
  const min = typeof schema.minLength === "number" ? schema.minLength : 0;
  const max = typeof schema.maxLength === "number" ? schema.maxLength : 40;
  const known = pools.ids(property);
  if (known.length > 0 && random.chance(0.8)) return random.pick(known);
  if (schema.format === "email") return `fuzz${random.int(0, 99_999)}@example.com`;
  if (schema.format === "date-time") {
    return new Date(
      Date.UTC(2025, random.int(0, 11), random.int(1, 28), random.int(0, 23)),
    ).toISOString();
  }
  if (typeof schema.pattern === "string") {
    const fitting = forPattern(random, schema.pattern, max);
    if (fitting !== undefined) return fitting;
  }
  return text(random, Math.max(min, 1), max);
}

/** A value that the schema accepts (the caller checks it with the document's own schema). */
export function generateValid(
  random: Random,
  schema: JsonSchema,
  resolve: (schema: JsonSchema) => JsonSchema,
  pools: Pools,
  property = "",
  depth = 0,
): Json {
  const s = resolve(schema);
  if ("const" in s) return s.const as Json;
  if (Array.isArray(s.enum)) return random.pick(s.enum as Json[]);
  const union = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(union)) {
    return generateValid(random, random.pick(union), resolve, pools, property, depth);
  }
  const type = Array.isArray(s.type) ? random.pick(s.type as string[]) : s.type;
  switch (type) {
    case "object": {
      const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
      const required = new Set((s.required ?? []) as string[]);
      const out: { [key: string]: Json } = {};
      for (const [name, sub] of Object.entries(properties)) {
        if (required.has(name) || random.chance(0.6)) {
          out[name] = generateValid(random, sub, resolve, pools, name, depth + 1);
        }
      }
      const least = typeof s.minProperties === "number" ? s.minProperties : 0;
      const names = Object.keys(properties);
      while (Object.keys(out).length < least && names.length > 0) {
        const name = random.pick(names);
        out[name] = generateValid(random, properties[name] ?? {}, resolve, pools, name, depth + 1);
      }
      return out;
    }
    case "array": {
      const min = typeof s.minItems === "number" ? s.minItems : 0;
      const max = Math.min(typeof s.maxItems === "number" ? s.maxItems : 4, min + 4);
      const items = (s.items ?? {}) as JsonSchema;
      return Array.from({ length: random.int(min, depth > 3 ? min : max) }, () =>
        generateValid(random, items, resolve, pools, property, depth + 1),
      );
    }
    case "string":
      return validString(random, s, property, pools);
    case "boolean":
      return random.chance(0.5);
    case "integer":
    case "number": {
      const min = typeof s.minimum === "number" ? s.minimum : 0;
      const max = typeof s.maximum === "number" ? s.maximum : min + 1000;
      return random.int(min, max);
    }
    case "null":
      return null;
    default:
      return random.pick(["x", 1, true]);
  }
}

/** A copy of `value` with one thing spoiled: a wrong type, a missing or extra field, an odd string. */
export function spoil(
  random: Random,
  value: Json,
  schema: JsonSchema,
  resolve: (s: JsonSchema) => JsonSchema,
): Json {
  const s = resolve(schema);
  const isObject = value !== null && typeof value === "object" && !Array.isArray(value);
  const choice = random.int(0, 7);
  if (isObject) {
    const object = { ...(value as { [key: string]: Json }) };
    const keys = Object.keys(object);
    const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
    switch (choice) {
      case 0: {
        const required = (s.required ?? []) as string[];
        if (required.length > 0) delete object[random.pick(required)];
        else object[random.pick(["value", "extra", "__proto__x", "Name"])] = "unexpected";
        return object;
      }
      case 1:
        object[random.pick(["value", "extra", "password2", "id", "constructor", "userId"])] =
          random.pick(ODD_VALUES);
        return object;
      case 2:
      case 3:
      case 4: {
        const names = keys.length > 0 ? keys : Object.keys(properties);
        if (names.length === 0) return random.pick(ODD_VALUES);
        const name = random.pick(names);
        object[name] = spoil(random, object[name] ?? null, properties[name] ?? {}, resolve);
        return object;
      }
      case 5:
        return {};
      default:
        return random.pick(ODD_VALUES);
    }
  }
  if (Array.isArray(value)) {
    const items = (s.items ?? {}) as JsonSchema;
    if (choice < 3 && value.length > 0) {
      const copy = [...value];
      const at = random.int(0, copy.length - 1);
      copy[at] = spoil(random, copy[at] ?? null, items, resolve);
      return copy;
    }
    if (choice < 5) return [...value, random.pick(ODD_VALUES)];
    if (choice < 6 && typeof s.maxItems === "number" && s.maxItems <= 20_000) {
      return Array.from({ length: s.maxItems + 1 }, () => (value[0] ?? "x") as Json);
    }
    return random.pick(ODD_VALUES);
  }
  if (typeof value === "string" && choice < 6) return random.pick(ODD_STRINGS);
  return random.pick(ODD_VALUES);
}
