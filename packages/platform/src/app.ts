/**
 * `buildApp(deps)`: the Fastify instance with every module wired in. It never listens; main.ts
 * (through startPlatform) does, and tests call `app.inject()`.
 */
import {
  API_TOKEN_PREFIX,
  HeptoraError,
  PlatformApiPaths,
  validationFailed,
} from "@heptora/protocol";
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from "fastify";
import { z } from "zod";
import type { SqlDb } from "./db/sql-db.ts";
import { readSessionCookie } from "./http/cookies.ts";
import { installDrain } from "./http/drain.ts";
import {
  clientErrorHandler,
  frameworkErrors,
  installRequestChecks,
  methodTable,
} from "./http/edge.ts";
import { BODY_LIMIT_BYTES, installErrorHandling } from "./http/errors.ts";
import { installProbes, PROBE_PATHS } from "./http/health.ts";
import { installHostCheck } from "./http/host-check.ts";
import { installJsonBodyParser } from "./http/json-body.ts";
import { buildOpenApi } from "./http/openapi.ts";
import { type OriginPolicy, originPolicy } from "./http/origin.ts";
import { type Authenticator, registerRoutes } from "./http/register-routes.ts";
import { installRequestLog, requestIdGenerator } from "./http/request-log.ts";
import type { Route } from "./http/route.ts";
import { installSecurityHeaders } from "./http/security-headers.ts";
import { type TrustedProxies, trustFunction } from "./http/trusted-proxies.ts";
import { DEFAULT_WEB_DIST, installWebApp } from "./http/web-app.ts";
import { type Clock, systemClock } from "./lib/clock.ts";
import { createApiTokensRepo } from "./modules/api-tokens/api-tokens.repo.ts";
import { acceptApiTokens, apiTokensRoutes } from "./modules/api-tokens/api-tokens.routes.ts";
import { createApiTokensService } from "./modules/api-tokens/api-tokens.service.ts";
import { createAuditRepo } from "./modules/audit/audit.repo.ts";
import { auditRoutes } from "./modules/audit/audit.routes.ts";
import { createAuditService } from "./modules/audit/audit.service.ts";
import { authRoutes } from "./modules/auth/auth.routes.ts";
import { createAuthService } from "./modules/auth/auth.service.ts";
import { createCredentialCheck } from "./modules/auth/credentials.ts";
import { passwordResetRoutes } from "./modules/auth/password-reset.routes.ts";
import { createPasswordResetService } from "./modules/auth/password-reset.service.ts";
import { createResetThrottle, type ResetThrottlePolicy } from "./modules/auth/reset-throttle.ts";
import { createResetTokensRepo } from "./modules/auth/reset-tokens.repo.ts";
import { createSessionsRepo } from "./modules/auth/sessions.repo.ts";
import { createThrottleRepo } from "./modules/auth/throttle.repo.ts";
import { createLoginThrottle, type ThrottlePolicy } from "./modules/auth/throttle.ts";
import { createDefinitionsRepo } from "./modules/definitions/definitions.repo.ts";
import { createDefinitionsService } from "./modules/definitions/definitions.service.ts";
import type { Mailer } from "./modules/mail/mailer.ts";
import { createProcessesRepo } from "./modules/processes/processes.repo.ts";
import { processesRoutes } from "./modules/processes/processes.routes.ts";
import { createProcessesService } from "./modules/processes/processes.service.ts";
import { createRobotsRepo } from "./modules/robots/robots.repo.ts";
import { robotsRoutes } from "./modules/robots/robots.routes.ts";
import { createRobotsService } from "./modules/robots/robots.service.ts";
import { setupRoutes } from "./modules/setup/setup.routes.ts";
import { createSetupService } from "./modules/setup/setup.service.ts";
import { createUsersRepo } from "./modules/users/users.repo.ts";
import { usersRoutes } from "./modules/users/users.routes.ts";
import { createUsersService } from "./modules/users/users.service.ts";

export const PLATFORM_VERSION = "0.1.0";

export interface AppDeps {
  readonly db: SqlDb;
  readonly mailer: Mailer;
  /**
   * `--public-url`: the platform's only origin: the only `Host` answered, the only `Origin`
   * accepted on cookie writes, and the base of mailed links.
   */
  readonly publicUrl?: string | undefined;
  /**
   * Without a public URL: the origins the server listens on (loopback names included), known
   * once it listens; the first is the base of mailed links. Never derived from a request.
   */
  readonly listenOrigins?: () => readonly string[];
  readonly clock?: Clock;
  /** The built web app; null to serve none. Defaults to packages/platform/web/dist. */
  readonly webDist?: string | null;
  readonly logger?: FastifyServerOptions["logger"];
  /**
   * `--trust-proxy`: the reverse proxies' addresses and CIDR ranges, whose X-Forwarded-* headers
   * (client address, Host, protocol) and X-Request-Id are believed. Empty or absent: none.
   */
  readonly trustProxy?: TrustedProxies;
  /**
   * Closing waits for requests in flight (SIGTERM's drain, ADR 0084) instead of cutting every
   * connection at once, which is what tests want.
   */
  readonly drainOnClose?: boolean;
  readonly throttle?: ThrottlePolicy;
  readonly resetThrottle?: ResetThrottlePolicy;
}

/** The services, built from the repos: the composition of the modules. */
function wire(deps: AppDeps, origin: OriginPolicy, log: { warn(message: string): void }) {
  const { db, mailer } = deps;
  const clock = deps.clock ?? systemClock;
  const usersRepo = createUsersRepo();
  const sessionsRepo = createSessionsRepo();
  const robotsRepo = createRobotsRepo();
  const processesRepo = createProcessesRepo();
  const definitionsRepo = createDefinitionsRepo();
  const audit = createAuditService({ repo: createAuditRepo(), clock, db });
  const throttleRepo = createThrottleRepo();
  const throttle = createLoginThrottle({
    repo: throttleRepo,
    db,
    clock,
    ...(deps.throttle !== undefined && { policy: deps.throttle }),
  });
  const checkCredentials = createCredentialCheck({ db, users: usersRepo, throttle, audit });
  const auth = createAuthService({ db, sessions: sessionsRepo, checkCredentials, audit, clock });
  const reset = createPasswordResetService({
    db,
    tokens: createResetTokensRepo(),
    users: usersRepo,
    sessions: sessionsRepo,
    robots: robotsRepo,
    audit,
    throttle: createResetThrottle({
      repo: throttleRepo,
      db,
      clock,
      ...(deps.resetThrottle !== undefined && { policy: deps.resetThrottle }),
    }),
    mailer,
    clock,
    publicUrl: () => origin.origins()[0] ?? "http://127.0.0.1:8080",
    log,
  });
  return {
    audit,
    auth,
    reset,
    setup: createSetupService({ db, users: usersRepo, auth, audit, clock }),
    users: createUsersService({
      db,
      users: usersRepo,
      sessions: sessionsRepo,
      robots: robotsRepo,
      invitations: reset,
      audit,
      clock,
    }),
    processes: createProcessesService({
      db,
      processes: processesRepo,
      users: usersRepo,
      definitions: definitionsRepo,
      audit,
      clock,
    }),
    robots: createRobotsService({
      db,
      robots: robotsRepo,
      processes: processesRepo,
      checkCredentials,
      audit,
      clock,
    }),
    definitions: createDefinitionsService({ db, repo: definitionsRepo }),
    apiTokens: createApiTokensService({ db, tokens: createApiTokensRepo(), audit, clock }),
  };
}

/** This document takes no query parameters: any one is refused, as on every route. */
function refuseQuery(query: unknown): void {
  const result = z.strictObject({}).safeParse(query);
  if (!result.success) throw validationFailed(result.error.issues, { where: "query" });
}

function bearerToken(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Bearer ([!-~]{1,300})$/.exec(header);
  return match?.[1];
}

export function buildApp(deps: AppDeps): FastifyInstance {
  const proxies = deps.trustProxy ?? [];
  const trusts = trustFunction(proxies);
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: BODY_LIMIT_BYTES,
    // A long path segment reaches its route and is refused there (400, "too long") instead of
    // matching no route (find-my-way's default is 100); Node bounds the URL itself (16 KiB).
    routerOptions: { maxParamLength: 16 * 1024 },
    // Fastify's trustProxy as a function: proxy-addr then takes the right-most untrusted hop.
    trustProxy: proxies.length > 0 ? (address: string) => trusts(address) : false,
    genReqId: requestIdGenerator(trusts),
    // One line per request instead, with the route pattern (http/request-log.ts).
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    // Node's server.close() already closes idle keep-alive connections.
    forceCloseConnections: deps.drainOnClose !== true,
    frameworkErrors,
    clientErrorHandler,
  });
  // JSON only: a text/plain body (which a cross-site form can send) is a 415.
  app.removeContentTypeParser("text/plain");
  installJsonBodyParser(app);
  installRequestLog(app);
  if (deps.drainOnClose === true) installDrain(app);

  const origin = originPolicy(deps.publicUrl, deps.listenOrigins ?? (() => []));
  const services = wire(deps, origin, { warn: (message) => app.log.warn(message) });

  installErrorHandling(app);
  installSecurityHeaders(app, { https: origin.configured?.startsWith("https:") ?? false });
  installHostCheck(app, origin);

  const authenticator: Authenticator = {
    async session(request) {
      const token = readSessionCookie(request.headers.cookie);
      return token === undefined ? { state: "none" } : services.auth.resolve(token);
    },
    robot(request) {
      const token = bearerToken(request.headers.authorization);
      if (token?.startsWith(API_TOKEN_PREFIX) === true) {
        throw new HeptoraError("invalid_robot_token", {
          message: "The robot API does not take admin API tokens.",
          hint: "Sign the robot in with `heptora login`; it gets its own token.",
        });
      }
      return services.robots.authenticate(token);
    },
    apiToken(request, route, meta) {
      const token = bearerToken(request.headers.authorization);
      if (token === undefined) {
        throw new HeptoraError("invalid_api_token", {
          hint: "Send the token as `Authorization: Bearer <token>`.",
        });
      }
      const use = {
        method: route.method,
        url: route.url,
        acceptsApiTokens: route.apiTokens === true,
      };
      return services.apiTokens.authenticate(token, use, meta);
    },
  };

  const routes: Route[] = [
    ...authRoutes(services.auth, origin),
    ...passwordResetRoutes(services.reset),
    ...setupRoutes(services.setup, origin),
    // The admin API: what an admin API token may call (within its scope, docs/adr/0072).
    ...acceptApiTokens([
      ...usersRoutes(services.users),
      ...processesRoutes(services.processes),
      ...robotsRoutes(services.robots, services.definitions),
      ...auditRoutes(services.audit),
    ]),
    ...apiTokensRoutes(services.apiTokens),
  ];
  installRequestChecks(
    app,
    methodTable(routes, [
      { method: "GET", url: PlatformApiPaths.openapi },
      ...[...PROBE_PATHS].map((url) => ({ method: "GET", url })),
    ]),
  );
  installProbes(app, deps.db);
  registerRoutes(app, routes, {
    authenticator,
    origin,
    async onDenied(actor, route, meta) {
      await services.audit.record(deps.db, {
        actor: { id: actor.id, email: actor.email },
        action: "access.denied",
        outcome: "denied",
        ip: meta.ip,
        details: { method: route.method, route: route.url },
      });
    },
  });

  const openapi = buildOpenApi(routes, PLATFORM_VERSION, { publicUrl: origin.configured });
  (openapi.paths as Record<string, unknown>)[PlatformApiPaths.openapi] = {
    get: {
      operationId: "getOpenapi",
      summary: "This document",
      tags: ["meta"],
      security: [],
      parameters: [],
      responses: {
        "200": {
          description: "The OpenAPI 3.1 document.",
          content: { "application/json": { schema: { type: "object" } } },
        },
        "400": {
          description:
            "Error: `validation_failed` (this document takes no query parameters), `invalid_url`.",
          content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
        },
        "421": {
          description: "Error: `host_rejected` (a Host other than the platform's own).",
          content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
        },
      },
    },
  };
  // The probes (http/health.ts) answer any Host and disclose nothing (docs/adr/0069).
  const probe = (operationId: string, summary: string, status: string, unready: boolean) => ({
    get: {
      operationId,
      summary,
      tags: ["meta"],
      security: [],
      parameters: [],
      responses: {
        "200": {
          description: `The platform is ${status}.`,
          content: {
            "application/json": {
              schema: {
                type: "object",
                required: ["status"],
                properties: { status: { const: status } },
                additionalProperties: false,
              },
            },
          },
        },
        ...(unready && {
          "503": {
            description:
              "Error: `service_unavailable` (the database does not answer, or the platform is " +
              "shutting down), `database_not_migrated` (migrations are pending).",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
          },
        }),
      },
    },
  });
  (openapi.paths as Record<string, unknown>)["/healthz"] = probe(
    "getHealthz",
    "Liveness: the process serves HTTP",
    "ok",
    false,
  );
  (openapi.paths as Record<string, unknown>)["/readyz"] = probe(
    "getReadyz",
    "Readiness: the database answers and is migrated",
    "ready",
    true,
  );
  app.get(PlatformApiPaths.openapi, async (request) => {
    refuseQuery(request.query);
    return openapi;
  });

  installWebApp(app, deps.webDist === undefined ? DEFAULT_WEB_DIST : deps.webDist);

  // Any other /api path and method: the not-found handler answers route_not_found.
  app.all("/api/*", async (_request, reply) => reply.callNotFound());
  return app;
}
