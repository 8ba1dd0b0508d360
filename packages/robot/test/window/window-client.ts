/**
 * A plain HTTP client for the Secrets window server, with full control of Host, Origin, Cookie
 * and X-CSRF-Token (fetch would not let a test forge Host), and a window fixture: a real robot
 * service (fake platform, real vault) behind a window server with an injected clock.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { startWindowServer, type WindowServer } from "../../src/window/window-server.ts";
import { type ServiceFixture, serviceFixture } from "../support/service.ts";

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => { error?: { code: string; message: string; hint?: string } } & Record<
    string,
    unknown
  >;
}

export function send(
  port: number,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method,
        path,
        agent: false,
        setHost: false,
        headers: { host: `127.0.0.1:${port}`, ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: () => JSON.parse(text),
          });
        });
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

export interface WindowFixture {
  fx: ServiceFixture;
  window: WindowServer;
  /** Moves the injected clock forward. */
  advance(ms: number): void;
  /** Uses a fresh one-time link and returns the session cookie, request key and CSRF token. */
  signIn(): Promise<WindowLogin>;
  /**
   * A call as the page makes it: same Origin, cookie, request key, CSRF token on state-changing
   * calls.
   */
  call(session: WindowLogin, method: string, path: string, body?: unknown): Promise<Answer>;
  close(): Promise<void>;
}

export interface WindowLogin {
  cookie: string;
  /** The request key the page got in the body of the link's answer (X-Window-Key). */
  key: string;
  csrf: string;
}

/** The request key in the page that answered a one-time link (a `<meta>` tag). */
export function keyOfPage(html: string): string | undefined {
  return /<meta name="heptora-window-key" content="([A-Za-z0-9_-]+)">/.exec(html)?.[1];
}

export const INDEX_HTML =
  '<!doctype html><html><head><script type="module" src="/assets/app.js"></script></head><body></body></html>';

export async function windowFixture(options: { idleMs?: number } = {}): Promise<WindowFixture> {
  const fx = await serviceFixture();
  const dist = join(fx.temp.path, "dist");
  mkdirSync(join(dist, "assets"), { recursive: true });
  writeFileSync(join(dist, "index.html"), INDEX_HTML);
  writeFileSync(join(dist, "assets", "app.js"), "console.log('window');\n");
  let now = Date.parse("2025-06-01T10:00:00Z");
  const window = await startWindowServer({
    service: fx.service,
    recordAudit: (event) => fx.vault.recordAudit(event),
    log: (line) => fx.logs.push(line),
    clock: () => now,
    distDir: dist,
    ...(options.idleMs === undefined ? {} : { idleMs: options.idleMs }),
  });
  const origin = `http://127.0.0.1:${window.port}`;
  const fixture: WindowFixture = {
    fx,
    window,
    advance(ms) {
      now += ms;
    },
    async signIn() {
      const link = new URL(window.openLink().url);
      const opened = await send(window.port, "GET", `${link.pathname}${link.search}`);
      const setCookie = opened.headers["set-cookie"]?.[0];
      const key = keyOfPage(opened.text);
      if (opened.status !== 200 || setCookie === undefined || key === undefined) {
        throw new Error(`one-time link refused: ${opened.status}`);
      }
      const cookie = setCookie.split(";")[0] as string;
      const session = await send(window.port, "GET", "/api/session", {
        headers: { cookie, "x-window-key": key },
      });
      return { cookie, key, csrf: session.json().csrfToken as string };
    },
    call(session, method, path, body) {
      return send(window.port, method, path, {
        headers: {
          cookie: session.cookie,
          "x-window-key": session.key,
          origin,
          ...(method === "GET" ? {} : { "x-csrf-token": session.csrf }),
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    },
    async close() {
      await window.close();
      await fx.close();
    },
  };
  return fixture;
}
