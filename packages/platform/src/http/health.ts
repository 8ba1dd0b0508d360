/**
 * The probes (ADR 0069), outside /api and outside the Host check, answering nothing an attacker
 * could use (no version, no setup state, no database detail):
 * - `GET /healthz`: liveness, 200 `{ "status": "ok" }` while the process serves HTTP at all;
 *   it does not touch the database, so a database outage does not get the process restarted.
 * - `GET /readyz`: readiness, 200 `{ "status": "ready" }` when the database answers and has
 *   every migration this build needs; else 503 `service_unavailable` (no database, or the
 *   server is shutting down) or 503 `database_not_migrated` (started with `--no-migrate` before
 *   `heptora-platform migrate` ran), so a load balancer sends no traffic to an instance that
 *   cannot serve. A schema NEWER than this build is ready: during a rolling upgrade the old
 *   instances keep serving after the migrate step (migrations only add, ADR 0084). A database
 *   that does not answer within READY_TIMEOUT_MS (a host that drops packets, a server that
 *   accepts and hangs) is `service_unavailable` too: a probe answers, it does not hang.
 */
import { HeptoraError } from "@heptora/protocol";
import type { FastifyInstance } from "fastify";
import { LATEST_SCHEMA_VERSION, schemaVersion } from "../db/migrate.ts";
import type { SqlDb } from "../db/sql-db.ts";

export const PROBE_PATHS: ReadonlySet<string> = new Set(["/healthz", "/readyz"]);

export const READY_TIMEOUT_MS = 3000;

/** `work`, or a rejection once `ms` passed without an answer. */
async function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error("no answer"), { code: "ETIMEDOUT" })),
      ms,
    );
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

export function installProbes(app: FastifyInstance, db: SqlDb): void {
  app.get("/healthz", async (_request, reply) =>
    reply.header("cache-control", "no-store").send({ status: "ok" }),
  );
  app.get("/readyz", async (request, reply) => {
    let version: number;
    try {
      version = await within(schemaVersion(db), READY_TIMEOUT_MS);
    } catch (error) {
      request.log.warn({ code: (error as { code?: unknown }).code }, "readiness: no database");
      throw new HeptoraError("service_unavailable", {
        message: "The platform cannot reach its database.",
        hint: "Check the database server and the --db setting.",
      });
    }
    if (version < LATEST_SCHEMA_VERSION) {
      throw new HeptoraError("database_not_migrated", {
        hint: "Run `heptora-platform migrate` with the same --db, or start without --no-migrate.",
      });
    }
    return reply.header("cache-control", "no-store").send({ status: "ready" });
  });
}
