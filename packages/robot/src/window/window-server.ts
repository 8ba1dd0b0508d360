/**
 * The Secrets window's server: node:http on 127.0.0.1, a random port, in the daemon's process.
 * It calls the robot service directly (actor "window"); the browser reaches it only through a
 * one-time link that `heptora ui` asks the daemon for (docs/adr/0060).
 *
 * Every request, in this order:
 * 1. security headers (CSP, no-referrer, nosniff, frame denial) on whatever the answer is;
 * 2. Host must be `127.0.0.1:<port>` or `localhost:<port>`, else 421 host_rejected;
 * 3. `GET /session/open?t=` trades a one-time link for a session cookie and answers the page with
 *    the session's request key in a `<meta>` tag (the page keeps it, then shows `next`);
 * 4. `/api/*` needs the session cookie AND the request key in `X-Window-Key` (401 unauthenticated
 *    / session_expired): the cookie reaches every port of 127.0.0.1, the key only this page
 *    (docs/adr/0073); a state-changing call also needs Origin = the window's origin and
 *    `X-CSRF-Token` = the session's token (403 csrf_rejected); every API answer is no-store;
 * 5. anything else is the built page (index.html no-store, hashed assets).
 * Refusals are audited (throttled) as `access.denied` by "window".
 *
 * @example
 * const window = await startWindowServer({ service, recordAudit: vault.recordAudit, log });
 * window.openLink().url; // http://127.0.0.1:43817/session/open?t=...
 * await window.close();
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { HeptoraError, SECURITY_HEADERS, type WindowPath } from "@heptora/protocol";
import { sendError, toHeptoraError } from "../http/http-kit.ts";
import type { Route } from "../http/route.ts";
import { segmentsAfter } from "../http/route.ts";
import { createOneTimeLinks, type LinkOutcome } from "./one-time-links.ts";
import {
  acceptedHost,
  cookieValue,
  STATE_CHANGING,
  sameOrigin,
  sessionCookie,
  sessionCookieName,
} from "./request-guards.ts";
import { createSecurityAudit, type RecordAudit } from "./security-audit.ts";
import { createSignInLimiter } from "./sign-in-limiter.ts";
import { createStaticFiles } from "./static-files.ts";
import { createWindowApi, type WindowService } from "./window-api.ts";
import { OpenQuerySchema } from "./window-schemas.ts";
import { createWindowSessions, DEFAULT_IDLE_MS } from "./window-sessions.ts";

export interface WindowServerOptions {
  service: WindowService;
  /** Appends to the vault's audit chain. */
  recordAudit: RecordAudit;
  log: (line: string) => void;
  /** Milliseconds since the epoch; injected by tests to age links and sessions. */
  clock?: () => number;
  /** Inactivity after which a window session ends (default 15 minutes). */
  idleMs?: number;
  /** The built page (default packages/robot/web/dist). */
  distDir?: string;
  /** 0 (default) lets the OS pick a free port. */
  port?: number;
  /** More routes under /api (the key slots: http/key-routes.ts). */
  extraRoutes?: Route[];
}

export interface WindowServer {
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  readonly port: number;
  /** A fresh one-time sign-in link, valid once for 2 minutes. */
  openLink(next?: WindowPath): { url: string; expiresAt: string };
  /** When a live window session was last used (ms since the epoch); undefined: none is live. */
  lastActivityAt(): number | undefined;
  close(): Promise<void>;
}

const MAX_URL_LENGTH = 2048;
/** The header that carries the session's request key on every API request. */
export const WINDOW_KEY_HEADER = "x-window-key";
/** The `<meta>` names of the page answered to a one-time link. */
export const WINDOW_KEY_META = "heptora-window-key";
export const WINDOW_NEXT_META = "heptora-next";

const LINK_REFUSALS: Record<Exclude<LinkOutcome, "ok">, string> = {
  used: "a one-time window link was used again",
  expired: "an expired one-time window link was used",
  unknown: "an unknown one-time window link was used",
};

export async function startWindowServer(options: WindowServerOptions): Promise<WindowServer> {
  const clock = options.clock ?? Date.now;
  const log = options.log;
  const links = createOneTimeLinks({ clock });
  const sessions = createWindowSessions({ clock, idleMs: options.idleMs ?? DEFAULT_IDLE_MS });
  const audit = createSecurityAudit({ record: options.recordAudit, clock, log });
  const files = createStaticFiles(options.distDir);
  const api = createWindowApi({
    service: options.service,
    limiter: createSignInLimiter({ clock }),
    audit,
    idleMs: sessions.idleMs,
    ...(options.extraRoutes === undefined ? {} : { extraRoutes: options.extraRoutes }),
  });
  let port = 0;

  function refuse(reason: string, error: HeptoraError): never {
    audit.denied(reason);
    throw error;
  }

  async function openSession(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== "GET" && req.method !== "HEAD") throw new HeptoraError("method_not_allowed");
    const parsed = OpenQuerySchema.safeParse(Object.fromEntries(url.searchParams));
    const outcome: LinkOutcome = parsed.success ? links.consume(parsed.data.t) : "unknown";
    if (outcome !== "ok") {
      audit.denied(LINK_REFUSALS[outcome]);
      // The page explains it (run `heptora ui` again); no cookie is set.
      files.index(res, 403);
      return;
    }
    const { cookieValue: value, session } = sessions.create();
    await audit.opened().catch(() => log("Could not record the window sign-in in the audit log."));
    // The key goes in the body, never in a header a browser would replay nor in a URL; the page
    // takes it, then replaces this address with `next`.
    res.setHeader("set-cookie", sessionCookie(port, value));
    files.index(res, 200, {
      [WINDOW_KEY_META]: session.requestKey,
      [WINDOW_NEXT_META]: parsed.data?.next ?? "/",
    });
  }

  async function apiRequest(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    host: string,
  ): Promise<void> {
    res.setHeader("cache-control", "no-store");
    const method = req.method ?? "GET";
    const changing = STATE_CHANGING.has(method);
    if (changing && !sameOrigin(header(req, "origin"), host)) {
      refuse(
        "a state-changing request came from another origin",
        new HeptoraError("csrf_rejected", {
          hint: "Use the Secrets window itself: run `heptora ui`.",
        }),
      );
    }
    const cookie = cookieValue(req.headers.cookie, sessionCookieName(port));
    // Not counted as activity yet: a replayed cookie without the key must not keep a session alive.
    const found = sessions.lookup(cookie, false);
    if (found.kind === "expired") {
      refuse(
        "a window session had expired",
        new HeptoraError("session_expired", {
          message: `This window was closed after ${Math.round(sessions.idleMs / 60_000)} minutes without activity.`,
          hint: "Run `heptora ui` to open it again.",
        }),
      );
    }
    if (found.kind === "none") {
      refuse(
        cookie === undefined
          ? "a request had no window session"
          : "a request had an unknown window session",
        new HeptoraError("unauthenticated", {
          message: "This window is not signed in to the robot.",
          hint: "Run `heptora ui` to open it: it prints a link that signs this browser in once.",
        }),
      );
    }
    if (!sessions.keyMatches(found.session, header(req, WINDOW_KEY_HEADER))) {
      refuse(
        "a request had the window's cookie without its request key (a replayed cookie?)",
        new HeptoraError("unauthenticated", {
          message: "This window is not signed in to the robot.",
          hint: "Run `heptora ui` to open it: it prints a link that signs this browser in once.",
        }),
      );
    }
    sessions.touch(found.session);
    if (changing && !sessions.csrfMatches(found.session, header(req, "x-csrf-token"))) {
      refuse(
        "a state-changing request had no valid CSRF token",
        new HeptoraError("csrf_rejected", { hint: "Reload the window and try again." }),
      );
    }
    const segments = segmentsAfter(url.pathname, "/api") ?? [];
    await api({
      req,
      res,
      method,
      segments,
      query: Object.fromEntries(url.searchParams),
      session: found.session,
    });
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    const host = acceptedHost(header(req, "host"), port);
    if (host === undefined) {
      res.setHeader("cache-control", "no-store");
      refuse(
        "a request named another host (DNS rebinding?)",
        new HeptoraError("host_rejected", {
          hint: "Open the Secrets window with `heptora ui`: it runs at 127.0.0.1 only.",
        }),
      );
    }
    const rawUrl = req.url ?? "/";
    if (rawUrl.length > MAX_URL_LENGTH || !rawUrl.startsWith("/")) {
      throw new HeptoraError("route_not_found");
    }
    const url = new URL(rawUrl, `http://${host}`);
    if (url.pathname === "/session/open") return openSession(req, res, url);
    if (url.pathname === "/api" || url.pathname.startsWith("/api/")) {
      return apiRequest(req, res, url, host);
    }
    if (req.method !== "GET" && req.method !== "HEAD") throw new HeptoraError("method_not_allowed");
    if (!files.serve(url.pathname, res)) throw new HeptoraError("route_not_found");
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      const rendered = toHeptoraError(error, log);
      if (!res.headersSent) {
        res.setHeader("cache-control", "no-store");
        if (rendered.retryAfterSeconds !== undefined) {
          res.setHeader("retry-after", String(rendered.retryAfterSeconds));
        }
      }
      sendError(res, rendered);
    });
  });
  server.requestTimeout = 60_000;
  server.headersTimeout = 10_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: options.port ?? 0 }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    port,
    lastActivityAt: () => sessions.lastActivityAt(),
    openLink(next) {
      const { token, expiresAt } = links.issue();
      return {
        url: `${origin}/session/open?t=${token}${next === undefined || next === "/" ? "" : `&next=${encodeURIComponent(next)}`}`,
        expiresAt: new Date(expiresAt).toISOString(),
      };
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
