/**
 * Building blocks shared by the platform API schemas: ids, timestamps, roles, variable names.
 * The fields the robot and the vault share too (email, password, description...) are in ../fields.ts.
 * Every string is bounded so that no request can smuggle megabytes into a field.
 */
import { z } from "zod";
import { SECRET_NAME_PATTERN, SecretNameSchema } from "../names.ts";

/** Opaque identifier (a UUID today; clients must not rely on its form). */
export const IdSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .meta({ description: "Opaque id (trimmed of surrounding whitespace; at most 64 characters)." });

/** ISO 8601 timestamp with an offset, e.g. `2025-01-31T09:30:00.000Z`. */
export const TimestampSchema = z.iso.datetime({ offset: true });

export const Role = { Admin: "admin", Member: "member" } as const;
export type Role = (typeof Role)[keyof typeof Role];
export const RoleSchema = z.enum([Role.Admin, Role.Member]);

/** A variable (secret) name as documented in the OpenAPI document. */
export const VariableNameSchema = SecretNameSchema.meta({
  pattern: SECRET_NAME_PATTERN.source,
  description: "Starts with a capital letter; only A-Z, 0-9 and _; at most 64 characters.",
  examples: ["SAP_PASSWORD"],
});

/** The `{ user }` shape returned with a session. */
export const SessionUserSchema = z.object({ id: IdSchema, email: z.string(), role: RoleSchema });
export type SessionUser = z.infer<typeof SessionUserSchema>;
