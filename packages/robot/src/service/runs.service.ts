/**
 * Runs: a run token per `heptora run`, scoped to one process (ADR 0031), and the read an
 * automation makes with it. A value leaves only after its secret.read entry is committed.
 */
import {
  type DeclaredNamesResponse,
  type GetSecretResponse,
  HeptoraError,
  isValidSecretName,
  type RunDetail,
  type RunGrant,
  RunGrantRequestSchema,
  type RunList,
} from "@heptora/protocol";
import type { Actor } from "./actor.ts";
import type { ChangeSignal } from "./changes.ts";
import type { RefusalTally } from "./refusal-tally.ts";
import { missingValuesError, type RunEndInput, runDetail, runSummary } from "./run-records.ts";
import type { RunTokenRegistry } from "./run-tokens.ts";
import { findProcess, notDeclared, valueMissing } from "./scope.ts";
import type { SignInStore } from "./sign-in.ts";
import type { VaultHolder } from "./vault-holder.ts";

export interface RunsServiceDeps {
  vaults: Pick<VaultHolder, "vault" | "peek">;
  signIn: Pick<SignInStore, "current" | "person">;
  runs: Pick<RunTokenRegistry, "issue" | "revoke" | "resolve" | "list">;
  /** Bad run tokens are counted, not each audited (docs/adr/0071). */
  refusals: Pick<RefusalTally, "refused">;
  clock: () => Date;
  log: (line: string) => void;
  /** Values set during a run reach its masker (watchRunMask). */
  changes: Pick<ChangeSignal, "subscribe">;
  /** Handed to the child as HEPTORA_ROBOT_SOCKET. */
  socketPath: string;
}

export type RunsService = ReturnType<typeof createRunsService>;

export function createRunsService(deps: RunsServiceDeps) {
  const { vaults, signIn, runs, refusals, clock, log } = deps;
  /** The names each run going on has read already (its record has them). */
  const readNames = new Map<string, Set<string>>();
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
      const vault = vaults.vault();
      const proc = findProcess(
        vault.definitions().processes,
        request.process,
        signIn.current() !== undefined,
      );
      const person = signIn.person();
      const declared = new Set(proc.variables.map((variable) => variable.name));
      const env: Record<string, string> = {};
      for (const name of request.env) {
        if (!declared.has(name)) throw notDeclared(proc.name, name, declared);
        const secret = vault.getSecret(person, name);
        if (secret === undefined) throw valueMissing(name);
        env[name] = secret.value;
      }
      const mask: string[] = [];
      const missing: string[] = [];
      for (const variable of proc.variables) {
        if (!variable.secret) continue;
        const secret = vault.getSecret(person, variable.name);
        if (secret === undefined) missing.push(variable.name);
        else mask.push(secret.value);
      }
      // The pre-run check (docs/adr/0077): fail before the child starts, naming every gap.
      if (missing.length > 0 && request.requireValues) throw missingValuesError(proc.name, missing);
      const { run, token } = runs.issue(proc, person, clock());
      mask.push(token);
      try {
        vault.runRecords.start({
          runId: run.runId,
          person,
          process: { id: proc.id, name: proc.name },
          command: request.command,
          startedAt: run.startedAt,
        });
        await vault.recordAudit({
          type: "run.start",
          process: proc.name,
          actor,
          outcome: "ok",
          reason: "values handed to heptora run for output masking",
          details: {
            runId: run.runId,
            masked: mask.length - 1,
            ...(missing.length > 0 && { withoutValue: missing.length }),
          },
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
        runs.revoke(run.runId);
        throw error;
      }
      log(`Run ${run.runId} of '${proc.name}' started.`);
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

    /**
     * Keeps a run's masker up to date (docs/adr/0075): after a change of values or definitions,
     * calls `send` with the values of the process's secret variables for the run's person that
     * it was not given yet (a value set or changed during the run). Old values stay masked by
     * the run. Returns the function that stops watching (when the run's connection closes).
     */
    watchRunMask(grant: Pick<RunGrant, "runId" | "mask">, send: (values: string[]) => void) {
      const sent = new Set(grant.mask);
      return deps.changes.subscribe((kind) => {
        if (kind !== "values" && kind !== "definitions") return;
        const run = runs.list().find((candidate) => candidate.runId === grant.runId);
        const vault = vaults.peek();
        if (run === undefined || vault === null || vault === undefined) return;
        const proc = vault.definitions().processes.find((p) => p.id === run.processId);
        if (proc === undefined) return;
        const fresh: string[] = [];
        for (const variable of proc.variables) {
          if (!variable.secret) continue;
          let value: string | undefined;
          try {
            value = vault.getSecret(run.person, variable.name)?.value;
          } catch {
            // An unreadable value is reported where it is read; nothing to mask from it.
            continue;
          }
          if (value === undefined || value === "" || sent.has(value)) continue;
          sent.add(value);
          fresh.push(value);
        }
        if (fresh.length > 0) send(fresh);
      });
    },

    /** The signed-in person's recent runs, newest first (ADR 0066: nobody else's). */
    listRuns(query: { limit?: number } = {}): RunList {
      const active = new Set(runs.list().map((run) => run.runId));
      const records = vaults.vault().runRecords.list(signIn.person(), query.limit ?? 100);
      return { runs: records.map((record) => runSummary(record, active)) };
    },

    /** Everything recorded for one run of the signed-in person; not_found for anyone else's. */
    showRun(runId: string): RunDetail {
      const record = vaults.vault().runRecords.get(signIn.person(), runId);
      if (record === undefined) {
        throw new HeptoraError("not_found", {
          message: `There is no run '${runId.slice(0, 100)}' of yours on this robot.`,
          hint: "List your runs with: heptora runs list",
        });
      }
      return runDetail(record, new Set(runs.list().map((run) => run.runId)));
    },

    /** How a run's child ended, as its `heptora run` tells before closing (a run going on). */
    endRun(runId: string, input: RunEndInput): void {
      if (!runs.list().some((run) => run.runId === runId)) {
        throw new HeptoraError("not_found", {
          message: `There is no run '${runId.slice(0, 100)}' going on.`,
        });
      }
      vaults.vault().runRecords.end(runId, { endedAt: clock().toISOString(), ...input });
    },

    /**
     * Ends a run: its token stops working at once. A record its `heptora run` did not complete
     * (killed) ends with an unknown exit code.
     */
    revokeRunToken(runId: string): boolean {
      const revoked = runs.revoke(runId);
      readNames.delete(runId);
      if (revoked) {
        log(`Run ${runId} ended.`);
        try {
          vaults.peek()?.runRecords.end(runId, { endedAt: clock().toISOString(), exitCode: null });
        } catch (error) {
          log(`The record of run ${runId} could not be completed: ${String(error)}`);
        }
      }
      return revoked;
    },

    /**
     * `GET /v1/secrets/{name}` for a run. A bad token is refused before anything else (audited,
     * no hint whether the name exists); a name outside the process's scope is
     * secret_not_declared with close names of that process only; a declared name without a value
     * is secret_value_missing.
     */
    async readSecretForRun(token: string | undefined, name: string): Promise<GetSecretResponse> {
      const run = await resolveRun(token, "read", name);
      // One vault call: the scope check, the value and its audit entry in one transaction,
      // committed before the value leaves (a read that is not in the log did not happen).
      const actor: Actor = `run:${run.processName}`;
      const read = await vaults.vault().readForRun({
        name,
        processId: run.processId,
        process: run.processName,
        actor,
        person: run.person,
      });
      if (read.outcome === "not_declared") throw notDeclared(run.processName, name, read.declared);
      if (read.outcome === "value_missing") throw valueMissing(name);
      // The run's record notes each name at its first read (one write per name, not per read).
      const names = readNames.get(run.runId) ?? new Set<string>();
      readNames.set(run.runId, names);
      if (!names.has(name)) {
        names.add(name);
        vaults.vault().runRecords.noteRead(run.runId, name, clock().toISOString());
      }
      return { name, value: read.secret.value };
    },

    /**
     * `GET /v1/secrets` for a run: the names its process declares (as cached now), names only.
     * A bad token is refused and audited as for a read. Not audited when it succeeds: no value
     * leaves, and the names are what the process's definition already says (docs/adr/0076).
     */
    async declaredNamesForRun(token: string | undefined): Promise<DeclaredNamesResponse> {
      const run = await resolveRun(token, "names list");
      const proc = vaults
        .vault()
        .definitions()
        .processes.find((p) => p.id === run.processId);
      return {
        process: run.processName,
        names: (proc?.variables ?? []).map((variable) => ({
          name: variable.name,
          secret: variable.secret,
        })),
      };
    },
  };

  /**
   * The run a token belongs to. A missing or bad token is refused (no hint whether the name
   * exists) and counted: the first of a minute per kind is audited before the answer, the rest
   * are summed up in one entry, so a flood of guesses cannot grow the audit chain without limit
   * (docs/adr/0071).
   */
  async function resolveRun(token: string | undefined, what: "read" | "names list", name?: string) {
    const run = token === undefined ? undefined : runs.resolve(token);
    if (run !== undefined) return run;
    const kind = token === undefined ? "no run token" : "invalid run token";
    const reason = what === "read" ? kind : `${kind} (${what})`;
    const recorded = await refusals.refused(reason, {
      type: "access.denied",
      ...(name !== undefined && isValidSecretName(name) ? { name } : {}),
      actor: "unknown",
      outcome: "denied",
      reason,
    });
    if (recorded) log(`Refused a secret ${what} with an invalid run token (further ones counted).`);
    throw new HeptoraError("invalid_run_token");
  }
}
