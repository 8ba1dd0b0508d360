/**
 * How the CLI checks the daemon's answers. Loading zod and the protocol's schemas costs more than
 * the rest of a short command (docs/adr/0061), so the answers of the commands people and scripts
 * run most (`heptora status`, `heptora secrets get`) are checked against a small declarative shape
 * here, whose type is checked at compile time against the protocol's type; every other answer is
 * checked with the protocol's zod schema, loaded on first use.
 */
import type { LocalStatus, RevealedSecret } from "@heptora/protocol";
import type { z } from "zod";

/** Checks a parsed JSON body: the typed answer, or undefined when it does not fit. */
export type AnswerCheck<T> = (body: unknown) => T | undefined | Promise<T | undefined>;

type Leaf = "string" | "string|null" | "string[]" | "boolean" | "number" | "integer";
interface Shape {
  readonly [field: string]: Leaf | Shape;
}

type LeafType<L extends Leaf> = L extends "string"
  ? string
  : L extends "string|null"
    ? string | null
    : L extends "string[]"
      ? string[]
      : L extends "boolean"
        ? boolean
        : number;

export type ShapeType<S extends Shape> = {
  [K in keyof S]: S[K] extends Leaf ? LeafType<S[K]> : S[K] extends Shape ? ShapeType<S[K]> : never;
};

/** True when A and B are the same type (compile-time check of a shape against the protocol). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fits(value: unknown, kind: Leaf | Shape): boolean {
  switch (kind) {
    case "string":
      return typeof value === "string";
    case "string|null":
      return value === null || typeof value === "string";
    case "string[]":
      return Array.isArray(value) && value.every((item) => typeof item === "string");
    case "boolean":
      return typeof value === "boolean";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "integer":
      return Number.isSafeInteger(value);
    default:
      return isRecord(value) && Object.entries(kind).every(([key, k]) => fits(value[key], k));
  }
}

/** The fields of the shape only (extra fields are dropped, as the zod schemas do). */
function pick(value: Record<string, unknown>, shape: Shape): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, kind] of Object.entries(shape)) {
    const field = value[key];
    out[key] = typeof kind === "string" ? field : pick(field as Record<string, unknown>, kind);
  }
  return out;
}

/** An answer check from a shape. */
export function shapeCheck<S extends Shape>(shape: S): AnswerCheck<ShapeType<S>> {
  return (body) =>
    fits(body, shape) ? (pick(body as Record<string, unknown>, shape) as ShapeType<S>) : undefined;
}

type Protocol = typeof import("@heptora/protocol");

/** An answer check with a protocol schema, loading zod and the protocol on first use. */
export function schemaCheck<T>(schema: (protocol: Protocol) => z.ZodType<T>): AnswerCheck<T> {
  return async (body) => {
    const parsed = schema(await import("@heptora/protocol")).safeParse(body);
    return parsed.success ? parsed.data : undefined;
  };
}

const statusShape = {
  dataDir: "string",
  socketPath: "string",
  platformUrl: "string",
  platformWarning: "string|null",
  signedIn: "boolean",
  email: "string|null",
  signedOutReason: "string|null",
  signedOutCause: "string|null",
  robotId: "string|null",
  robotName: "string",
  version: "string",
  vaultId: "string",
  locked: "boolean",
  keyProtectionWarning: "string|null",
  integrity: { ok: "boolean", problems: "string[]" },
  sync: {
    lastSyncAt: "string|null",
    lastAttemptAt: "string|null",
    lastError: "string|null",
    nextSyncAt: "string|null",
    intervalSeconds: "number",
  },
  counts: { processes: "integer", declared: "integer", set: "integer", missing: "integer" },
  activeRuns: "integer",
} as const;

const revealedShape = {
  name: "string",
  value: "string",
  version: "integer",
  updatedAt: "string",
} as const;

/** `GET /v1/manage/status`. */
export const statusCheck: AnswerCheck<LocalStatus> = shapeCheck(statusShape);
/** `POST /v1/manage/secrets/{name}/reveal`. */
export const revealedCheck: AnswerCheck<RevealedSecret> = shapeCheck(revealedShape);

// The shapes describe exactly the protocol's types: a field added there fails the build here.
const statusMatches: Same<ShapeType<typeof statusShape>, LocalStatus> = true;
const revealedMatches: Same<ShapeType<typeof revealedShape>, RevealedSecret> = true;
void statusMatches;
void revealedMatches;
