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

/** Control characters (a newline, an escape) would garble a table or a terminal. */
const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;

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
  .regex(NO_CONTROL_CHARACTERS, { error: "The process name cannot contain control characters." })
  .meta({ description: TRIMMED(PROCESS_NAME_MAX_LENGTH) });

/** Free text shown to people: a process's or a variable's description. May be empty. */
export const DescriptionSchema = z
  .string({ error: "The description must be a string." })
  .trim()
  .max(DESCRIPTION_MAX_LENGTH, {
    error: `The description is too long (at most ${DESCRIPTION_MAX_LENGTH} characters).`,
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
