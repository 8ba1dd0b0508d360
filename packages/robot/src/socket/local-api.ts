/**
 * The local API's HTTP handler (node:http, no framework: the hot path `GET /v1/secrets/{name}`
 * must stay close to a raw socket round trip). Routes, auth and schemas; the rules are in the
 * robot service.
 *
 * | method | path                                   | auth       | service call          |
 * | ------ | -------------------------------------- | ---------- | --------------------- |
 * | GET    | /v1/secrets/{name}                     | run token  | readSecretForRun      |
 * | GET    | /v1/manage/status                      | management | status                |
 * | POST   | /v1/manage/login {email, password}     | management | login                 |
 * | POST   | /v1/manage/logout                      | management | logout                |
 * | POST   | /v1/manage/sync                        | management | syncNow               |
 * | GET    | /v1/manage/secrets[?process=P]         | management | listSecrets           |
 * | PUT    | /v1/manage/secrets/{name} {value}      | management | setSecret             |
 * | DELETE | /v1/manage/secrets/{name}              | management | unsetSecret           |
 * | POST   | /v1/manage/secrets/{name}/reveal       | management | revealSecret          |
 * | GET    | /v1/manage/secrets/{name}/history      | management | history               |
 * | POST   | /v1/manage/secrets/{name}/restore {version} | management | restoreSecret    |
 * | GET    | /v1/manage/audit[?limit&beforeSeq&type&name] | management | listAudit       |
 * | GET    | /v1/manage/audit/verify                | management | verifyAudit           |
 * | POST   | /v1/manage/runs {process, env?}        | management | issueRunToken (NDJSON, open for the run) |
 * | DELETE | /v1/manage/runs/{runId}                | management | revokeRunToken        |
 * | POST   | /v1/manage/ui/session                  | management | Secrets window: a one-time link |
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  HeptoraError,
  LocalAuditListQuerySchema,
  LocalLoginRequestSchema,
  LocalSecretsListQuerySchema,
  LocalSetSecretRequestSchema,
  RestoreSecretRequestSchema,
  RunGrantRequestSchema,
  type WindowLink,
} from "@heptora/protocol";
import {
  readJsonBody,
  sendError,
  sendJson,
  sendNoContent,
  toHeptoraError,
} from "../http/http-kit.ts";
import type { PersonFacingService, RobotService } from "../service/robot-service.ts";
import { bearerToken, tokenMatches } from "./control-token.ts";

/** The CLI's operations, plus the runs' token lifecycle and their reads. */
type ManageService = PersonFacingService &
  Pick<RobotService, "issueRunToken" | "revokeRunToken" | "readSecretForRun">;

export interface LocalApiDeps {
  service: ManageService;
  /** SHA-256 digest of the management token (control.token). */
  controlDigest: Buffer;
  log: (line: string) => void;
  /** A one-time link to the Secrets window (src/window), for `heptora ui`; absent: no window. */
  openWindowLink?: () => WindowLink;
}

const MAX_PATH_LENGTH = 2048;

export function createLocalApi(deps: LocalApiDeps) {
  const { service, log } = deps;

  function requireManagement(req: IncomingMessage): void {
    const token = bearerToken(req.headers.authorization);
    if (token === undefined || !tokenMatches(token, deps.controlDigest)) {
      throw new HeptoraError("unauthenticated", {
        message: "This call needs the robot's management token.",
        hint: "Use the heptora command as the user that started the robot.",
      });
    }
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? "/";
    if (rawUrl.length > MAX_PATH_LENGTH) throw new HeptoraError("route_not_found");
    const url = new URL(rawUrl, "http://robot.invalid");
    const segments = url.pathname.split("/").slice(1).map(decodeSegment);
    const method = req.method ?? "GET";

    if (segments[0] !== "v1") throw new HeptoraError("route_not_found");

    // The hot path: automations reading a secret.
    if (segments[1] === "secrets" && segments.length === 3) {
      allow(method, ["GET"]);
      const answer = await service.readSecretForRun(
        bearerToken(req.headers.authorization),
        segments[2] as string,
      );
      sendJson(res, 200, answer);
      return;
    }

    if (segments[1] !== "manage") throw new HeptoraError("route_not_found");
    requireManagement(req);
    const [, , resource, id, action] = segments;
    const query = Object.fromEntries(url.searchParams);

    switch (resource) {
      case "status":
        allow(method, ["GET"]);
        return sendJson(res, 200, service.status());
      case "login": {
        allow(method, ["POST"]);
        const body = LocalLoginRequestSchema.parse(await readJsonBody(req));
        return sendJson(res, 200, await service.login(body, "cli"));
      }
      case "logout":
        allow(method, ["POST"]);
        await readJsonBody(req);
        return sendJson(res, 200, await service.logout("cli"));
      case "sync":
        allow(method, ["POST"]);
        await readJsonBody(req);
        return sendJson(res, 200, await service.syncNow());
      case "secrets":
        return secrets(req, res, method, id, action, query);
      case "audit":
        if (id === "verify") {
          allow(method, ["GET"]);
          return sendJson(res, 200, service.verifyAudit());
        }
        if (id !== undefined) throw new HeptoraError("route_not_found");
        allow(method, ["GET"]);
        return sendJson(res, 200, service.listAudit(LocalAuditListQuerySchema.parse(query)));
      case "runs":
        if (id === undefined) {
          allow(method, ["POST"]);
          return openRun(req, res);
        }
        allow(method, ["DELETE"]);
        service.revokeRunToken(id);
        return sendNoContent(res);
      case "ui":
        if (id !== "session" || action !== undefined) throw new HeptoraError("route_not_found");
        allow(method, ["POST"]);
        await readJsonBody(req);
        if (deps.openWindowLink === undefined) {
          throw new HeptoraError("service_unavailable", {
            message: "This robot does not serve the Secrets window.",
          });
        }
        return sendJson(res, 200, deps.openWindowLink());
      default:
        throw new HeptoraError("route_not_found");
    }
  }

  async function secrets(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    name: string | undefined,
    action: string | undefined,
    query: Record<string, string>,
  ): Promise<void> {
    if (name === undefined) {
      allow(method, ["GET"]);
      const { process } = LocalSecretsListQuerySchema.parse(query);
      return sendJson(res, 200, service.listSecrets(process === undefined ? {} : { process }));
    }
    switch (action) {
      case undefined:
        allow(method, ["PUT", "DELETE"]);
        if (method === "DELETE") return sendJson(res, 200, await service.unsetSecret(name, "cli"));
        {
          const { value } = LocalSetSecretRequestSchema.parse(await readJsonBody(req));
          return sendJson(res, 200, await service.setSecret(name, value, "cli"));
        }
      case "reveal":
        allow(method, ["POST"]);
        return sendJson(res, 200, await service.revealSecret(name, "cli"));
      case "history":
        allow(method, ["GET"]);
        return sendJson(res, 200, service.history(name));
      case "restore": {
        allow(method, ["POST"]);
        const { version } = RestoreSecretRequestSchema.parse(await readJsonBody(req));
        return sendJson(res, 200, await service.restoreSecret(name, version, "cli"));
      }
      default:
        throw new HeptoraError("route_not_found");
    }
  }

  /** The run grant: one NDJSON line, then the response stays open for the run's lifetime. */
  async function openRun(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = RunGrantRequestSchema.parse(await readJsonBody(req));
    const grant = await service.issueRunToken(body, "cli");
    const end = () => service.revokeRunToken(grant.runId);
    if (req.socket.destroyed) {
      end();
      return;
    }
    res.on("close", end);
    res.writeHead(200, {
      "content-type": "application/x-ndjson; charset=utf-8",
      "cache-control": "no-store",
    });
    res.write(`${JSON.stringify(grant)}\n`);
  }

  return function handle(req: IncomingMessage, res: ServerResponse): void {
    route(req, res).catch((error: unknown) => {
      const rendered = toHeptoraError(error, log);
      sendError(res, rendered);
    });
  };
}

function allow(method: string, methods: readonly string[]): void {
  if (!methods.includes(method)) throw new HeptoraError("method_not_allowed");
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
