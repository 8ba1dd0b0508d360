/**
 * Draining on shutdown (ADR 0084). Closing the server stops accepting connections and closes the
 * idle kept-alive ones, while a request in flight runs to its end; its answer then carries
 * `Connection: close`, so its connection ends too instead of holding the process open until the
 * shutdown timeout. (A request arriving on a kept-alive connection meanwhile gets 503 from
 * Fastify's return503OnClosing.)
 */
import type { FastifyInstance } from "fastify";

export function installDrain(app: FastifyInstance): void {
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });
  app.addHook("onSend", async (_request, reply) => {
    if (closing) reply.header("connection", "close");
  });
}
