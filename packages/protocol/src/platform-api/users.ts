/** Users of the organisation (`/api/v1/users`). Admins manage them. */
import { z } from "zod";
import { EmailSchema, NewPasswordSchema } from "../fields.ts";
import { IdSchema, RoleSchema, TimestampSchema } from "./common.ts";
import { patchBody } from "./patch.ts";

/**
 * `invited`: created without a password and has not chosen one yet (the invitation mail's link
 * does that); `active`: can sign in; `deactivated`: an admin turned the account off.
 */
export const UserStatusSchema = z.enum(["invited", "active", "deactivated"]);
export type UserStatus = z.infer<typeof UserStatusSchema>;

export const UserSchema = z.object({
  id: IdSchema,
  email: z.string(),
  role: RoleSchema,
  active: z.boolean(),
  status: UserStatusSchema,
  createdAt: TimestampSchema,
});
export type User = z.infer<typeof UserSchema>;

/** Without `password` the user receives an email with a link to choose one. */
export const CreateUserRequestSchema = z.strictObject({
  email: EmailSchema,
  role: RoleSchema,
  password: NewPasswordSchema.optional(),
});
export type CreateUserRequest = z.infer<typeof CreateUserRequestSchema>;

/** Deactivating a user ends their web sessions and revokes their robots. */
export const UpdateUserRequestSchema = patchBody({
  role: RoleSchema.optional(),
  active: z.boolean().optional(),
});
export type UpdateUserRequest = z.infer<typeof UpdateUserRequestSchema>;

export const UserListResponseSchema = z.object({ users: z.array(UserSchema) });
export type UserListResponse = z.infer<typeof UserListResponseSchema>;
