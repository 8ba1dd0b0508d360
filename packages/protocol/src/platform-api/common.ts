/**
 * Building blocks shared by the platform API schemas: ids, emails, passwords, timestamps.
 * Every string is bounded so that no request can smuggle megabytes into a field.
 */
import { z } from "zod";
import { SECRET_NAME_PATTERN, SecretNameSchema } from "../names.ts";

/** Opaque identifier (a UUID today; clients must not rely on its form). */
export const IdSchema = z.string().trim().min(1).max(64).meta({ description: "Opaque id." });

/** ISO 8601 timestamp with an offset, e.g. `2025-01-31T09:30:00.000Z`. */
export const TimestampSchema = z.iso.datetime({ offset: true });

/** An email address, trimmed and lower-cased: emails are compared case-insensitively. */
export const EmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, { message: "The email address is too long (at most 254 characters)." })
  .email({ message: "Enter a valid email address, like ana@example.com." });

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;

/** A password being chosen: long enough to resist guessing (OWASP ASVS 2.1.1). */
export const NewPasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, {
    message: `The password must have at least ${PASSWORD_MIN_LENGTH} characters.`,
  })
  .max(PASSWORD_MAX_LENGTH, {
    message: `The password must have at most ${PASSWORD_MAX_LENGTH} characters.`,
  });

/** A password being checked: any non-empty string up to the bound, never trimmed. */
export const PasswordSchema = z.string().min(1).max(PASSWORD_MAX_LENGTH);

export const Role = { Admin: "admin", Member: "member" } as const;
export type Role = (typeof Role)[keyof typeof Role];
export const RoleSchema = z.enum([Role.Admin, Role.Member]);

/** A variable (secret) name as documented in the OpenAPI document. */
export const VariableNameSchema = SecretNameSchema.meta({
  pattern: SECRET_NAME_PATTERN.source,
  description: "Starts with a capital letter; only A-Z, 0-9 and _; at most 64 characters.",
  examples: ["SAP_PASSWORD"],
});

/** Free text shown to people (descriptions). */
export const DescriptionSchema = z
  .string()
  .trim()
  .max(1000, { message: "The description is too long (at most 1000 characters)." });

/** The `{ user }` shape returned with a session. */
export const SessionUserSchema = z.object({ id: IdSchema, email: z.string(), role: RoleSchema });
export type SessionUser = z.infer<typeof SessionUserSchema>;
