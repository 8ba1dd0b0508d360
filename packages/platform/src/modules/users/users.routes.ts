/** `/users`: admins list, create and change users, and end their sessions. */
import {
  CreateUserRequestSchema,
  IdSchema,
  UpdateUserRequestSchema,
  UserListResponseSchema,
  UserSchema,
} from "@heptora/protocol";
import { z } from "zod";
import { defineRoute, type Route } from "../../http/route.ts";
import type { UsersService } from "./users.service.ts";

const UserParams = z.object({ id: IdSchema });

export function usersRoutes(users: UsersService): Route[] {
  return [
    defineRoute({
      method: "GET",
      url: "/users",
      summary: "List the users of the organisation",
      tags: ["users"],
      auth: "admin",
      status: 200,
      response: UserListResponseSchema,
      async handler({ actor }) {
        return { users: await users.list(actor) };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/users",
      summary: "Create a user",
      description:
        "Without `password`, the user receives a mail with a link to choose one (valid 72 hours).",
      tags: ["users"],
      auth: "admin",
      body: CreateUserRequestSchema,
      status: 201,
      response: UserSchema,
      errors: ["email_taken", "weak_password"],
      issueCodes: { password: "weak_password" },
      async handler({ actor, body, meta }) {
        return users.create(actor, body, meta);
      },
    }),
    defineRoute({
      method: "PATCH",
      url: "/users/:id",
      summary: "Change a user's role or deactivate / reactivate them",
      description: "Deactivating ends the user's web sessions and signs out their robots.",
      tags: ["users"],
      auth: "admin",
      params: UserParams,
      body: UpdateUserRequestSchema,
      status: 200,
      response: UserSchema,
      errors: ["user_not_found", "last_admin"],
      async handler({ actor, params, body, meta }) {
        return users.update(actor, params.id, body, meta);
      },
    }),
    defineRoute({
      method: "DELETE",
      url: "/users/:id/sessions",
      summary: "End every web session of a user",
      tags: ["users"],
      auth: "admin",
      params: UserParams,
      status: 204,
      errors: ["user_not_found"],
      async handler({ actor, params, meta }) {
        await users.endSessions(actor, params.id, meta);
        return undefined;
      },
    }),
  ];
}
