/** `/setup`: whether the platform still needs its first admin, and creating that admin. */
import { SessionResponseSchema, SetupRequestSchema, SetupStatusSchema } from "@heptora/protocol";
import { SESSION_COOKIE_SET, sessionCookie } from "../../http/cookies.ts";
import { isSecure, type OriginPolicy } from "../../http/origin.ts";
import { defineRoute, type Route } from "../../http/route.ts";
import type { SetupService } from "./setup.service.ts";

export function setupRoutes(setup: SetupService, origin: OriginPolicy): Route[] {
  return [
    defineRoute({
      method: "GET",
      url: "/setup",
      summary: "Whether the platform still needs its first administrator",
      tags: ["setup"],
      auth: "public",
      status: 200,
      response: SetupStatusSchema,
      async handler() {
        return { needed: await setup.needed() };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/setup",
      summary: "Create the organisation and its first administrator (signed in)",
      description:
        "Only while no administrator exists (409 `setup_already_done` after). Requires an " +
        "`Origin` header equal to the platform's own origin.",
      tags: ["setup"],
      auth: "public",
      sameOrigin: "required",
      body: SetupRequestSchema,
      status: 201,
      response: SessionResponseSchema,
      errors: ["setup_already_done", "email_taken", "weak_password"],
      issueCodes: { password: "weak_password" },
      responseHeaders: { "Set-Cookie": SESSION_COOKIE_SET },
      async handler({ body, meta, request, reply }) {
        const { token, body: answer } = await setup.setup(body, meta);
        reply.header("set-cookie", sessionCookie(token, isSecure(origin, request)));
        return answer;
      },
    }),
  ];
}
