/**
 * Checks on every input of the facade. Bad input throws a HeptoraError and changes nothing;
 * messages quote names and keys, never a value.
 */
import {
  DESCRIPTION_MAX_LENGTH,
  HeptoraError,
  invalidSecretName,
  PROCESS_NAME_MAX_LENGTH,
  SECRET_VALUE_MAX_LENGTH,
  SecretNameSchema,
} from "@heptora/protocol";
import type { AuditEventInput, CachedProcess, DefinitionsSync } from "./types.ts";

export const MAX_SETTING_VALUE_BYTES = 64 * 1024;

function invalid(message: string, hint?: string): HeptoraError {
  return new HeptoraError(
    "validation_failed",
    hint === undefined ? { message } : { message, hint },
  );
}

/** The name, trimmed, or `invalid_secret_name` with the suggested fix. */
export function checkSecretName(name: unknown): string {
  const parsed = SecretNameSchema.safeParse(name);
  if (parsed.success) return parsed.data;
  throw invalidSecretName(name);
}

/**
 * The person a value belongs to (docs/adr/0066): the signed-in email, trimmed and lower-cased,
 * so "Ana@Example.com " and "ana@example.com" are one person.
 */
export function normalisePerson(person: unknown): string {
  if (typeof person !== "string") throw invalid("A value belongs to a person: pass their email.");
  const out = person.trim().toLowerCase();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are refused
  if (out.length === 0 || out.length > 320 || /[\u0000-\u001f\u007f\s]/.test(out)) {
    throw invalid("A person is an email address of 1 to 320 characters, without spaces.");
  }
  return out;
}

export function checkSecretValue(value: unknown): string {
  if (typeof value !== "string") throw invalid("A secret value must be a string.");
  // The protocol's bound (SecretValueSchema's); the vault allows an empty value.
  if (value.length > SECRET_VALUE_MAX_LENGTH) {
    throw invalid(`The value is too long (at most ${SECRET_VALUE_MAX_LENGTH} characters).`);
  }
  return value;
}

const SETTING_KEY = /^[A-Za-z][A-Za-z0-9._-]{0,99}$/;

export function checkSettingKey(key: unknown): string {
  if (typeof key !== "string" || !SETTING_KEY.test(key)) {
    throw invalid(
      `'${String(key).slice(0, 100)}' is not a valid setting key.`,
      "Use letters, digits, '.', '_' and '-', starting with a letter (at most 100).",
    );
  }
  return key;
}

export function checkSettingValue(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== "string") throw invalid("A setting value must be a string or null.");
  if (Buffer.byteLength(value, "utf8") > MAX_SETTING_VALUE_BYTES) {
    throw invalid("The setting value is too large (at most 64 KiB).");
  }
  return value;
}

export function checkVersion(version: unknown): number {
  if (typeof version !== "number" || !Number.isSafeInteger(version) || version < 1) {
    throw invalid("A version is a whole number from 1.");
  }
  return version;
}

function boundedString(value: unknown, field: string, max: number, allowEmpty = true): string {
  if (typeof value !== "string") throw invalid(`${field} must be a string.`);
  if (value.length > max) throw invalid(`${field} is too long (at most ${max} characters).`);
  if (!allowEmpty && value.length === 0) throw invalid(`${field} must not be empty.`);
  return value;
}

function optionalString(value: unknown, field: string, max: number): string | undefined {
  return value === undefined ? undefined : boundedString(value, field, max);
}

const AUDIT_TYPE = /^[a-z][a-z0-9_.-]{0,63}$/;
const DETAIL_KEY = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
/**
 * Detail keys that would invite a caller to log a value. The vault never writes values into the
 * log itself; this guard keeps a caller from doing it by accident.
 */
const VALUE_LIKE_KEY =
  /^(value|values|plaintext|password|passphrase|secret|secret[_.-]?value|token|api[_.-]?key|key|private[_.-]?key|recovery[_.-]?key)$/i;
const OUTCOMES = new Set(["ok", "denied", "failed"]);

/** A copy of the event with only known fields, each bounded. */
export function checkAuditEvent(event: unknown): AuditEventInput {
  if (typeof event !== "object" || event === null) throw invalid("An audit event is an object.");
  const e = event as Record<string, unknown>;
  const type = boundedString(e.type, "The audit event type", 64, false);
  if (!AUDIT_TYPE.test(type)) {
    throw invalid(`'${type}' is not a valid audit event type.`, "Use e.g. 'secret.read'.");
  }
  const out: AuditEventInput = { type };
  const name = optionalString(e.name, "The audit name", 200);
  if (name !== undefined) out.name = name;
  const process = optionalString(e.process, "The audit process", 200);
  if (process !== undefined) out.process = process;
  const actor = optionalString(e.actor, "The audit actor", 200);
  if (actor !== undefined) out.actor = actor;
  const person = optionalString(e.person, "The audit person", 320);
  if (person !== undefined) out.person = person;
  if (e.outcome !== undefined) {
    if (typeof e.outcome !== "string" || !OUTCOMES.has(e.outcome)) {
      throw invalid("The audit outcome is one of ok, denied, failed.");
    }
    out.outcome = e.outcome as "ok" | "denied" | "failed";
  }
  const reason = optionalString(e.reason, "The audit reason", 500);
  if (reason !== undefined) out.reason = reason;
  if (e.details !== undefined) out.details = checkDetails(e.details);
  return out;
}

function checkDetails(details: unknown): Record<string, string | number | boolean> {
  if (typeof details !== "object" || details === null || Array.isArray(details)) {
    throw invalid("Audit details are an object.");
  }
  const entries = Object.entries(details);
  if (entries.length > 32) throw invalid("Audit details hold at most 32 fields.");
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of entries) {
    if (!DETAIL_KEY.test(key)) throw invalid(`'${key.slice(0, 64)}' is not a valid detail key.`);
    if (VALUE_LIKE_KEY.test(key)) {
      throw invalid(
        `The audit detail '${key}' looks like it carries a value; the audit log holds names only.`,
      );
    }
    if (typeof value === "string") out[key] = boundedString(value, `Detail '${key}'`, 500);
    else if (typeof value === "boolean") out[key] = value;
    else if (typeof value === "number" && Number.isFinite(value)) out[key] = value;
    else throw invalid(`Detail '${key}' must be a string, a finite number or a boolean.`);
  }
  return out;
}

function checkProcess(value: unknown): CachedProcess {
  if (typeof value !== "object" || value === null) throw invalid("A process is an object.");
  const p = value as Record<string, unknown>;
  if (!Array.isArray(p.variables)) throw invalid("A process's variables are a list.");
  if (p.variables.length > 1000) throw invalid("A process has at most 1000 variables.");
  const variables = p.variables.map((v: unknown) => {
    if (typeof v !== "object" || v === null) throw invalid("A variable is an object.");
    const r = v as Record<string, unknown>;
    if (typeof r.secret !== "boolean") throw invalid("A variable's 'secret' is a boolean.");
    return {
      ...(r.id === undefined ? {} : { id: boundedString(r.id, "A variable id", 200, false) }),
      name: checkSecretName(r.name),
      secret: r.secret,
      description: boundedString(
        r.description ?? "",
        "A variable description",
        DESCRIPTION_MAX_LENGTH,
      ),
    };
  });
  return {
    id: boundedString(p.id, "A process id", 200, false),
    name: boundedString(p.name, "A process name", PROCESS_NAME_MAX_LENGTH, false),
    description: boundedString(
      p.description ?? "",
      "A process description",
      DESCRIPTION_MAX_LENGTH,
    ),
    variables,
  };
}

export function checkDefinitionsSync(sync: unknown): DefinitionsSync {
  if (typeof sync !== "object" || sync === null) throw invalid("A sync is an object.");
  const s = sync as Record<string, unknown>;
  if (typeof s.full !== "boolean") throw invalid("A sync's 'full' is a boolean.");
  if (!Array.isArray(s.processes) || !Array.isArray(s.removedProcessIds)) {
    throw invalid("A sync has 'processes' and 'removedProcessIds' lists.");
  }
  if (s.processes.length > 10_000) throw invalid("A sync holds at most 10000 processes.");
  return {
    cursor: boundedString(s.cursor, "The sync cursor", 1000),
    full: s.full,
    processes: s.processes.map(checkProcess),
    removedProcessIds: s.removedProcessIds.map((id: unknown) =>
      boundedString(id, "A removed process id", 200, false),
    ),
  };
}
