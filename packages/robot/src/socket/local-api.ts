/**
 * The socket server's HTTP handler (node:http, no framework). Two kinds of caller:
 *
 * - runs: `GET /v1/secrets/{name}` with a run token. This is the hot path, matched first and by
 *   hand, so it stays close to a raw socket round trip. `GET /v1/secrets` with a run token lists
 *   the names the run's process declares (names only, docs/adr/0076).
 * - the CLI, with the management token, under `/v1/manage`: the person-facing routes
 *   (src/http/person-routes.ts, the same table the Secrets window mounts, actor "cli") plus what
 *   only the CLI does over the socket:
 *
 * | name         | method | path                        | service call                        |
 * | ------------ | ------ | --------------------------- | ----------------------------------- |
 * | runs.open    | POST   | /runs {process, env?}       | issueRunToken (NDJSON, open for the run; |
 * |              |        |                             | later lines: {mask} set meanwhile)  |
 * | runs.close   | DELETE | /runs/:runId                | revokeRunToken                      |
 * | runs.end     | POST   | /runs/:runId/end {exitCode, signal, masked} | endRun (the run's record) |
 * | window.link  | POST   | /ui/session                 | a one-time link to the Secrets window |
 * | window.open  | POST   | /ui/open {next?}            | the daemon shows the window itself    |
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  HeptoraError,
  ROBOT_API_MAX_BODY_BYTES,
  RobotApiPaths,
  RunEndRequestSchema,
  RunGrantRequestSchema,
  RunIdParamsSchema,
  type WindowLink,
  WindowOpenRequestSchema,
  type WindowOpenResult,
  type WindowPath,
} from "@heptora/protocol";
import { z } from "zod";
import { sendError, sendJson, sendNoContent, toHeptoraError } from "../http/http-kit.ts";
import { personRoutes } from "../http/person-routes.ts";
import {
  ANSWERED,
  createRouter,
  defineRoute,
  type Route,
  segmentsAfter,
  serveRoute,
} from "../http/route.ts";
import { bearerToken, tokenMatches } from "../lib/tokens.ts";
import type { PersonFacingService, RobotService } from "../service/robot-service.ts";
import { type VaultRoutesDeps, vaultRoutes } from "./vault-routes.ts";

/** The CLI's operations, plus the runs' token lifecycle and their reads. */
type ManageService = PersonFacingService &
  Pick<
    RobotService,
    | "issueRunToken"
    | "revokeRunToken"
    | "readSecretForRun"
    | "declaredNamesForRun"
    | "watchRunMask"
    | "endRun"
  >;

export interface LocalApiDeps {
  service: ManageService;
  /** SHA-256 digest of the management token (control.token). */
  controlDigest: Buffer;
  log: (line: string) => void;
  /** A one-time link to the Secrets window, for `heptora ui`; absent: no window. */
  openWindowLink?: () => WindowLink;
  /** Shows the Secrets window on this machine's desktop (`heptora ui`); absent: no window. */
  openWindow?: (next: WindowPath) => Promise<WindowOpenResult>;
  /** The vault's key rotation and backup (docs/adr/0080); absent: not served. */
  vaultKeys?: Omit<VaultRoutesDeps, "log">;
  /** More routes under `/v1/manage` (the key slots: http/key-routes.ts). */
  extraRoutes?: Route[];
}

const MAX_PATH_LENGTH = 2048;
const SECRETS_PREFIX = "/v1/secrets/";
const MANAGE_PREFIX = "/v1/manage";
/** `/v1/secrets/NAME` with nothing in NAME that URL parsing or percent-decoding would change. */
const PLAIN_SECRET_PATH = /^\/v1\/secrets\/[A-Za-z0-9_-]+$/;

export function createLocalApi(deps: LocalApiDeps) {
  const { service, log } = deps;
  const router = createRouter([
    ...personRoutes(service),
    ...socketRoutes(deps),
    ...(deps.vaultKeys === undefined ? [] : vaultRoutes({ ...deps.vaultKeys, log })),
    ...(deps.extraRoutes ?? []),
  ]);

  function requireManagement(req: IncomingMessage): void {
    const token = bearerToken(req.headers.authorization);
    if (token === undefined || !tokenMatches(token, deps.controlDigest)) {
      throw new HeptoraError("unauthenticated", {
        message: "This call needs the robot's management token.",
        hint: "Use the heptora command as the user that started the robot.",
      });
    }
  }

  async function readSecret(req: IncomingMessage, res: ServerResponse, name: string) {
    if (req.method !== "GET") throw new HeptoraError("method_not_allowed");
    const answer = await service.readSecretForRun(bearerToken(req.headers.authorization), name);
    sendJson(res, 200, answer);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? "/";
    if (rawUrl.length > MAX_PATH_LENGTH) throw new HeptoraError("route_not_found");
    // The hot path: automations reading a secret. A plain name (letters, digits, `_`, `-`) after
    // the prefix is what `new URL` would give back unchanged (no query, escape or dot segment),
    // so it skips the URL parser; anything else takes the general path below.
    if (rawUrl.startsWith(SECRETS_PREFIX) && PLAIN_SECRET_PATH.test(rawUrl)) {
      return readSecret(req, res, rawUrl.slice(SECRETS_PREFIX.length));
    }
    const url = new URL(rawUrl, "http://robot.invalid");
    const method = req.method ?? "GET";

    if (url.pathname === RobotApiPaths.declaredNames) {
      if (method !== "GET") throw new HeptoraError("method_not_allowed");
      const answer = await service.declaredNamesForRun(bearerToken(req.headers.authorization));
      return sendJson(res, 200, answer);
    }
    if (url.pathname.startsWith(SECRETS_PREFIX)) {
      const segments = segmentsAfter(url.pathname, "/v1/secrets");
      if (segments?.length !== 1) throw new HeptoraError("route_not_found");
      return readSecret(req, res, segments[0] as string);
    }

    const segments = segmentsAfter(url.pathname, MANAGE_PREFIX);
    if (segments === undefined) throw new HeptoraError("route_not_found");
    requireManagement(req);
    const { route: found, params } = router.match(method, segments);
    await serveRoute(found, {
      params,
      query: Object.fromEntries(url.searchParams),
      actor: "cli",
      req,
      res,
      maxBodyBytes: ROBOT_API_MAX_BODY_BYTES,
    });
  }

  return function handle(req: IncomingMessage, res: ServerResponse): void {
    route(req, res).catch((error: unknown) => {
      sendError(res, toHeptoraError(error, log));
    });
  };
}

/** What only the CLI does over the socket: open and end runs, ask for a window link. */
function socketRoutes(deps: LocalApiDeps): Route[] {
  const { service } = deps;
  return [
    defineRoute({
      name: "runs.open",
      method: "POST",
      path: "/runs",
      summary: "A run token for one run; the answer stays open for the run's lifetime",
      body: RunGrantRequestSchema,
      async handler({ body, actor, req, res }) {
        const grant = await service.issueRunToken(body, actor);
        let stopWatching: (() => void) | undefined;
        const end = () => {
          stopWatching?.();
          service.revokeRunToken(grant.runId);
        };
        if (req.socket.destroyed) {
          end();
          return ANSWERED;
        }
        res.on("close", end);
        res.writeHead(200, {
          "content-type": "application/x-ndjson; charset=utf-8",
          "cache-control": "no-store",
        });
        res.write(`${JSON.stringify(grant)}\n`);
        // Values set while the run goes on follow as more lines (docs/adr/0075).
        stopWatching = service.watchRunMask(grant, (mask) => {
          if (!res.destroyed) res.write(`${JSON.stringify({ mask })}\n`);
        });
        return ANSWERED;
      },
    }),
    defineRoute({
      name: "runs.close",
      method: "DELETE",
      path: "/runs/:runId",
      summary: "End a run: its token stops working at once",
      params: z.strictObject({ runId: z.string().min(1).max(100) }),
      handler({ params, res }) {
        service.revokeRunToken(params.runId);
        sendNoContent(res);
        return ANSWERED;
      },
    }),
    defineRoute({
      name: "runs.end",
      method: "POST",
      path: "/runs/:runId/end",
      summary: "How a run's child ended, for its record (exit code, signal, masked counts)",
      params: RunIdParamsSchema,
      body: RunEndRequestSchema,
      handler({ params, body, res }) {
        service.endRun(params.runId, body);
        sendNoContent(res);
        return ANSWERED;
      },
    }),
    defineRoute({
      name: "window.link",
      method: "POST",
      path: "/ui/session",
      summary: "A one-time link that signs a browser in to the Secrets window",
      handler() {
        if (deps.openWindowLink === undefined) {
          throw new HeptoraError("service_unavailable", {
            message: "This robot does not serve the Secrets window.",
          });
        }
        return deps.openWindowLink();
      },
    }),
    defineRoute({
      name: "window.open",
      method: "POST",
      path: "/ui/open",
      summary: "Show the Secrets window on this machine's desktop",
      body: WindowOpenRequestSchema,
      handler({ body }) {
        if (deps.openWindow === undefined) {
          throw new HeptoraError("service_unavailable", {
            message: "This robot does not serve the Secrets window.",
          });
        }
        return deps.openWindow(body.next);
      },
    }),
  ];
}
