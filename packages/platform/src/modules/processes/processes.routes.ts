/** `/processes`, their variables and assignees. */
import {
  AssigneesSchema,
  CreateProcessRequestSchema,
  CreateVariableRequestSchema,
  IdSchema,
  ProcessListResponseSchema,
  ProcessSchema,
  UpdateProcessRequestSchema,
  UpdateVariableRequestSchema,
  VariableSchema,
} from "@heptora/protocol";
import { z } from "zod";
import { defineRoute, type Route } from "../../http/route.ts";
import type { ProcessesService } from "./processes.service.ts";

const ProcessParams = z.object({ id: IdSchema });
const VariableParams = z.object({ id: IdSchema, name: z.string().trim().min(1).max(200) });

export function processesRoutes(processes: ProcessesService): Route[] {
  return [
    defineRoute({
      method: "GET",
      url: "/processes",
      summary: "List processes (admins: all; members: those assigned to them)",
      tags: ["processes"],
      auth: "user",
      status: 200,
      response: ProcessListResponseSchema,
      async handler({ actor }) {
        return { processes: await processes.list(actor) };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/processes",
      summary: "Create a process",
      tags: ["processes"],
      auth: "admin",
      body: CreateProcessRequestSchema,
      status: 201,
      response: ProcessSchema,
      errors: ["process_name_taken"],
      async handler({ actor, body, meta }) {
        return processes.create(actor, body, meta);
      },
    }),
    defineRoute({
      method: "GET",
      url: "/processes/:id",
      summary: "One process with its variables and assignees",
      tags: ["processes"],
      auth: "user",
      params: ProcessParams,
      status: 200,
      response: ProcessSchema,
      errors: ["process_not_found"],
      async handler({ actor, params }) {
        return processes.get(actor, params.id);
      },
    }),
    defineRoute({
      method: "PATCH",
      url: "/processes/:id",
      summary: "Rename or describe a process",
      tags: ["processes"],
      auth: "admin",
      params: ProcessParams,
      body: UpdateProcessRequestSchema,
      status: 200,
      response: ProcessSchema,
      errors: ["process_not_found", "process_name_taken"],
      async handler({ actor, params, body, meta }) {
        return processes.update(actor, params.id, body, meta);
      },
    }),
    defineRoute({
      method: "DELETE",
      url: "/processes/:id",
      summary: "Delete a process (robots drop it at their next sync)",
      tags: ["processes"],
      auth: "admin",
      params: ProcessParams,
      status: 204,
      errors: ["process_not_found"],
      async handler({ actor, params, meta }) {
        await processes.remove(actor, params.id, meta);
        return undefined;
      },
    }),
    defineRoute({
      method: "POST",
      url: "/processes/:id/variables",
      summary: "Declare a variable (a name, never a value)",
      description:
        "Names follow `^[A-Z][A-Z0-9_]{0,63}$`; a bad name is a 400 `invalid_secret_name` " +
        "whose message suggests the fixed name (unless the process already has a variable by " +
        "that name). `secret` defaults to true.",
      tags: ["processes"],
      auth: "admin",
      params: ProcessParams,
      body: CreateVariableRequestSchema,
      status: 201,
      response: VariableSchema,
      errors: ["process_not_found", "invalid_secret_name", "variable_name_taken"],
      refineBodyError: (error, { actor, params, body }) =>
        processes.refuseName(actor, params.id, error, body),
      async handler({ actor, params, body, meta }) {
        return processes.addVariable(actor, params.id, body, meta);
      },
    }),
    defineRoute({
      method: "PATCH",
      url: "/processes/:id/variables/:name",
      summary: "Rename a variable, change its secret flag or description",
      tags: ["processes"],
      auth: "admin",
      params: VariableParams,
      body: UpdateVariableRequestSchema,
      status: 200,
      response: VariableSchema,
      errors: [
        "process_not_found",
        "variable_not_found",
        "invalid_secret_name",
        "variable_name_taken",
      ],
      refineBodyError: (error, { actor, params, body }) =>
        processes.refuseName(actor, params.id, error, body),
      async handler({ actor, params, body, meta }) {
        return processes.updateVariable(actor, params.id, params.name, body, meta);
      },
    }),
    defineRoute({
      method: "DELETE",
      url: "/processes/:id/variables/:name",
      summary: "Remove a variable",
      tags: ["processes"],
      auth: "admin",
      params: VariableParams,
      status: 204,
      errors: ["process_not_found", "variable_not_found"],
      async handler({ actor, params, meta }) {
        await processes.removeVariable(actor, params.id, params.name, meta);
        return undefined;
      },
    }),
    defineRoute({
      method: "PUT",
      url: "/processes/:id/assignees",
      summary: "Replace the set of users the process is assigned to",
      tags: ["processes"],
      auth: "admin",
      params: ProcessParams,
      body: AssigneesSchema,
      status: 200,
      response: AssigneesSchema,
      errors: ["process_not_found", "users_not_found"],
      async handler({ actor, params, body, meta }) {
        return processes.setAssignees(actor, params.id, body.userIds, meta);
      },
    }),
  ];
}
