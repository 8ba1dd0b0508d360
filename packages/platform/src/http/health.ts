/**
 * The probes (ADR 0069), outside /api and outside the Host check, answering nothing an attacker
 * could use (no version, no setup state, no database detail):
 * - `GET /healthz`: liveness, 200 `{ "status": "ok" }` while the process serves HTTP at all;
 *   it does not touch the database, so a database outage does not get the process restarted.
 * - `GET /readyz`: readiness, 200 `{ "status": "ready" }` when a `SELECT 1` answers, else 503
 *   `service_unavailable` (and 503 while the server is shutting down), so a load balancer stops
 *   sending traffic to an instance that cannot reach its database.
 */
import { HeptoraError } from "@heptora/protocol";
import type { FastifyInstance } from "fastify";
import type { SqlDb } from "../db/sql-db.ts";

export const PROBE_PATHS: ReadonlySet<string> = new Set(["/healthz", "/readyz"]);

export function installProbes(app: FastifyInstance, db: SqlDb): void {
  app.get("/healthz", async (_request, reply) =>
    reply.header("cache-control", "no-store").send({ status: "ok" }),
  );
  app.get("/readyz", async (request, reply) => {
    try {
      await db.get("SELECT 1 AS one");
    } catch (error) {
      request.log.warn({ code: (error as { code?: unknown }).code }, "readiness: no database");
      throw new HeptoraError("service_unavailable", {
        message: "The platform cannot reach its database.",
        hint: "Check the database server and the --db setting.",
      });
    }
    return reply.header("cache-control", "no-store").send({ status: "ready" });
  });
}
