/**
 * Host validation (ADR 0069): a request whose `Host` is not one of the platform's own (see
 * origin.ts) is answered 421 `host_rejected` before routing, authentication or any handler runs.
 * A page on another name resolved to this server (DNS rebinding: `evil.example:8080` pointing to
 * 127.0.0.1) therefore cannot run first-time setup, sign in, or read anything. The probes
 * (health.ts) are the only exception: orchestrators address them by IP, and they disclose nothing.
 */
import { HeptoraError } from "@heptora/protocol";
import type { FastifyInstance } from "fastify";
import { PROBE_PATHS } from "./health.ts";
import { isOwnHost, type OriginPolicy } from "./origin.ts";

export function installHostCheck(app: FastifyInstance, policy: OriginPolicy): void {
  app.addHook("onRequest", async (request) => {
    const path = request.url.split("?")[0] ?? "";
    if (PROBE_PATHS.has(path) && (request.method === "GET" || request.method === "HEAD")) return;
    if (isOwnHost(policy, request)) return;
    const [own] = policy.origins();
    throw new HeptoraError("host_rejected", {
      hint:
        own === undefined
          ? "Open the platform at the address it listens on."
          : `Open the platform at ${own}. Behind a reverse proxy, pass the original Host ` +
            "(nginx: proxy_set_header Host $host) and set --public-url.",
    });
  });
}
