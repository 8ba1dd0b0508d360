/**
 * The JSON API the Secrets window's page calls, under /api: the person-facing routes
 * (src/http/person-routes.ts, the same table the socket mounts for the CLI, actor "window"),
 * sign-in rate limited, plus what only the window needs. The server in front of it
 * (window-server.ts) has already checked Host, session, Origin and CSRF token.
 *
 * | name          | method | path                              | what                          |
 * | ------------- | ------ | --------------------------------- | ----------------------------- |
 * | window.session| GET    | /session                          | the page's CSRF token, idle minutes |
 * | audit.export  | GET    | /audit/export?format=csv|json     | listAudit, as a download      |
 * | window.events | GET    | /events                           | server-sent change kinds (no values) |
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { HeptoraError, isHeptoraError, type LocalAuditEntry } from "@heptora/protocol";
import { PersonRoute, personRoutes } from "../http/person-routes.ts";
import { ANSWERED, createRouter, defineRoute, type Route, serveRoute } from "../http/route.ts";
import type { PersonFacingService, RobotService } from "../service/robot-service.ts";
import { toCsv, toJson } from "./audit-export.ts";
import type { SecurityAudit } from "./security-audit.ts";
import type { SignInLimiter } from "./sign-in-limiter.ts";
import { AuditExportQuerySchema } from "./window-schemas.ts";
import type { WindowSession } from "./window-sessions.ts";

export type WindowService = PersonFacingService & Pick<RobotService, "changes">;

export interface WindowApiDeps {
  service: WindowService;
  limiter: SignInLimiter;
  audit: Pick<SecurityAudit, "denied">;
  idleMs: number;
  /** More routes (the key slots: http/key-routes.ts). */
  extraRoutes?: Route[];
}

export interface ApiRequest {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  /** Decoded path segments after /api. */
  segments: string[];
  query: Record<string, string>;
  session: WindowSession;
}

/**
 * The secret value of a save is the largest input: 64 Ki characters, up to 4 bytes each in UTF-8,
 * more when JSON escapes them. Anything larger is refused before it is parsed.
 */
export const WINDOW_MAX_BODY_BYTES = 512 * 1024;
/** The most audit entries one export holds (newest first). */
const EXPORT_MAX_ENTRIES = 10_000;
const EXPORT_PAGE = 1000;
/** A comment line on an idle event stream, so proxies and the browser keep it open. */
const EVENTS_PING_MS = 25_000;

export function createWindowApi(deps: WindowApiDeps) {
  const { service } = deps;
  /** The session of each request in flight, for the routes that answer with it. */
  const sessionOf = new WeakMap<IncomingMessage, WindowSession>();

  const routes = [
    ...personRoutes(service).map((route) =>
      route.name === PersonRoute.Login ? limitSignIn(route, deps) : route,
    ),
    defineRoute({
      name: "window.session",
      method: "GET",
      path: "/session",
      summary: "The page's CSRF token and the idle timeout",
      handler: ({ req }) => ({
        csrfToken: sessionOf.get(req)?.csrfToken,
        idleMinutes: deps.idleMs / 60_000,
      }),
    }),
    defineRoute({
      name: "window.events",
      method: "GET",
      path: "/events",
      summary: "Server-sent events naming each change (values, session, definitions, sync)",
      handler({ req, res }) {
        res.writeHead(200, {
          "content-type": "text/event-stream; charset=utf-8",
          "cache-control": "no-store",
        });
        res.write(": the robot's changes\n\n");
        const stop = service.changes.subscribe((kind) => {
          res.write(`event: change\ndata: ${JSON.stringify({ kind })}\n\n`);
        });
        const ping = setInterval(() => res.write(": ping\n\n"), EVENTS_PING_MS);
        ping.unref();
        req.on("close", () => {
          stop();
          clearInterval(ping);
        });
        return ANSWERED;
      },
    }),
    defineRoute({
      name: "audit.export",
      method: "GET",
      path: "/audit/export",
      summary: "The audit log as a CSV or JSON download (newest first)",
      query: AuditExportQuerySchema,
      handler({ query, res }) {
        exportAudit(service, res, query);
        return ANSWERED;
      },
    }),
    ...(deps.extraRoutes ?? []),
  ];
  const router = createRouter(routes);

  return async function handle(request: ApiRequest): Promise<void> {
    const { route, params } = router.match(request.method, request.segments);
    sessionOf.set(request.req, request.session);
    await serveRoute(route, {
      params,
      query: request.query,
      actor: "window",
      req: request.req,
      res: request.res,
      maxBodyBytes: WINDOW_MAX_BODY_BYTES,
    });
  };
}

/** Sign-in from the window, refused for a while after repeated failures (audited). */
function limitSignIn(route: Route, deps: Pick<WindowApiDeps, "limiter" | "audit">): Route {
  return {
    ...route,
    async invoke(input) {
      const wait = deps.limiter.retryAfterSeconds();
      if (wait > 0) {
        deps.audit.denied("too many sign-in attempts in the Secrets window");
        throw new HeptoraError("too_many_attempts", {
          message: "Too many failed sign-ins from this window.",
          hint: `Wait ${wait} seconds, then try again. If you forgot your password, reset it in the web app.`,
          retryAfterSeconds: wait,
        });
      }
      try {
        const answer = await route.invoke(input);
        deps.limiter.succeeded();
        return answer;
      } catch (error) {
        if (
          isHeptoraError(error) &&
          (error.code === "invalid_credentials" || error.code === "too_many_attempts")
        ) {
          deps.limiter.failed();
        }
        throw error;
      }
    },
  };
}

function exportAudit(
  service: Pick<PersonFacingService, "listAudit">,
  res: ServerResponse,
  query: { format: "csv" | "json"; type?: string | undefined; name?: string | undefined },
): void {
  const { format, type, name } = query;
  const entries: LocalAuditEntry[] = [];
  let beforeSeq: number | undefined;
  while (entries.length < EXPORT_MAX_ENTRIES) {
    const page = service.listAudit({
      limit: EXPORT_PAGE,
      ...(beforeSeq === undefined ? {} : { beforeSeq }),
      ...(type === undefined ? {} : { type }),
      ...(name === undefined ? {} : { name }),
    }).entries as LocalAuditEntry[];
    entries.push(...page);
    const last = page.at(-1);
    if (page.length < EXPORT_PAGE || last === undefined) break;
    beforeSeq = last.seq;
  }
  const text = format === "csv" ? toCsv(entries) : toJson(entries);
  const payload = Buffer.from(text, "utf8");
  res.writeHead(200, {
    "content-type":
      format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
    "content-length": payload.length,
    "content-disposition": `attachment; filename="heptora-robot-audit.${format}"`,
    "cache-control": "no-store",
  });
  res.end(payload);
}
