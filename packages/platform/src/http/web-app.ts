/**
 * Serves the built web app (packages/platform/web/dist) at `/`: files as they are (assets with
 * a year-long immutable cache, being content-hashed), and index.html for any other path so the
 * app's own router can take it. Without a build, `/` explains how to make one.
 */
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { extname, resolve, sep } from "node:path";
import type { FastifyInstance, FastifyReply } from "fastify";
import { type EmbeddedFiles, embeddedFiles } from "../lib/sea-assets.ts";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".webmanifest": "application/manifest+json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

const NOT_BUILT = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Heptora platform</title></head>
<body>
<h1>Heptora platform</h1>
<p>The web app is not built. Build it with <code>npm run build:web</code> in the Heptora
repository (<code>npm ci</code>, <code>npm start</code> and <code>npm test</code> do it for you),
then reload this page.</p>
<p>The API is running: see <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
</body>
</html>
`;

/** The default location of the build, next to this package's sources. */
export const DEFAULT_WEB_DIST = resolve(import.meta.dirname, "..", "..", "web", "dist");

/** The absolute file for a URL path inside `root`, or undefined when it would escape it. */
export function resolveInside(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes("\0") || decoded.includes("\\")) return undefined;
  // Hidden files (".env", ".git/...") are never served.
  if (decoded.split("/").some((segment) => segment.startsWith("."))) return undefined;
  const file = resolve(root, `.${decoded}`);
  return file === root || file.startsWith(root + sep) ? file : undefined;
}

async function sendFile(reply: FastifyReply, file: string, cache: string) {
  const body = await readFile(file);
  return reply
    .header("content-type", TYPES[extname(file).toLowerCase()] ?? "application/octet-stream")
    .header("cache-control", cache)
    .send(body);
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export function installWebApp(app: FastifyInstance, dist: string | null): void {
  const embedded = dist === DEFAULT_WEB_DIST ? embeddedFiles("platform-web/") : undefined;
  if (embedded !== undefined) {
    installEmbeddedWebApp(app, embedded);
    return;
  }
  const root = dist !== null && existsSync(resolve(dist, "index.html")) ? resolve(dist) : null;
  app.get("/*", async (request, reply) => {
    const path = request.url.split("?")[0] ?? "/";
    if (path === "/api" || path.startsWith("/api/")) return reply.callNotFound();
    if (root === null) {
      return reply
        .header("content-type", "text/html; charset=utf-8")
        .header("cache-control", "no-cache")
        .send(NOT_BUILT);
    }
    const file = resolveInside(root, path);
    if (file === undefined) return reply.callNotFound();
    if (await isFile(file)) {
      const immutable = path.startsWith("/assets/");
      return sendFile(reply, file, immutable ? "public, max-age=31536000, immutable" : "no-cache");
    }
    // A missing file with an extension is a 404; any other path belongs to the app's router.
    if (extname(path) !== "") return reply.callNotFound();
    return sendFile(reply, resolve(root, "index.html"), "no-cache");
  });
}

/** The same answers as installWebApp, from the build carried inside the executable. */
function installEmbeddedWebApp(app: FastifyInstance, files: EmbeddedFiles): void {
  const send = (reply: FastifyReply, name: string, body: Buffer, cache: string) =>
    reply
      .header("content-type", TYPES[extname(name).toLowerCase()] ?? "application/octet-stream")
      .header("cache-control", cache)
      .send(body);
  app.get("/*", async (request, reply) => {
    const path = request.url.split("?")[0] ?? "/";
    if (path === "/api" || path.startsWith("/api/")) return reply.callNotFound();
    // The same path rules as on disk, checked against a stand-in root.
    const file = resolveInside("/web", path);
    if (file === undefined) return reply.callNotFound();
    const name = file.slice("/web/".length);
    const body = name === "" ? undefined : files.read(name);
    if (body !== undefined) {
      const immutable = path.startsWith("/assets/");
      return send(
        reply,
        name,
        body,
        immutable ? "public, max-age=31536000, immutable" : "no-cache",
      );
    }
    if (extname(path) !== "") return reply.callNotFound();
    const index = files.read("index.html");
    if (index === undefined) return reply.callNotFound();
    return send(reply, "index.html", index, "no-cache");
  });
}
