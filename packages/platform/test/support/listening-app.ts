/**
 * The platform app listening on 127.0.0.1 port 0 with its log kept in memory, for tests of what
 * reaches the socket (raw-http.ts) and of what the platform logs about it.
 */

import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../../src/app.ts";
import type { SqlDb } from "../../src/db/sql-db.ts";
import { memoryMailer } from "./app.ts";
import type { DialectCase, TestDatabase } from "./dialects.ts";
import { raw } from "./raw-http.ts";

export interface ListeningApp {
  readonly app: FastifyInstance;
  readonly db: SqlDb;
  readonly port: number;
  readonly origin: string;
  /** The log lines written so far, parsed. */
  logs(): Record<string, unknown>[];
  /** First-time setup over HTTP: the admin's cookie and CSRF token. */
  setup(): Promise<{ cookie: string; csrfToken: string }>;
  close(): Promise<void>;
}

export async function listenTestApp(dialect: DialectCase): Promise<ListeningApp> {
  const database: TestDatabase = await dialect.create();
  const db = await database.connect();
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      callback();
    },
  });
  let origin = "";
  const app = buildApp({
    db,
    mailer: memoryMailer(),
    webDist: null,
    logger: { level: "info", stream },
    listenOrigins: () => [origin],
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  origin = `http://127.0.0.1:${port}`;
  return {
    app,
    db,
    port,
    origin,
    logs: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    async setup() {
      const answer = await raw(port, "POST", "/api/v1/setup", {
        headers: { host: `127.0.0.1:${port}`, origin, "content-type": "application/json" },
        body: JSON.stringify({
          organization: "Edge",
          email: "admin@example.com",
          password: "correct horse battery staple",
        }),
      });
      if (answer.status !== 201) throw new Error(`setup: ${answer.status} ${answer.body}`);
      const cookie = String(answer.headers["set-cookie"]).split(";")[0] ?? "";
      return { cookie, csrfToken: String(answer.json().csrfToken) };
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
