/**
 * The robot's business logic, free of any transport. The daemon's local API (Unix socket) and
 * the Secrets window (its own 127.0.0.1 server, in the same process) both call THIS service, so
 * rules and audit live in one place:
 *
 * - who may read what: a run token is scoped to the names its process declares;
 * - every read, reveal, write and refusal is audited inside the service, and a value is returned
 *   only after its audit entry is committed (vault.recordAudit, group commit);
 * - sign-in, sign-out and sync with the platform, which only ever sees names, booleans and
 *   timestamps.
 *
 * Actors in the audit log: "cli", "window", "run:<process name>".
 *
 * @example
 * const service = createRobotService({ vault, platformFor, config, hostname: "ana-laptop" });
 * await service.login({ email: "ana@example.com", password }, "cli");
 * await service.setSecret("SAP_USER", "ana", "cli");
 * const grant = await service.issueRunToken({ process: "Invoice Processing" }, "cli");
 * await service.readSecretForRun(grant.token, "SAP_USER"); // { name: "SAP_USER", value: "ana" }
 */
import { randomUUID } from "node:crypto";
import {
  closestNames,
  didYouMean,
  type GetSecretResponse,
  HeptoraError,
  invalidSecretNameMessage,
  isHeptoraError,
  isValidSecretName,
  type LocalAuditVerifyResult,
  LocalLoginRequestSchema,
  type LocalLoginResponse,
  type LocalLogoutResponse,
  type LocalSecretInfo,
  type LocalSecretsList,
  type LocalStatus,
  type LocalSyncResult,
  type RevealedSecret,
  type RunGrant,
  RunGrantRequestSchema,
  type SecretHistory,
  SecretValueSchema,
  type UnsetSecretResponse,
} from "@heptora/protocol";
import { DEFAULT_PLATFORM_URL } from "../config.ts";
import type { PlatformClient } from "../platform/platform-client.ts";
import { statusReport } from "../sync/status-report.ts";
import {
  createSyncScheduler,
  type SyncAttempt,
  type SyncScheduler,
} from "../sync/sync-scheduler.ts";
import { createRunTokenRegistry, type RunTokenRegistry } from "./run-tokens.ts";
import { clearDefinitions, cursorOf, type ServiceVault, Settings } from "./service-vault.ts";

export type Actor = "cli" | "window" | `run:${string}`;

export interface RobotServiceDeps {
  vault: ServiceVault;
  /** A platform client for a base URL (the URL can change at sign-in). */
  platformFor: (baseUrl: string) => PlatformClient;
  config: {
    dataDir: string;
    socketPath: string;
    /** From --platform / HEPTORA_PLATFORM_URL; undefined when neither was given. */
    platformUrl: string | undefined;
    syncIntervalMs: number;
  };
  hostname: string;
  clock?: () => Date;
  log?: (line: string) => void;
  runTokens?: RunTokenRegistry;
}

export type RobotService = ReturnType<typeof createRobotService>;

interface Session {
  token: string;
  robotId: string;
  email: string;
}

export function createRobotService(deps: RobotServiceDeps) {
  const clock = deps.clock ?? (() => new Date());
  const log = deps.log ?? (() => {});
  const runs = deps.runTokens ?? createRunTokenRegistry();
  let vault: ServiceVault | null = deps.vault;
  let scheduler: SyncScheduler | undefined;
  let inFlightSync: Promise<LocalSyncResult> | undefined;
  const syncState = {
    lastAttemptAt: null as string | null,
    lastError: null as string | null,
  };

  function openVault(): ServiceVault {
    if (vault === null) throw new HeptoraError("vault_locked");
    return vault;
  }

  /** The platform to talk to: the configured one, else the one signed in with, else default. */
  function platformUrl(): string {
    return (
      deps.config.platformUrl ?? vault?.getSetting(Settings.PlatformUrl) ?? DEFAULT_PLATFORM_URL
    );
  }

  function session(): Session | undefined {
    const v = openVault();
    const token = v.getSetting(Settings.RobotToken);
    if (token === null) return undefined;
    return {
      token,
      robotId: v.getSetting(Settings.RobotId) ?? "",
      email: v.getSetting(Settings.Email) ?? "",
    };
  }

  function requireSession(): Session {
    const current = session();
    if (current === undefined) throw new HeptoraError("robot_not_signed_in");
    return current;
  }

  function machineId(v: ServiceVault): string {
    const existing = v.getSetting(Settings.MachineId);
    if (existing !== null) return existing;
    const id = randomUUID();
    v.setSetting(Settings.MachineId, id);
    return id;
  }

  /** Forgets the robot token and the definitions it gave us; values stay. */
  async function forgetSession(actor: Actor | "platform", reason: string): Promise<void> {
    const v = openVault();
    const email = v.getSetting(Settings.Email);
    v.setSetting(Settings.RobotToken, null);
    v.setSetting(Settings.RobotId, null);
    v.setSetting(Settings.Email, null);
    v.setSetting(Settings.LastSyncAt, null);
    clearDefinitions(v);
    const revoked = runs.revokeAll();
    await v.recordAudit({
      type: "logout",
      actor,
      outcome: "ok",
      reason,
      ...(email === null ? {} : { details: { email, revokedRuns: revoked } }),
    });
    log(`Signed out (${reason}).`);
  }

  function processes() {
    return openVault().definitions().processes;
  }

  /** Finds an assigned process by exact name, then case-insensitively, then by id. */
  function findProcess(name: string) {
    const all = processes();
    const wanted = name.trim();
    const found =
      all.find((p) => p.name === wanted) ??
      all.find((p) => p.name.toLowerCase() === wanted.toLowerCase()) ??
      all.find((p) => p.id === wanted);
    if (found !== undefined) return found;
    if (all.length === 0 && session() === undefined) {
      throw new HeptoraError("robot_not_signed_in");
    }
    throw new HeptoraError("process_not_assigned", {
      message: `No process named '${wanted}' is assigned to this robot.`,
      ...hintOf(
        didYouMean(
          closestNames(
            wanted,
            all.map((p) => p.name),
          ),
        ),
      ),
    });
  }

  /** Every declared name, across the assigned processes. */
  function declaredNames(): Set<string> {
    const names = new Set<string>();
    for (const p of processes()) for (const variable of p.variables) names.add(variable.name);
    return names;
  }

  /** Checks a name typed by a person; suggests the fixed spelling when it breaks the rule. */
  function checkName(name: string): string {
    const trimmed = name.trim();
    if (!isValidSecretName(trimmed)) {
      throw new HeptoraError("validation_failed", { message: invalidSecretNameMessage(trimmed) });
    }
    return trimmed;
  }

  function info(name: string): LocalSecretInfo {
    const current = openVault().secretInfo(name);
    return current === undefined || !current.set
      ? {
          name,
          set: false,
          version: current?.version ?? null,
          updatedAt: current?.updatedAt ?? null,
        }
      : { name, set: true, version: current.version, updatedAt: current.updatedAt };
  }

  async function syncOnce(): Promise<LocalSyncResult> {
    const v = openVault();
    const current = requireSession();
    const platform = deps.platformFor(platformUrl());
    syncState.lastAttemptAt = clock().toISOString();
    try {
      const before = cursorOf(v);
      const answer = await platform.definitions(current.token, before);
      v.applyDefinitions({
        cursor: answer.cursor,
        full: answer.full || before === null,
        processes: answer.processes,
        removedProcessIds: answer.removed.processes,
      });
      const syncedAt = clock().toISOString();
      v.setSetting(Settings.LastSyncAt, syncedAt);
      let reported = true;
      try {
        await platform.reportStatus(current.token, statusReport(v));
      } catch (error) {
        if (isHeptoraError(error) && error.code === "invalid_robot_token") throw error;
        reported = false;
        log(`Status report failed: ${describe(error)}`);
      }
      const result: LocalSyncResult = {
        syncedAt,
        full: answer.full || before === null,
        processes: v.definitions().processes.length,
        changed: answer.processes.length,
        removed: answer.removed.processes.length,
        reported,
      };
      syncState.lastError = null;
      if (result.changed > 0 || result.removed > 0 || result.full) {
        await v.recordAudit({
          type: "sync",
          actor: "platform",
          outcome: "ok",
          details: {
            processes: result.processes,
            changed: result.changed,
            removed: result.removed,
          },
        });
        log(
          `Synced ${result.processes} processes (${result.changed} changed, ${result.removed} removed).`,
        );
      }
      return result;
    } catch (error) {
      syncState.lastError = describe(error);
      if (isHeptoraError(error) && error.code === "invalid_robot_token") {
        await forgetSession("platform", "the platform refused the robot token");
        throw new HeptoraError("robot_not_signed_in", {
          message: "The platform no longer accepts this robot's sign-in: it is signed out now.",
          hint: "Sign in again with `heptora login`.",
        });
      }
      throw error;
    }
  }

  const service = {
    /** The robot at a glance (no value, no token). */
    status(): LocalStatus {
      const v = vault;
      const current = v === null ? undefined : session();
      const procs = v === null ? [] : v.definitions().processes;
      const names = v === null ? new Set<string>() : declaredNames();
      let set = 0;
      for (const name of names) if (v?.secretInfo(name)?.set === true) set++;
      const nextAt = scheduler?.nextAt ?? null;
      return {
        dataDir: deps.config.dataDir,
        socketPath: deps.config.socketPath,
        platformUrl: platformUrl(),
        signedIn: current !== undefined,
        email: current?.email ?? null,
        robotId: current?.robotId ?? null,
        robotName: deps.hostname,
        vaultId: v?.id ?? "",
        locked: v === null,
        keyProtectionWarning: v?.keyProtectionWarning() ?? null,
        sync: {
          lastSyncAt: v?.getSetting(Settings.LastSyncAt) ?? null,
          lastAttemptAt: syncState.lastAttemptAt,
          lastError: syncState.lastError,
          nextSyncAt:
            current === undefined || nextAt === null ? null : new Date(nextAt).toISOString(),
          intervalSeconds: deps.config.syncIntervalMs / 1000,
        },
        counts: {
          processes: procs.length,
          declared: names.size,
          set,
          missing: names.size - set,
        },
        activeRuns: runs.size,
      };
    },

    /** Signs the robot in with the user's platform credentials, then syncs once. */
    async login(
      input: { email: string; password: string },
      actor: Actor,
    ): Promise<LocalLoginResponse> {
      const { email, password } = LocalLoginRequestSchema.parse(input);
      const v = openVault();
      const url = platformUrl();
      const previous = session();
      let answer: { robotId: string; token: string };
      try {
        answer = await deps.platformFor(url).login({
          email,
          password,
          robotName: robotName(deps.hostname),
          machineId: machineId(v),
        });
      } catch (error) {
        await v.recordAudit({
          type: "login",
          actor,
          outcome: "failed",
          reason: isHeptoraError(error) ? error.code : "error",
          details: { email },
        });
        throw error;
      }
      if (previous !== undefined && previous.email !== email) {
        // Another user's definitions must not linger: the first sync below is a full one.
        clearDefinitions(v);
        runs.revokeAll();
      }
      v.setSetting(Settings.RobotToken, answer.token);
      v.setSetting(Settings.RobotId, answer.robotId);
      v.setSetting(Settings.Email, email);
      v.setSetting(Settings.PlatformUrl, url);
      await v.recordAudit({
        type: "login",
        actor,
        outcome: "ok",
        details: { email, robotId: answer.robotId },
      });
      log(`Signed in as ${email} (robot ${answer.robotId}).`);
      let sync: LocalSyncResult | null = null;
      let syncError: string | null = null;
      try {
        sync = await service.syncNow();
      } catch (error) {
        syncError = describe(error);
      }
      scheduler?.poke();
      return { email, robotId: answer.robotId, sync, syncError };
    },

    /** Revokes the robot token at the platform (best effort) and forgets it; values stay. */
    async logout(actor: Actor): Promise<LocalLogoutResponse> {
      const current = requireSession();
      let revokedAtPlatform = true;
      try {
        await deps.platformFor(platformUrl()).logout(current.token);
      } catch (error) {
        // Already revoked counts as revoked; unreachable means an admin must revoke it.
        revokedAtPlatform = isHeptoraError(error) && error.code === "invalid_robot_token";
      }
      await forgetSession(actor, "signed out");
      return { signedOut: true, revokedAtPlatform };
    },

    /** Fetches what changed since the cursor, caches it, reports which names are set. */
    syncNow(): Promise<LocalSyncResult> {
      if (inFlightSync !== undefined) return inFlightSync;
      inFlightSync = syncOnce().finally(() => {
        inFlightSync = undefined;
      });
      return inFlightSync;
    },

    /** Names grouped by process, set or not, last change. Never a value. */
    listSecrets(query: { process?: string } = {}): LocalSecretsList {
      const v = openVault();
      const selected = query.process === undefined ? processes() : [findProcess(query.process)];
      const declared = declaredNames();
      return {
        processes: selected.map((p) => ({
          id: p.id,
          name: p.name,
          description: p.description,
          variables: p.variables.map((variable) => ({
            ...info(variable.name),
            secret: variable.secret,
            description: variable.description,
          })),
        })),
        undeclared: v
          .listSecrets()
          .filter((s) => s.set && !declared.has(s.name))
          .map((s) => info(s.name)),
      };
    },

    /** Stores a value for a name some assigned process declares (audited as secret.set). */
    async setSecret(name: string, value: string, actor: Actor): Promise<LocalSecretInfo> {
      const checked = checkName(name);
      const parsedValue = SecretValueSchema.parse(value);
      const declared = declaredNames();
      if (!declared.has(checked)) {
        if (declared.size === 0 && session() === undefined) {
          throw new HeptoraError("robot_not_signed_in");
        }
        throw new HeptoraError("secret_not_declared", {
          message: `No process assigned to this robot declares '${checked}'.`,
          ...hintOf(didYouMean(closestNames(checked, declared)) ?? "See `heptora secrets list`."),
        });
      }
      const v = openVault();
      // The vault writes the secret.set audit entry in the same transaction as the value.
      v.setSecret(checked, parsedValue, { actor });
      scheduler?.poke();
      return info(checked);
    },

    /** A value for a person (CLI `secrets get`, the window's reveal), audited before it returns. */
    async revealSecret(name: string, actor: Actor): Promise<RevealedSecret> {
      const checked = checkName(name);
      const v = openVault();
      const secret = v.getSecret(checked);
      if (secret === undefined) {
        throw new HeptoraError("secret_value_missing", {
          message: `'${checked}' has no value on this robot.`,
          hint: "Set it with `heptora secrets set` or in the Secrets window.",
        });
      }
      await v.recordAudit({ type: "secret.reveal", name: checked, actor, outcome: "ok" });
      return {
        name: checked,
        value: secret.value,
        version: secret.version,
        updatedAt: secret.updatedAt,
      };
    },

    async unsetSecret(name: string, actor: Actor): Promise<UnsetSecretResponse> {
      const checked = checkName(name);
      const v = openVault();
      const removed = v.unsetSecret(checked, { actor });
      if (removed) scheduler?.poke();
      return { name: checked, removed };
    },

    history(name: string): SecretHistory {
      const checked = checkName(name);
      return { name: checked, versions: openVault().history(checked) };
    },

    async restoreSecret(name: string, version: number, actor: Actor): Promise<LocalSecretInfo> {
      const checked = checkName(name);
      const v = openVault();
      v.restoreSecret(checked, version, { actor });
      scheduler?.poke();
      return info(checked);
    },

    listAudit(query: { limit?: number; beforeSeq?: number; type?: string; name?: string }) {
      return { entries: openVault().listAudit(query) };
    },

    verifyAudit(): LocalAuditVerifyResult {
      const result = openVault().verifyAudit();
      return { ok: result.ok, count: result.count, problems: result.problems };
    },

    /**
     * A run token for one run of `process`, with what `heptora run` needs: the values to mask
     * in the output and the values asked for with --env. Audited as run.start (names only).
     */
    async issueRunToken(
      input: { process: string; env?: string[] },
      actor: Actor,
    ): Promise<RunGrant> {
      const request = RunGrantRequestSchema.parse(input);
      const v = openVault();
      const proc = findProcess(request.process);
      const declared = new Set(proc.variables.map((variable) => variable.name));
      const env: Record<string, string> = {};
      for (const name of request.env) {
        if (!declared.has(name)) throw notDeclared(proc.name, name, declared);
        const secret = v.getSecret(name);
        if (secret === undefined) throw valueMissing(name);
        env[name] = secret.value;
      }
      const mask: string[] = [];
      for (const variable of proc.variables) {
        if (!variable.secret) continue;
        const secret = v.getSecret(variable.name);
        if (secret !== undefined) mask.push(secret.value);
      }
      const { run, token } = runs.issue(proc, clock());
      mask.push(token);
      const runActor: Actor = `run:${proc.name}`;
      try {
        await v.recordAudit({
          type: "run.start",
          process: proc.name,
          actor,
          outcome: "ok",
          reason: "values handed to heptora run for output masking",
          details: { runId: run.runId, masked: mask.length - 1 },
        });
        for (const name of Object.keys(env)) {
          await v.recordAudit({
            type: "secret.read",
            name,
            process: proc.name,
            actor: runActor,
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
        socketPath: deps.config.socketPath,
        names: [...declared],
        mask,
        env,
      };
    },

    /** Ends a run: its token stops working at once. */
    revokeRunToken(runId: string): boolean {
      const revoked = runs.revoke(runId);
      if (revoked) log(`Run ${runId} ended.`);
      return revoked;
    },

    /**
     * `GET /v1/secrets/{name}` for a run. A bad token is refused before anything else (audited,
     * with no hint whether the name exists); a name outside the process's scope is
     * secret_not_declared with close names of that process only.
     */
    async readSecretForRun(token: string | undefined, name: string): Promise<GetSecretResponse> {
      const run = token === undefined ? undefined : runs.resolve(token);
      if (run === undefined) {
        const v = vault;
        if (v !== null) {
          await v.recordAudit({
            type: "access.denied",
            ...(isValidSecretName(name) ? { name } : {}),
            actor: "unknown",
            outcome: "denied",
            reason: token === undefined ? "no run token" : "invalid run token",
          });
        }
        log("Refused a secret read with an invalid run token.");
        throw new HeptoraError("invalid_run_token");
      }
      const v = openVault();
      const actor: Actor = `run:${run.processName}`;
      const proc = v.definitions().processes.find((p) => p.id === run.processId);
      const declared = new Set(proc?.variables.map((variable) => variable.name) ?? []);
      if (!isValidSecretName(name) || !declared.has(name)) {
        await v.recordAudit({
          type: "access.denied",
          ...(isValidSecretName(name) ? { name } : {}),
          process: run.processName,
          actor,
          outcome: "denied",
          reason: "not declared by the process",
        });
        throw notDeclared(run.processName, name, declared);
      }
      const secret = v.getSecret(name);
      if (secret === undefined) {
        await v.recordAudit({
          type: "access.denied",
          name,
          process: run.processName,
          actor,
          outcome: "failed",
          reason: "value not set",
        });
        throw valueMissing(name);
      }
      // Committed before the value leaves: a read that is not in the log did not happen.
      await v.recordAudit({
        type: "secret.read",
        name,
        process: run.processName,
        actor,
        outcome: "ok",
      });
      return { name, value: secret.value };
    },

    /** Starts the periodic sync (every interval; backoff when the platform is down). */
    startBackgroundSync(): void {
      scheduler ??= createSyncScheduler({
        intervalMs: deps.config.syncIntervalMs,
        attempt: async (): Promise<SyncAttempt> => {
          if (vault === null || session() === undefined) return "skipped";
          try {
            await service.syncNow();
            return "ok";
          } catch (error) {
            log(`Sync failed: ${describe(error)}`);
            return "failed";
          }
        },
      });
      scheduler.start();
    },

    /**
     * The vault becomes unusable: reads answer vault_locked (423) until `unlock`. Run tokens
     * survive, so a run that waits for the unlock can go on.
     */
    lock(): void {
      vault = null;
    },

    unlock(next: ServiceVault): void {
      vault = next;
    },

    get activeRuns(): number {
      return runs.size;
    },

    /** Stops the background sync and ends every run. The caller closes the vault. */
    close(): void {
      scheduler?.stop();
      runs.revokeAll();
    },
  };
  return service;
}

function hintOf(hint: string | undefined): { hint?: string } {
  return hint === undefined ? {} : { hint };
}

function notDeclared(processName: string, name: string, declared: Set<string>): HeptoraError {
  const shown = name.length > 80 ? `${name.slice(0, 77)}...` : name;
  return new HeptoraError("secret_not_declared", {
    message: `Process '${processName}' does not declare '${shown}'.`,
    ...hintOf(didYouMean(closestNames(name, declared))),
  });
}

function valueMissing(name: string): HeptoraError {
  return new HeptoraError("secret_value_missing", {
    hint: `Set '${name}' in the Secrets window (heptora ui) or with \`heptora secrets set ${name}\`.`,
  });
}

function robotName(hostname: string): string {
  const cleaned = hostname
    .replace(/\p{Cc}/gu, "")
    .trim()
    .slice(0, 100);
  return cleaned === "" ? "robot" : cleaned;
}

/** One line about an error for logs and status: its message, never a stack. */
function describe(error: unknown): string {
  if (isHeptoraError(error)) return error.message;
  return error instanceof Error ? error.name : "unknown error";
}
