/**
 * Runs: a run token per `heptora run`, scoped to one process (ADR 0031), and the read an
 * automation makes with it. A value leaves only after its secret.read entry is committed.
 */
import {
  type GetSecretResponse,
  HeptoraError,
  isValidSecretName,
  type RunGrant,
  RunGrantRequestSchema,
} from "@heptora/protocol";
import type { Actor, ServiceContext } from "./context.ts";
import { findProcess, notDeclared, valueMissing } from "./scope.ts";

export type RunsService = ReturnType<typeof createRunsService>;

export function createRunsService(ctx: ServiceContext, deps: { socketPath: string }) {
  return {
    /**
     * A run token for one run of `process`, with what `heptora run` needs: the values to mask in
     * the output (secret variables that are set, and the token) and the values asked for with
     * --env. The hand-over is audited (run.start; --env values as secret.read), names only.
     */
    async issueRunToken(
      input: { process: string; env?: string[] },
      actor: Actor,
    ): Promise<RunGrant> {
      const request = RunGrantRequestSchema.parse(input);
      const vault = ctx.vault();
      const proc = findProcess(
        vault.definitions().processes,
        request.process,
        ctx.session() !== undefined,
      );
      const declared = new Set(proc.variables.map((variable) => variable.name));
      const env: Record<string, string> = {};
      for (const name of request.env) {
        if (!declared.has(name)) throw notDeclared(proc.name, name, declared);
        const secret = vault.getSecret(name);
        if (secret === undefined) throw valueMissing(name);
        env[name] = secret.value;
      }
      const mask: string[] = [];
      for (const variable of proc.variables) {
        if (!variable.secret) continue;
        const secret = vault.getSecret(variable.name);
        if (secret !== undefined) mask.push(secret.value);
      }
      const { run, token } = ctx.runs.issue(proc, ctx.clock());
      mask.push(token);
      try {
        await vault.recordAudit({
          type: "run.start",
          process: proc.name,
          actor,
          outcome: "ok",
          reason: "values handed to heptora run for output masking",
          details: { runId: run.runId, masked: mask.length - 1 },
        });
        for (const name of Object.keys(env)) {
          await vault.recordAudit({
            type: "secret.read",
            name,
            process: proc.name,
            actor: `run:${proc.name}`,
            outcome: "ok",
            reason: "--env",
          });
        }
      } catch (error) {
        ctx.runs.revoke(run.runId);
        throw error;
      }
      ctx.log(`Run ${run.runId} of '${proc.name}' started.`);
      return {
        runId: run.runId,
        token,
        process: { id: proc.id, name: proc.name },
        socketPath: deps.socketPath,
        names: [...declared],
        mask,
        env,
      };
    },

    /** Ends a run: its token stops working at once. */
    revokeRunToken(runId: string): boolean {
      const revoked = ctx.runs.revoke(runId);
      if (revoked) ctx.log(`Run ${runId} ended.`);
      return revoked;
    },

    /**
     * `GET /v1/secrets/{name}` for a run. A bad token is refused before anything else (audited,
     * no hint whether the name exists); a name outside the process's scope is
     * secret_not_declared with close names of that process only; a declared name without a value
     * is secret_value_missing.
     */
    async readSecretForRun(token: string | undefined, name: string): Promise<GetSecretResponse> {
      const run = token === undefined ? undefined : ctx.runs.resolve(token);
      if (run === undefined) {
        await ctx.peekVault()?.recordAudit({
          type: "access.denied",
          ...(isValidSecretName(name) ? { name } : {}),
          actor: "unknown",
          outcome: "denied",
          reason: token === undefined ? "no run token" : "invalid run token",
        });
        ctx.log("Refused a secret read with an invalid run token.");
        throw new HeptoraError("invalid_run_token");
      }
      // One vault call: the scope check, the value and its audit entry in one transaction,
      // committed before the value leaves (a read that is not in the log did not happen).
      const actor: Actor = `run:${run.processName}`;
      const read = await ctx.vault().readForRun({
        name,
        processId: run.processId,
        process: run.processName,
        actor,
      });
      if (read.outcome === "not_declared") throw notDeclared(run.processName, name, read.declared);
      if (read.outcome === "value_missing") throw valueMissing(name);
      return { name, value: read.secret.value };
    },
  };
}
