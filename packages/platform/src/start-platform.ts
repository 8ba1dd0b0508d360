/**
 * `startPlatform(options)`: opens (and migrates) the database, builds the app and listens. Used
 * by `heptora-platform serve` and by `npm start` (scripts/start.ts), which may start a robot
 * beside it.
 *
 * @example
 * const platform = await startPlatform({ host: "127.0.0.1", port: 0, db: ".heptora/platform.db" });
 * console.log(platform.url); // http://127.0.0.1:54321
 * await platform.close();
 */
import { networkInterfaces } from "node:os";
import type { FastifyInstance } from "fastify";
import { buildApp } from "./app.ts";
import { DEFAULT_OUTBOX } from "./config.ts";
import { describeDbTarget, openDatabase } from "./db/open-db.ts";
import type { SqlDb } from "./db/sql-db.ts";
import { type LogLevel, loggerOptions } from "./http/logging.ts";
import type { TrustedProxies } from "./http/trusted-proxies.ts";
import { createOutboxMailer, createSmtpMailer, type Mailer } from "./modules/mail/mailer.ts";

export interface PlatformOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** SQLite path or postgres:// URL. */
  readonly db: string;
  readonly publicUrl?: string | undefined;
  readonly outbox?: string;
  readonly smtpUrl?: string | undefined;
  readonly mailFrom?: string;
  /** The reverse proxies' addresses and CIDR ranges (`--trust-proxy`). */
  readonly trustProxy?: TrustedProxies;
  readonly logLevel?: LogLevel;
  /** Apply pending migrations before listening (default true; false: `--no-migrate`). */
  readonly migrate?: boolean;
  /** The built web app; null for none; default packages/platform/web/dist. */
  readonly webDist?: string | null;
}

export interface RunningPlatform {
  /** `http://HOST:PORT` as listened on. */
  readonly url: string;
  readonly port: number;
  readonly app: FastifyInstance;
  readonly db: SqlDb;
  /** Where mail goes (outbox directory or SMTP host), for banners. */
  readonly mail: string;
  close(): Promise<void>;
  /**
   * SIGTERM's shutdown (ADR 0084): stops accepting connections (new ones are refused, a request
   * on a kept-alive connection gets 503), lets the requests in flight finish, then closes the
   * database. A request still running after `timeoutMs` is cut; `cut` says so.
   */
  drain(timeoutMs: number): Promise<{ cut: boolean }>;
}

/** A one-line failure to start (port in use, database unreachable). */
export class StartError extends Error {
  override readonly name = "StartError";
}

function hostForUrl(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "::1"];
const WILDCARDS = ["0.0.0.0", "::"];

/**
 * The origins a server listening on `host:port` answers as, the one for mailed links first: the
 * host itself, the loopback names when it listens on loopback, and every interface address when
 * it listens on all of them (ADR 0069).
 */
export function listenOriginsFor(host: string, port: number): string[] {
  const hosts: string[] = [];
  const wildcard = WILDCARDS.includes(host);
  // Links in mail need an address people can reach: a wildcard host is shown as localhost.
  if (!wildcard) hosts.push(host);
  if (wildcard || LOOPBACK_NAMES.includes(host)) hosts.push(...LOOPBACK_NAMES);
  if (wildcard) {
    for (const list of Object.values(networkInterfaces())) {
      for (const address of list ?? []) {
        if (host === "0.0.0.0" && address.family !== "IPv4") continue;
        hosts.push(address.address.replace(/%.*$/, ""));
      }
    }
  }
  const origins = hosts.map((h) => new URL(`http://${hostForUrl(h)}:${port}`).origin);
  return [...new Set(origins)];
}

function reason(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const first = error.message.split("\n")[0] ?? "";
    return typeof code === "string" && !first.includes(code) ? `${first} (${code})` : first;
  }
  return String(error);
}

export async function startPlatform(options: PlatformOptions): Promise<RunningPlatform> {
  let db: SqlDb;
  try {
    db = await openDatabase(options.db, { migrate: options.migrate ?? true });
  } catch (error) {
    throw new StartError(
      `Cannot open the database ${describeDbTarget(options.db)}: ${reason(error)}`,
      {
        cause: error,
      },
    );
  }
  const mailer: Mailer =
    options.smtpUrl !== undefined
      ? createSmtpMailer(options.smtpUrl, options.mailFrom ?? "Heptora <heptora@localhost>")
      : createOutboxMailer(options.outbox ?? DEFAULT_OUTBOX);

  let url = "";
  let listenOrigins: string[] = [];
  const app = buildApp({
    db,
    mailer,
    publicUrl: options.publicUrl,
    listenOrigins: () => listenOrigins,
    logger: loggerOptions(options.logLevel ?? "info"),
    trustProxy: options.trustProxy ?? [],
    drainOnClose: true,
    ...(options.webDist !== undefined && { webDist: options.webDist }),
  });
  let port: number;
  try {
    await app.listen({ host: options.host, port: options.port });
    const address = app.server.address();
    port = typeof address === "object" && address !== null ? address.port : options.port;
  } catch (error) {
    await app.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw new StartError(`Cannot listen on ${options.host}:${options.port}: ${reason(error)}`, {
      cause: error,
    });
  }
  url = `http://${hostForUrl(options.host)}:${port}`;
  listenOrigins = listenOriginsFor(options.host, port);
  const linkUrl = listenOrigins[0] ?? url;
  if (
    options.publicUrl === undefined &&
    !["127.0.0.1", "localhost", "::1"].includes(options.host)
  ) {
    app.log.warn(`No --public-url: links in mail will point to ${linkUrl}.`);
  }

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await app.close();
      await db.close();
    })();
    return closing;
  };
  return {
    url,
    port,
    app,
    db,
    mail: mailer.describe,
    close,
    async drain(timeoutMs) {
      let cut = false;
      const timer = setTimeout(() => {
        cut = true;
        app.log.warn({ timeoutMs }, "shutdown: cutting the requests still running");
        app.server.closeAllConnections();
      }, timeoutMs);
      try {
        await close();
      } finally {
        clearTimeout(timer);
      }
      return { cut };
    },
  };
}
