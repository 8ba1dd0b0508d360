/**
 * Bounded field schemas shared by the robot-api messages. Every string has a maximum, so a
 * hostile client cannot make the robot parse megabytes into one field.
 */
import { z } from "zod";

/** Largest secret value, in characters (a certificate or a key file fits, a disk image does not). */
export const SECRET_VALUE_MAX_LENGTH = 64 * 1024;

/**
 * A secret value as a user enters it. Never trimmed (spaces may matter in a password), never
 * echoed in an error message: the issue messages below say what is wrong, not what was sent.
 */
export const SecretValueSchema = z
  .string({ error: "The value must be a string." })
  .min(1, { error: "The value is empty." })
  .max(SECRET_VALUE_MAX_LENGTH, {
    error: `The value is too long (at most ${SECRET_VALUE_MAX_LENGTH} characters).`,
  });

/** A process name as users type it on the command line ("Invoice Processing"). */
export const ProcessNameSchema = z
  .string()
  .trim()
  .min(1, { error: "The process name is empty." })
  .max(200, { error: "The process name is too long (at most 200 characters)." });

/** An ISO-8601 timestamp as the robot writes it. */
export const TimestampSchema = z.string().max(40);

/** An opaque id (process, robot, run). */
export const OpaqueIdSchema = z.string().min(1).max(200);

export const EmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, { error: "The email is too long." })
  .pipe(z.email({ error: "The email is not valid." }));

export const PasswordSchema = z
  .string()
  .min(1, { error: "The password is empty." })
  .max(1024, { error: "The password is too long." });
