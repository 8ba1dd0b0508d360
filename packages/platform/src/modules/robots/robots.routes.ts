/**
 * The robot API (`/robot/*`, bearer token from `/robot/login`) and the robots seen by people
 * (`/robots`).
 */
import {
  DefinitionsQuerySchema,
  DefinitionsResponseSchema,
  IdSchema,
  RobotDetailSchema,
  RobotListResponseSchema,
  RobotLoginRequestSchema,
  RobotLoginResponseSchema,
  RobotStatusRequestSchema,
} from "@heptora/protocol";
import { z } from "zod";
import { defineRoute, type Route } from "../../http/route.ts";
import type { DefinitionsService } from "../definitions/definitions.service.ts";
import type { RobotsService } from "./robots.service.ts";

const RobotParams = z.object({ id: IdSchema });

export function robotsRoutes(robots: RobotsService, definitions: DefinitionsService): Route[] {
  return [
    defineRoute({
      method: "POST",
      url: "/robot/login",
      summary: "Robot sign-in with the user's email and password",
      description:
        "Returns a bearer token for the robot API. One robot per `machineId` in the " +
        "organisation, shared by the people who sign in on it: signing in again from the same " +
        "machine keeps the robot id, makes the person signing in its owner and replaces its " +
        "token (the previous one stops working). Throttled like the web sign-in.",
      tags: ["robot"],
      auth: "public",
      body: RobotLoginRequestSchema,
      status: 200,
      response: RobotLoginResponseSchema,
      errors: ["invalid_credentials", "account_deactivated", "too_many_attempts"],
      async handler({ body, meta }) {
        return robots.login(body, meta);
      },
    }),
    defineRoute({
      method: "GET",
      url: "/robot/definitions",
      summary: "Definitions of the processes assigned to the robot's user",
      description:
        "Without `cursor` (or with one this platform does not know) the answer has `full: true` " +
        "and every assigned process: replace the cache. With a cursor, `processes` holds the " +
        "processes added or changed since (each complete) and `removed.processes` the ids to " +
        "drop. Keep the returned `cursor` for the next call. Also marks the robot as seen.",
      tags: ["robot"],
      auth: "robot",
      query: DefinitionsQuerySchema,
      status: 200,
      response: DefinitionsResponseSchema,
      async handler({ actor, query }) {
        return definitions.sync(actor.userId, query.cursor);
      },
    }),
    defineRoute({
      method: "POST",
      url: "/robot/status",
      summary: "Report which secret names are set on this robot (never values)",
      description:
        "Covers the values of the person signed in on the robot (the token's owner, never a " +
        "field of the body) and replaces that person's previous report from this robot; other " +
        "people's reports stay. Strict: any field besides `name`, `set` and `updatedAt` (for " +
        "example `value` or `user`) is a 400 and nothing is stored. With `audit`, the robot's " +
        "audit checkpoint (docs/adr/0074) is compared with its last one: a log that went " +
        "backwards flags the robot in `GET /robots` (`auditLog.wentBackwards`).",
      tags: ["robot"],
      auth: "robot",
      body: RobotStatusRequestSchema,
      status: 204,
      async handler({ actor, body, meta }) {
        await robots.reportStatus(actor, body.secrets, body.audit, meta);
        return undefined;
      },
    }),
    defineRoute({
      method: "POST",
      url: "/robot/logout",
      summary: "Robot sign-out: its token stops working",
      tags: ["robot"],
      auth: "robot",
      status: 204,
      async handler({ actor, meta }) {
        await robots.logout(actor, meta);
        return undefined;
      },
    }),
    defineRoute({
      method: "GET",
      url: "/robots",
      summary: "List robots (admins: all; members: their own)",
      description:
        "`secrets` is the current owner's last report; `coverage` has the last report of each " +
        "person who signed in on the robot (admins: everyone's; members: their own).",
      tags: ["robots"],
      auth: "user",
      status: 200,
      response: RobotListResponseSchema,
      async handler({ actor }) {
        return { robots: await robots.list(actor) };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/robots/:id",
      summary: "One robot, with the set / missing state of its owner's process variables",
      tags: ["robots"],
      auth: "user",
      params: RobotParams,
      status: 200,
      response: RobotDetailSchema,
      errors: ["robot_not_found"],
      async handler({ actor, params }) {
        return robots.get(actor, params.id);
      },
    }),
    defineRoute({
      method: "DELETE",
      url: "/robots/:id",
      summary: "Revoke a robot (admins: any; members: their own)",
      description:
        "Its token is refused (401 `invalid_robot_token`, `details.reason` `revoked`) from the next request on.",
      tags: ["robots"],
      auth: "user",
      params: RobotParams,
      status: 204,
      errors: ["robot_not_found"],
      async handler({ actor, params, meta }) {
        await robots.revoke(actor, params.id, meta);
        return undefined;
      },
    }),
  ];
}
