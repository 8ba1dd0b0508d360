/**
 * Mounts routes under /api/v1 with, in order: authentication (cookie session or robot bearer
 * token), CSRF defence for cookie sessions, the admin check, then validation and the handler.
 */
import { CSRF_HEADER, HeptoraError, PLATFORM_API_PREFIX } from "@heptora/protocol";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { constantTimeEqual } from "../lib/tokens.ts";
import type { RequestMeta, RobotActor, UserActor } from "./actors.ts";
import { isSameOrigin, type OriginPolicy } from "./origin.ts";
import type { Route } from "./route.ts";

export type SessionLookup =
  | { readonly state: "none" }
  | { readonly state: "expired" }
  | { readonly state: "active"; readonly actor: UserActor };

export interface Authenticator {
  session(request: FastifyRequest): Promise<SessionLookup>;
  /** The robot behind the bearer token; throws invalid_robot_token. */
  robot(request: FastifyRequest): Promise<RobotActor>;
  /**
   * The person acting through the admin API token in the Authorization header, on `route`;
   * throws invalid_api_token, api_token_not_allowed, api_token_read_only, ...
   */
  apiToken?(request: FastifyRequest, route: Route, meta: RequestMeta): Promise<UserActor>;
}

export interface RouteEnvironment {
  readonly authenticator: Authenticator;
  readonly origin: OriginPolicy;
  /** Called when a signed-in person is refused a route (audited). */
  onDenied?(actor: UserActor, route: Route, meta: RequestMeta): Promise<void>;
}

const SAFE_METHODS = new Set(["GET", "HEAD"]);

function csrfRejected(why: string): HeptoraError {
  return new HeptoraError("csrf_rejected", {
    hint: `${why} Reload the page and try again.`,
  });
}

async function resolveActor(
  route: Route,
  request: FastifyRequest,
  authenticator: Authenticator,
  meta: RequestMeta,
): Promise<UserActor | RobotActor | undefined> {
  if (route.auth === "robot") return authenticator.robot(request);
  if (route.auth === "public") return undefined;
  // A person's route called with a Bearer credential: an admin API token, never a fallback to
  // a cookie sent alongside (docs/adr/0072). Another scheme (Basic, from a proxy in front of the
  // web app) leaves the cookie session in charge.
  if (
    (route.auth === "user" || route.auth === "admin") &&
    /^bearer(\s|$)/i.test(request.headers.authorization ?? "") &&
    authenticator.apiToken !== undefined
  ) {
    return authenticator.apiToken(request, route, meta);
  }
  const lookup = await authenticator.session(request);
  if (lookup.state === "active") return lookup.actor;
  if (route.auth === "optional") return undefined;
  throw new HeptoraError(lookup.state === "expired" ? "session_expired" : "unauthenticated");
}

function checkOrigin(
  route: Route,
  request: FastifyRequest,
  actor: UserActor | RobotActor | undefined,
  env: RouteEnvironment,
): void {
  if (SAFE_METHODS.has(request.method)) return;
  // A cookie session always needs both defences; a bearer token needs neither (no ambient
  // credential a foreign page could make the browser send).
  const session = actor?.kind === "user" ? actor : undefined;
  if (actor?.kind === "robot" || actor?.apiToken !== undefined) return;
  const rule = session !== undefined ? "required" : (route.sameOrigin ?? "if-present");
  if (rule === "if-present" && request.headers.origin === undefined) return;
  if (!isSameOrigin(env.origin, request)) {
    throw csrfRejected("The request's Origin is not this platform.");
  }
  if (session !== undefined) {
    const sent = request.headers[CSRF_HEADER];
    if (typeof sent !== "string" || !constantTimeEqual(sent, session.csrfToken)) {
      throw csrfRejected(`The ${CSRF_HEADER} header is missing or wrong.`);
    }
  }
}

export function registerRoutes(
  app: FastifyInstance,
  routes: readonly Route[],
  env: RouteEnvironment,
): void {
  for (const route of routes) {
    app.route({
      method: route.method,
      url: `${PLATFORM_API_PREFIX}${route.url}`,
      handler: async (request, reply) => {
        const meta: RequestMeta = { ip: request.ip, requestId: request.id };
        const actor = await resolveActor(route, request, env.authenticator, meta);
        checkOrigin(route, request, actor, env);
        if (route.auth === "admin" && actor?.kind === "user" && actor.role !== "admin") {
          await env.onDenied?.(actor, route, meta);
          throw new HeptoraError("insufficient_permissions", {
            hint: "Ask an administrator of your organisation.",
          });
        }
        const result = await route.invoke({ actor, meta, request, reply });
        reply.code(route.status);
        return route.status === 204 || result === undefined ? reply.send() : reply.send(result);
      },
    });
  }
}
