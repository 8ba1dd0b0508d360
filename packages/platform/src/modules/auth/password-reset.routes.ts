/** `/auth/password-reset` and `/auth/password-reset/confirm`. */
import { PasswordResetConfirmSchema, PasswordResetRequestSchema } from "@heptora/protocol";
import { defineRoute, type Route } from "../../http/route.ts";
import type { PasswordResetService } from "./password-reset.service.ts";

export function passwordResetRoutes(reset: PasswordResetService): Route[] {
  return [
    defineRoute({
      method: "POST",
      url: "/auth/password-reset",
      summary: "Mail a password reset link",
      description:
        "202 whether or not the email belongs to an account. The mail holds " +
        "`<public URL>/reset-password?token=<token>`; the token works once, for 30 minutes. " +
        "At most 3 mails per account per 30 minutes (more requests still answer 202). More than " +
        "10 requests from one client address in 15 minutes answer 429 `too_many_attempts` with " +
        "Retry-After, for known and unknown emails alike.",
      tags: ["auth"],
      auth: "public",
      body: PasswordResetRequestSchema,
      status: 202,
      errors: ["too_many_attempts"],
      async handler({ body, meta }) {
        await reset.request(body.email, meta);
        return undefined;
      },
    }),
    defineRoute({
      method: "POST",
      url: "/auth/password-reset/confirm",
      summary: "Set a new password with a reset token",
      description:
        "Ends every web session of the user and signs out all their robots: each robot's token " +
        "is refused from then on (401 `invalid_robot_token`, `details.reason` " +
        "`password_changed`) until the person signs in on it again with the new password.",
      tags: ["auth"],
      auth: "public",
      body: PasswordResetConfirmSchema,
      status: 204,
      errors: ["invalid_reset_token"],
      issueCodes: { password: "weak_password" },
      async handler({ body, meta }) {
        await reset.confirm(body.token, body.password, meta);
        return undefined;
      },
    }),
  ];
}
