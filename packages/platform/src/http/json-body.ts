/**
 * JSON bodies: Fastify's own parser (with its prototype-poisoning protection), except that an
 * empty body means "no body". Many HTTP clients send `Content-Type: application/json` on every
 * request, a DELETE with nothing in it included; refusing those as malformed JSON would be a
 * surprise. A route that needs a body still answers 400 `validation_failed` through its schema.
 */
import type { FastifyInstance } from "fastify";

export function installJsonBodyParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const text = typeof body === "string" ? body : body.toString("utf8");
    if (text === "") {
      done(null, undefined);
      return;
    }
    parseJson(request, text, done);
  });
}
