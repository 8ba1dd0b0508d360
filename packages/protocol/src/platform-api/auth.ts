/**
 * Sign-in, session, password reset and first-run setup (`/api/v1/auth/*`, `/api/v1/setup`).
 *
 * @example
 * const body = LoginRequestSchema.parse({ email: "ana@example.com", password: "..." });
 */
import { z } from "zod";
import { DisplayNameSchema, EmailSchema, NewPasswordSchema, PasswordSchema } from "../fields.ts";
import { SessionUserSchema } from "./common.ts";

export const LoginRequestSchema = z.strictObject({ email: EmailSchema, password: PasswordSchema });
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

/** Answer of login, setup and `GET /auth/session`. Send `csrfToken` as `X-CSRF-Token`. */
export const SessionResponseSchema = z.object({
  user: SessionUserSchema,
  csrfToken: z.string(),
});
export type SessionResponse = z.infer<typeof SessionResponseSchema>;

export const PasswordResetRequestSchema = z.strictObject({ email: EmailSchema });
export type PasswordResetRequest = z.infer<typeof PasswordResetRequestSchema>;

export const PasswordResetConfirmSchema = z.strictObject({
  token: z.string().trim().min(1).max(200),
  password: NewPasswordSchema,
});
export type PasswordResetConfirm = z.infer<typeof PasswordResetConfirmSchema>;

export const OrganizationNameSchema = DisplayNameSchema("organisation name", 100);

export const SetupStatusSchema = z.object({
  needed: z.boolean().meta({ description: "True while the platform has no administrator." }),
});
export type SetupStatus = z.infer<typeof SetupStatusSchema>;

export const SetupRequestSchema = z.strictObject({
  email: EmailSchema,
  password: NewPasswordSchema,
  organization: OrganizationNameSchema,
});
export type SetupRequest = z.infer<typeof SetupRequestSchema>;
