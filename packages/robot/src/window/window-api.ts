/**
 * The JSON API the Secrets window's page calls, under /api. Routes, schemas and the actor
 * "window"; the rules and the audit of reads and writes are in the robot service. The server in
 * front of it (window-server.ts) has already checked Host, session, Origin and CSRF token.
 *
 * | method | path                              | service call                      |
 * | ------ | --------------------------------- | --------------------------------- |
 * | GET    | /api/session                      | (the page's CSRF token)           |
 * | GET    | /api/status                       | status                            |
 * | POST   | /api/login {email, password}      | login (rate limited)              |
 * | POST   | /api/logout                       | logout                            |
 * | POST   | /api/sync                         | syncNow                           |
 * | GET    | /api/secrets                      | listSecrets                       |
 * | PUT    | /api/secrets/{name} {value}       | setSecret                         |
 * | DELETE | /api/secrets/{name}               | unsetSecret                       |
 * | POST   | /api/secrets/{name}/reveal        | revealSecret (audited)            |
 * | GET    | /api/secrets/{name}/history       | history                           |
 * | POST   | /api/secrets/{name}/restore {version} | restoreSecret                 |
 * | GET    | /api/audit[?limit&beforeSeq&type&name] | listAudit                    |
 * | GET    | /api/audit/verify                 | verifyAudit                       |
 * | GET    | /api/audit/export?format=csv|json | listAudit, as a download          |
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { HeptoraError, isHeptoraError, type LocalAuditEntry } from "@heptora/protocol";
import { readJsonBody, sendJson } from "../http/http-kit.ts";
import type { PersonFacingService } from "../service/robot-service.ts";
import { toCsv, toJson } from "./audit-export.ts";
import type { SecurityAudit } from "./security-audit.ts";
import type { SignInLimiter } from "./sign-in-limiter.ts";
import {
  AuditExportQuerySchema,
  AuditListQuerySchema,
  EmptyBodySchema,
  LoginRequestSchema,
  PathNameSchema,
  RestoreSecretRequestSchema,
  SetSecretRequestSchema,
} from "./window-schemas.ts";
import type { WindowSession } from "./window-sessions.ts";

export type WindowService = PersonFacingService;

export interface WindowApiDeps {
  service: WindowService;
  limiter: SignInLimiter;
  audit: Pick<SecurityAudit, "denied">;
  idleMs: number;
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

const ACTOR = "window";

export function createWindowApi(deps: WindowApiDeps) {
  const { service } = deps;

  const body = (req: IncomingMessage) => readJsonBody(req, WINDOW_MAX_BODY_BYTES);

  async function login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const input = LoginRequestSchema.parse(await body(req));
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
      const answer = await service.login(input, ACTOR);
      deps.limiter.succeeded();
      sendJson(res, 200, answer);
    } catch (error) {
      if (
        isHeptoraError(error) &&
        (error.code === "invalid_credentials" || error.code === "too_many_attempts")
      ) {
        deps.limiter.failed();
      }
      throw error;
    }
  }

  async function secrets(request: ApiRequest): Promise<void> {
    const { req, res, method, segments } = request;
    const [, rawName, action, extra] = segments;
    if (rawName === undefined) {
      allow(method, ["GET"]);
      return sendJson(res, 200, service.listSecrets());
    }
    if (extra !== undefined) throw new HeptoraError("route_not_found");
    const name = PathNameSchema.parse(rawName);
    switch (action) {
      case undefined:
        allow(method, ["PUT", "DELETE"]);
        if (method === "DELETE") {
          EmptyBodySchema.parse(await body(req));
          return sendJson(res, 200, await service.unsetSecret(name, ACTOR));
        }
        {
          const { value } = SetSecretRequestSchema.parse(await body(req));
          return sendJson(res, 200, await service.setSecret(name, value, ACTOR));
        }
      case "reveal":
        allow(method, ["POST"]);
        EmptyBodySchema.parse(await body(req));
        return sendJson(res, 200, await service.revealSecret(name, ACTOR));
      case "history":
        allow(method, ["GET"]);
        return sendJson(res, 200, service.history(name));
      case "restore": {
        allow(method, ["POST"]);
        const { version } = RestoreSecretRequestSchema.parse(await body(req));
        return sendJson(res, 200, await service.restoreSecret(name, version, ACTOR));
      }
      default:
        throw new HeptoraError("route_not_found");
    }
  }

  function exportAudit(res: ServerResponse, query: Record<string, string>): void {
    const { format, type, name } = AuditExportQuerySchema.parse(query);
    const entries: LocalAuditEntry[] = [];
    let beforeSeq: number | undefined;
    while (entries.length < EXPORT_MAX_ENTRIES) {
      const page = service.listAudit({
        limit: 1000,
        ...(beforeSeq === undefined ? {} : { beforeSeq }),
        ...(type === undefined ? {} : { type }),
        ...(name === undefined ? {} : { name }),
      }).entries as LocalAuditEntry[];
      entries.push(...page);
      const last = page.at(-1);
      if (page.length < 1000 || last === undefined) break;
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

  return async function handle(request: ApiRequest): Promise<void> {
    const { req, res, method, segments, query, session } = request;
    const [resource, id] = segments;
    if (resource !== "secrets" && resource !== "audit" && segments.length > 1) {
      throw new HeptoraError("route_not_found");
    }
    switch (resource) {
      case "session":
        allow(method, ["GET"]);
        return sendJson(res, 200, {
          csrfToken: session.csrfToken,
          idleMinutes: deps.idleMs / 60_000,
        });
      case "status":
        allow(method, ["GET"]);
        return sendJson(res, 200, service.status());
      case "login":
        allow(method, ["POST"]);
        return login(req, res);
      case "logout":
        allow(method, ["POST"]);
        EmptyBodySchema.parse(await body(req));
        return sendJson(res, 200, await service.logout(ACTOR));
      case "sync":
        allow(method, ["POST"]);
        EmptyBodySchema.parse(await body(req));
        return sendJson(res, 200, await service.syncNow());
      case "secrets":
        return secrets(request);
      case "audit":
        allow(method, ["GET"]);
        if (id === "verify" && segments.length === 2) {
          return sendJson(res, 200, service.verifyAudit());
        }
        if (id === "export" && segments.length === 2) return exportAudit(res, query);
        if (id !== undefined) throw new HeptoraError("route_not_found");
        return sendJson(res, 200, service.listAudit(AuditListQuerySchema.parse(query)));
      default:
        throw new HeptoraError("route_not_found");
    }
  };
}

function allow(method: string, methods: readonly string[]): void {
  if (!methods.includes(method)) throw new HeptoraError("method_not_allowed");
}
