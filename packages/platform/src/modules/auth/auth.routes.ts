/** `/auth/login`, `/auth/logout`, `/auth/session`. */
import { LoginRequestSchema, SESSION_COOKIE, SessionResponseSchema } from "@heptora/protocol";
import { clearedSessionCookie, SESSION_COOKIE_SET, sessionCookie } from "../../http/cookies.ts";
import { isSecure, type OriginPolicy } from "../../http/origin.ts";
import { defineRoute, type Route } from "../../http/route.ts";
import type { AuthService } from "./auth.service.ts";

export function authRoutes(auth: AuthService, origin: OriginPolicy): Route[] {
  return [
    defineRoute({
      method: "POST",
      url: "/auth/login",
      summary: "Sign in to the web app",
      description:
        "Sets the `heptora_session` cookie (HttpOnly, SameSite=Strict). Send the returned " +
        "`csrfToken` as `X-CSRF-Token` with every write. Wrong email and wrong password give the " +
        "same answer; repeated failures are throttled per account and per address (429).",
      tags: ["auth"],
      auth: "public",
      body: LoginRequestSchema,
      status: 200,
      response: SessionResponseSchema,
      errors: ["invalid_credentials", "account_deactivated", "too_many_attempts"],
      responseHeaders: { "Set-Cookie": SESSION_COOKIE_SET },
      async handler({ body, meta, request, reply }) {
        const { token, body: answer } = await auth.login(body.email, body.password, meta);
        reply.header("set-cookie", sessionCookie(token, isSecure(origin, request)));
        return answer;
      },
    }),
    defineRoute({
      method: "POST",
      url: "/auth/logout",
      summary: "Sign out (ends this web session)",
      tags: ["auth"],
      auth: "optional",
      status: 204,
      responseHeaders: {
        "Set-Cookie": `Clears the \`${SESSION_COOKIE}\` cookie (empty value, Max-Age=0).`,
      },
      async handler({ actor, meta, request, reply }) {
        if (actor !== undefined) await auth.logout(actor, meta);
        reply.header("set-cookie", clearedSessionCookie(isSecure(origin, request)));
        return undefined;
      },
    }),
    defineRoute({
      method: "GET",
      url: "/auth/session",
      summary: "The signed-in user and the session's CSRF token",
      tags: ["auth"],
      auth: "user",
      status: 200,
      response: SessionResponseSchema,
      async handler({ actor }) {
        return {
          user: { id: actor.id, email: actor.email, role: actor.role },
          csrfToken: actor.csrfToken,
        };
      },
    }),
  ];
}
