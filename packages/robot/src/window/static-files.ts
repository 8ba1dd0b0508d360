/**
 * Serves the built Secrets window (packages/robot/web/dist): hashed assets under /assets/, and
 * index.html for every other page path (the app routes in the browser). Only plain names inside
 * the dist folder are served: no `..`, no dot files, no symlinked escapes. In the self-contained
 * executable the build is inside it (src/lib/sea-assets.ts) and the folder is not read.
 */
import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { extname, join, sep } from "node:path";
import { type EmbeddedFiles, embeddedFiles } from "../lib/sea-assets.ts";

/** Where `vite build` puts the window, relative to this file. */
export const DEFAULT_DIST_DIR = join(import.meta.dirname, "..", "..", "web", "dist");

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".json": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

const SAFE_PATH =
  /^\/(?:[A-Za-z0-9_-][A-Za-z0-9._-]{0,200}\/){0,4}[A-Za-z0-9_-][A-Za-z0-9._-]{0,200}$/;

/** Paths the app routes itself (letters, digits, dashes): they all get index.html. */
const PAGE_PATH = /^(?:\/[A-Za-z0-9-]{1,100}){0,4}\/?$/;

export type StaticFiles = ReturnType<typeof createStaticFiles>;

/** The window's build: the executable's own copy, else the folder. */
function defaultFiles(): string | EmbeddedFiles {
  return embeddedFiles("robot-web/") ?? DEFAULT_DIST_DIR;
}

export function createStaticFiles(source: string | EmbeddedFiles = defaultFiles()) {
  const embedded = typeof source === "string" ? undefined : source;
  const distDir = typeof source === "string" ? source : "";
  function send(res: ServerResponse, status: number, type: string, body: Buffer, cache: string) {
    res.writeHead(status, {
      "content-type": type,
      "content-length": body.length,
      "cache-control": cache,
    });
    res.end(body);
  }

  function notBuilt(res: ServerResponse): void {
    const body = Buffer.from(
      "The Secrets window is not built yet. Run `npm run build:web` in the Heptora repository " +
        "(npm ci, npm start and npm test do it for you), then run `heptora ui` again.\n",
    );
    send(res, 503, "text/plain; charset=utf-8", body, "no-store");
  }

  /**
   * The app's page: never cached, so a new build and a new CSP apply at once. `meta` adds
   * `<meta name content>` tags to its head (the request key, after a one-time link), escaped.
   */
  function index(res: ServerResponse, status = 200, meta: Record<string, string> = {}): void {
    const file = join(distDir, "index.html");
    const built =
      embedded !== undefined
        ? embedded.read("index.html")
        : existsSync(file)
          ? readFileSync(file)
          : undefined;
    if (built === undefined) {
      notBuilt(res);
      return;
    }
    let body = built;
    const tags = Object.entries(meta)
      .map(
        ([name, content]) => `<meta name="${escapeHtml(name)}" content="${escapeHtml(content)}">`,
      )
      .join("");
    if (tags !== "") {
      const html = body.toString("utf8");
      const at = html.indexOf("</head>");
      body = Buffer.from(at < 0 ? tags + html : html.slice(0, at) + tags + html.slice(at), "utf8");
    }
    send(res, status, TYPES[".html"] as string, body, "no-store");
  }

  /** A file of dist, or undefined when the path is not one (the caller answers 404). */
  function file(pathname: string): { body: Buffer; type: string; immutable: boolean } | undefined {
    if (!SAFE_PATH.test(pathname) || pathname.split("/").some((part) => part.startsWith("."))) {
      return undefined;
    }
    const type = TYPES[extname(pathname)];
    if (type === undefined) return undefined;
    const immutable = pathname.startsWith("/assets/");
    if (embedded !== undefined) {
      const body = embedded.read(pathname.slice(1));
      return body === undefined ? undefined : { body, type, immutable };
    }
    const full = join(distDir, ...pathname.slice(1).split("/"));
    try {
      const real = realpathSync(full);
      if (!real.startsWith(realpathSync(distDir) + sep) || !statSync(real).isFile()) {
        return undefined;
      }
      return { body: readFileSync(real), type, immutable };
    } catch {
      return undefined;
    }
  }

  return {
    index,
    /** Answers a GET for a page or an asset; returns false when nothing matched. */
    serve(pathname: string, res: ServerResponse): boolean {
      if (PAGE_PATH.test(pathname)) {
        index(res);
        return true;
      }
      const found = file(pathname);
      if (found === undefined) return false;
      // Hashed file names change with their content; they carry no value, so they may be cached.
      send(
        res,
        200,
        found.type,
        found.body,
        found.immutable ? "public, max-age=31536000, immutable" : "no-store",
      );
      return true;
    },
  };
}

function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll('"', "&quot;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;");
}
