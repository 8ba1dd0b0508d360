/** `GET /audit`: the platform audit log, newest first, for admins. */
import { AuditListResponseSchema, AuditQuerySchema } from "@heptora/protocol";
import { defineRoute, type Route } from "../../http/route.ts";
import type { AuditService } from "./audit.service.ts";

export function auditRoutes(audit: AuditService): Route[] {
  return [
    defineRoute({
      method: "GET",
      url: "/audit",
      summary: "The platform audit log, newest first",
      description:
        "Sign-ins (ok, failed, throttled), and changes to processes, variables, assignments, " +
        "users and robots. Filter with the query; page with `before` = the previous `nextBefore`.",
      tags: ["audit"],
      auth: "admin",
      query: AuditQuerySchema,
      status: 200,
      response: AuditListResponseSchema,
      async handler({ query }) {
        return audit.list(query);
      },
    }),
  ];
}
