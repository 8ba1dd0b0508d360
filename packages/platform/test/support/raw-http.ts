/**
 * Raw HTTP against a listening platform, for what fetch() will not send: any `Host`, any method
 * (QUERY), a path with broken percent-encoding, a body of arbitrary bytes.
 */

import assert from "node:assert/strict";
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { SECURITY_HEADERS } from "@heptora/protocol";

export interface RawAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  json(): { error: { code: string; message: string; hint?: string } } & Record<string, unknown>;
}

export function raw(
  port: number,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: "127.0.0.1", port, method, path, headers: options.headers ?? {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const body = Buffer.concat(chunks).toString("utf8");
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            json: () => JSON.parse(body),
          });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

/** An answer in the catalogue's error shape with `code`, `status` and the security headers. */
export function assertCatalogueError(answer: RawAnswer, status: number, code: string): void {
  assert.equal(answer.status, status, answer.body);
  assert.match(String(answer.headers["content-type"]), /^application\/json/);
  const { error } = answer.json();
  assert.equal(error.code, code, answer.body);
  assert.equal(typeof error.message, "string");
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    assert.equal(answer.headers[name], value, `header ${name}`);
  }
}
