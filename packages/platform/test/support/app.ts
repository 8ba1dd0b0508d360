/**
 * A platform app on a test database, driven through `app.inject()`, with a clock the test can
 * move and a mailer that keeps mail in memory.
 */
import type { SessionResponse } from "@heptora/protocol";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { buildApp } from "../../src/app.ts";
import { createAdmin } from "../../src/create-admin.ts";
import type { SqlDb } from "../../src/db/sql-db.ts";
import type { ThrottlePolicy } from "../../src/modules/auth/throttle.ts";
import type { Mail, Mailer } from "../../src/modules/mail/mailer.ts";
import type { DialectCase, TestDatabase } from "./dialects.ts";

export const HOST = "platform.test";
export const ORIGIN = `http://${HOST}`;
export const ADMIN_EMAIL = "admin@example.com";
export const ADMIN_PASSWORD = "correct horse battery staple";

export interface FakeClock {
  now(): number;
  advance(ms: number): void;
}

export function fakeClock(start = Date.parse("2025-06-01T09:00:00.000Z")): FakeClock {
  let t = start;
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
  };
}

export interface MemoryMailer extends Mailer {
  readonly sent: Mail[];
  /** Resolves with the next mail sent (or one already waiting). */
  next(): Promise<Mail>;
}

export function memoryMailer(): MemoryMailer {
  const sent: Mail[] = [];
  let taken = 0;
  const waiters: ((mail: Mail) => void)[] = [];
  return {
    describe: "memory",
    sent,
    async send(mail) {
      sent.push(mail);
      const waiter = waiters.shift();
      if (waiter !== undefined) {
        taken++;
        waiter(mail);
      }
    },
    next() {
      const ready = sent[taken];
      if (ready !== undefined) {
        taken++;
        return Promise.resolve(ready);
      }
      return new Promise((resolve) => waiters.push(resolve));
    },
  };
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** A signed-in browser: sends the cookie, the Origin and the CSRF token. */
export interface Browser {
  readonly user: SessionResponse["user"];
  readonly cookie: string;
  readonly csrfToken: string;
  request(method: Method, url: string, body?: unknown): Promise<LightMyRequestResponse>;
}

export interface TestApp {
  readonly app: FastifyInstance;
  readonly db: SqlDb;
  readonly database: TestDatabase;
  readonly clock: FakeClock;
  readonly mailer: MemoryMailer;
  /** Raw request with the platform's Host; `headers` override or add. */
  request(
    method: Method,
    url: string,
    options?: { body?: unknown; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>;
  login(email: string, password: string): Promise<Browser>;
  /** The admin created at start, signed in. */
  admin(): Promise<Browser>;
  /** Creates a member through the API and signs them in. */
  member(admin: Browser, email: string, password?: string): Promise<Browser>;
  close(): Promise<void>;
}

export function cookieFrom(response: LightMyRequestResponse): string {
  const header = response.headers["set-cookie"];
  const first = Array.isArray(header) ? header[0] : header;
  const pair = first?.split(";")[0];
  if (pair === undefined) throw new Error(`no cookie in response ${response.statusCode}`);
  return pair;
}

export async function startTestApp(
  dialect: DialectCase,
  options: {
    database?: TestDatabase;
    webDist?: string | null;
    publicUrl?: string;
    throttle?: ThrottlePolicy;
    trustProxy?: readonly string[];
  } = {},
): Promise<TestApp> {
  const database = options.database ?? (await dialect.create());
  const db = await database.connect();
  const clock = fakeClock();
  const mailer = memoryMailer();
  const app = buildApp({
    db,
    mailer,
    clock,
    webDist: options.webDist ?? null,
    ...(options.publicUrl !== undefined && { publicUrl: options.publicUrl }),
    ...(options.throttle !== undefined && { throttle: options.throttle }),
    ...(options.trustProxy !== undefined && { trustProxy: options.trustProxy }),
    // As if listening at ORIGIN; `app.inject()` without a Host header addresses localhost:80.
    listenOrigins: () => [ORIGIN, "http://localhost"],
  });
  await app.ready();
  // Requests address the platform as itself: its public URL when it has one.
  const own = options.publicUrl === undefined ? new URL(ORIGIN) : new URL(options.publicUrl);

  const request: TestApp["request"] = (method, url, opts = {}) =>
    app.inject({
      method,
      url,
      headers: {
        host: own.host,
        ...(opts.body !== undefined && { "content-type": "application/json" }),
        ...opts.headers,
      },
      ...(opts.body !== undefined && {
        payload: typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body),
      }),
    });

  async function login(email: string, password: string): Promise<Browser> {
    const response = await request("POST", "/api/v1/auth/login", {
      body: { email, password },
      headers: { origin: own.origin },
    });
    if (response.statusCode !== 200) {
      throw new Error(`login of ${email} failed: ${response.statusCode} ${response.body}`);
    }
    const session = response.json() as SessionResponse;
    const cookie = cookieFrom(response);
    return {
      user: session.user,
      cookie,
      csrfToken: session.csrfToken,
      request: (method, url, body) =>
        request(method, url, {
          ...(body !== undefined && { body }),
          headers: { cookie, origin: own.origin, "x-csrf-token": session.csrfToken },
        }),
    };
  }

  let adminCreated = false;
  return {
    app,
    db,
    database,
    clock,
    mailer,
    request,
    login,
    async admin() {
      if (!adminCreated) {
        await createAdmin(db, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }, clock);
        adminCreated = true;
      }
      return login(ADMIN_EMAIL, ADMIN_PASSWORD);
    },
    async member(admin, email, password = `${email} long password`) {
      const created = await admin.request("POST", "/api/v1/users", {
        email,
        role: "member",
        password,
      });
      if (created.statusCode !== 201) throw new Error(`create ${email}: ${created.body}`);
      return login(email, password);
    },
    async close() {
      await app.close();
      if (options.database === undefined) await database.drop();
    },
  };
}
