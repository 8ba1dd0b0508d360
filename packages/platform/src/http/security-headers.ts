/**
 * Headers on every response: the web security headers both web servers share (@heptora/protocol:
 * CSP, no MIME sniffing, no referrer, no framing), HSTS behind HTTPS, no caching of API answers.
 */
import { SECURITY_HEADERS } from "@heptora/protocol";
import type { FastifyInstance } from "fastify";

export function installSecurityHeaders(app: FastifyInstance, options: { https: boolean }): void {
  app.addHook("onSend", async (request, reply) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
    if (options.https) {
      reply.header("strict-transport-security", "max-age=31536000; includeSubDomains");
    }
    if (request.url.startsWith("/api/") && !reply.hasHeader("cache-control")) {
      reply.header("cache-control", "no-store");
    }
  });
}
