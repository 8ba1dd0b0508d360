/**
 * JSON bodies: Fastify's own parser (with its prototype-poisoning protection), except that an
 * empty body means "no body". Many HTTP clients send `Content-Type: application/json` on every
 * request, a DELETE with nothing in it included; refusing those as malformed JSON would be a
 * surprise. A route that needs a body still answers 400 `validation_failed` through its schema.
 * A body that is not valid UTF-8 is refused (400 `invalid_json`), never decoded to U+FFFD: a
 * mangled name or password would otherwise be stored or checked as something nobody typed.
 */
import { isUtf8 } from "node:buffer";
import { HeptoraError } from "@heptora/protocol";
import type { FastifyInstance } from "fastify";

export function installJsonBodyParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (request, body, done) => {
    const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
    if (!isUtf8(bytes)) {
      done(
        new HeptoraError("invalid_json", {
          message: "The request body is not valid UTF-8.",
          hint: "Send JSON encoded as UTF-8.",
        }),
        undefined,
      );
      return;
    }
    const text = bytes.toString("utf8");
    if (text === "") {
      done(null, undefined);
      return;
    }
    parseJson(request, text, done);
  });
}
