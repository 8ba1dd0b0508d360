/**
 * The bounded fields every package shares: email, passwords, process name, description and
 * secret value, each with one schema and its bounds as constants. The platform's API, the robot's
 * local API, the vault's checks and the CLI use these, so one field has one limit everywhere.
 * (The secret name is in names.ts.) A message here says what is wrong, never what was sent.
 *
 * @example
 * EmailSchema.parse(" Ana@Example.com "); // "ana@example.com"
 * SecretValueSchema.safeParse("").success; // false: "The value is empty."
 */
import { z } from "zod";

/** RFC 5321's limit on a forward path. */
export const EMAIL_MAX_LENGTH = 254;
/** A chosen password's least length (OWASP ASVS 2.1.1). */
export const PASSWORD_MIN_LENGTH = 12;
/** Any password's greatest length: enough for a passphrase, too little to slow the hash down. */
export const PASSWORD_MAX_LENGTH = 1024;
export const PROCESS_NAME_MAX_LENGTH = 100;
export const DESCRIPTION_MAX_LENGTH = 1000;
/**
 * Largest secret value, in characters (UTF-16 code units, as JavaScript counts): a certificate or
 * a key file fits, a disk image does not. At most 3 bytes each in UTF-8, so 192 KiB stored.
 */
export const SECRET_VALUE_MAX_LENGTH = 64 * 1024;
/**
 * The fewest characters a value needs for `heptora run` to mask it safely (docs/adr/0075):
 * shorter ones are refused at `secrets set` unless the person allows it (`--allow-short`).
 */
export const SECRET_VALUE_MIN_MASKABLE = 4;

/** How the OpenAPI document describes a trimmed field: the limit is on what is stored. */
const TRIMMED = (max: number) =>
  `Trimmed of surrounding whitespace; at most ${max} characters after trimming (what is stored).`;

/** An email address, trimmed and lower-cased: emails are compared case-insensitively. */
export const EmailSchema = z
  .string({ error: "The email must be a string." })
  .trim()
  .toLowerCase()
  .max(EMAIL_MAX_LENGTH, {
    error: `The email address is too long (at most ${EMAIL_MAX_LENGTH} characters).`,
  })
  // A check on the string (not a pipe), so the OpenAPI request schemas keep `format: email`.
  .email({ error: "Enter a valid email address, like ana@example.com." })
  .meta({ description: `${TRIMMED(EMAIL_MAX_LENGTH)} Lower-cased.` });

/** A password being checked (sign-in): any non-empty string up to the bound, never trimmed. */
export const PasswordSchema = z
  .string({ error: "The password must be a string." })
  .min(1, { error: "The password is empty." })
  .max(PASSWORD_MAX_LENGTH, {
    error: `The password is too long (at most ${PASSWORD_MAX_LENGTH} characters).`,
  });

/** A password being chosen (setup, new user, reset): long enough to resist guessing. */
export const NewPasswordSchema = z
  .string({ error: "The password must be a string." })
  .min(PASSWORD_MIN_LENGTH, {
    error: `The password must have at least ${PASSWORD_MIN_LENGTH} characters.`,
  })
  .max(PASSWORD_MAX_LENGTH, {
    error: `The password must have at most ${PASSWORD_MAX_LENGTH} characters.`,
  });

/**
 * Characters a name shown to people must not hold (ADR 0069): control characters (C0, DEL, C1;
 * a newline or an escape garbles a table or a terminal), bidi embeddings, overrides, isolates and
 * marks (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C: they reorder what is shown, so
 * "Invoice\u202Eexe.fdp" reads as another name) and zero-width characters (U+200B-U+200D,
 * U+2060, U+FEFF: two names that look the same). Written with the characters themselves, not
 * `\p{...}` or `\uXXXX` escapes, so the pattern published in the OpenAPI document compiles in
 * Python, Java and Go as in JavaScript.
 */
export const UNSAFE_NAME_CHARACTERS =
  "\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff";

/** Control characters but tab, line feed and carriage return: what multi-line text refuses. */
export const UNSAFE_TEXT_CHARACTERS = "\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f";

const SAFE_NAME = new RegExp(`^[^${UNSAFE_NAME_CHARACTERS}]*$`);
const SAFE_TEXT = new RegExp(`^[^${UNSAFE_TEXT_CHARACTERS}]*$`);
const UNSAFE_NAME_GLOBAL = new RegExp(`[${UNSAFE_NAME_CHARACTERS}]`, "g");

/** Whether `text` is free of the characters a name must not hold. */
export function isSafeName(text: string): boolean {
  return SAFE_NAME.test(text);
}

/**
 * `text` without the characters a name must not hold, e.g. a host name made into a robot name.
 *
 * @example
 * withoutUnsafeNameCharacters("build\u200b-01\n"); // "build-01"
 */
export function withoutUnsafeNameCharacters(text: string): string {
  return text.replace(UNSAFE_NAME_GLOBAL, "");
}

/** The message for a name holding one of those characters. */
function unsafeNameMessage(what: string): string {
  return `The ${what} cannot contain control characters, invisible (zero-width) characters or text-direction marks.`;
}

/**
 * A one-line name shown to people (a process, an organisation, a robot): trimmed, non-empty,
 * bounded, and free of the characters above.
 *
 * @example
 * DisplayNameSchema("robot name", 100).parse(" build-01 "); // "build-01"
 */
export function DisplayNameSchema(what: string, max: number) {
  return z
    .string({ error: `The ${what} must be a string.` })
    .trim()
    .min(1, { error: `Enter the ${what}.` })
    .max(max, { error: `The ${what} is too long (at most ${max} characters).` })
    .regex(SAFE_NAME, { error: unsafeNameMessage(what) })
    .meta({ description: TRIMMED(max) });
}

/**
 * A process name, as an admin creates it on the platform and as users type it to the robot
 * ("Invoice Processing"; the robot also accepts a process id in its place, which fits).
 */
export const ProcessNameSchema = z
  .string({ error: "The process name must be a string." })
  .trim()
  .min(1, { error: "Enter a process name." })
  .max(PROCESS_NAME_MAX_LENGTH, {
    error: `The process name is too long (at most ${PROCESS_NAME_MAX_LENGTH} characters).`,
  })
  .regex(SAFE_NAME, { error: unsafeNameMessage("process name") })
  .meta({ description: TRIMMED(PROCESS_NAME_MAX_LENGTH) });

/**
 * Free text shown to people: a process's or a variable's description. May be empty, may have
 * several lines (the web app edits it in a text area): tab and line breaks are fine, other
 * control characters are not.
 */
export const DescriptionSchema = z
  .string({ error: "The description must be a string." })
  .trim()
  .max(DESCRIPTION_MAX_LENGTH, {
    error: `The description is too long (at most ${DESCRIPTION_MAX_LENGTH} characters).`,
  })
  .regex(SAFE_TEXT, {
    error: "The description cannot contain control characters (tab and line breaks are fine).",
  })
  .meta({ description: TRIMMED(DESCRIPTION_MAX_LENGTH) });

/**
 * A secret value as a user enters it. Never trimmed (spaces may matter in a password), never
 * echoed in an error message.
 */
export const SecretValueSchema = z
  .string({ error: "The value must be a string." })
  .min(1, { error: "The value is empty." })
  .max(SECRET_VALUE_MAX_LENGTH, {
    error: `The value is too long (at most ${SECRET_VALUE_MAX_LENGTH} characters).`,
  });
