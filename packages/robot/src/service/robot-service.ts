/**
 * The robot's business logic, free of any transport. The daemon's local API (Unix socket) and
 * the Secrets window (its own 127.0.0.1 server, in the same process) call THIS service, so rules
 * and audit live in one place:
 *
 * - a run token is scoped to the names its process declares (service/runs-service.ts);
 * - every read, reveal, write and refusal is audited inside the service, and a value is returned
 *   only after its audit entry is committed (service/secrets-service.ts);
 * - sign-in, sign-out and sync with the platform, which only ever sees names, booleans and
 *   timestamps (service/session-service.ts).
 *
 * Actors in the audit log: "cli", "window", "run:<process name>". Errors are HeptoraErrors with
 * codes from @heptora/protocol; render them with `error.toBody()` and `error.status`.
 *
 * @example
 * const service = createRobotService({ vault, platformFor, config, hostname: "ana-laptop" });
 * await service.login({ email: "ana@example.com", password }, "window");
 * await service.setSecret("SAP_USER", "ana", "window");
 * const grant = await service.issueRunToken({ process: "Invoice Processing" }, "cli");
 * await service.readSecretForRun(grant.token, "SAP_USER"); // { name: "SAP_USER", value: "ana" }
 */
import type { LocalStatus } from "@heptora/protocol";
import type { PlatformClient } from "../platform/platform-client.ts";
import { type Actor, createServiceContext } from "./context.ts";
import { createRunTokenRegistry, type RunTokenRegistry } from "./run-tokens.ts";
import { createRunsService } from "./runs.service.ts";
import { declaredNames } from "./scope.ts";
import { createSecretsService } from "./secrets.service.ts";
import { type ServiceVault, Settings } from "./service-vault.ts";
import { createSessionService } from "./session.service.ts";

export type { Actor };

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

/** What a person can do with the robot, from the CLI or the Secrets window (not a run's read). */
export type PersonFacingService = Pick<
  RobotService,
  | "status"
  | "login"
  | "logout"
  | "syncNow"
  | "listSecrets"
  | "setSecret"
  | "unsetSecret"
  | "revealSecret"
  | "history"
  | "restoreSecret"
  | "listAudit"
  | "verifyAudit"
>;

export function createRobotService(deps: RobotServiceDeps) {
  const ctx = createServiceContext({
    vault: deps.vault,
    runs: deps.runTokens ?? createRunTokenRegistry(),
    clock: deps.clock ?? (() => new Date()),
    log: deps.log ?? (() => {}),
  });
  const session = createSessionService(ctx, {
    platformFor: deps.platformFor,
    platformUrl: deps.config.platformUrl,
    syncIntervalMs: deps.config.syncIntervalMs,
    hostname: deps.hostname,
  });
  const secrets = createSecretsService(ctx);
  const runs = createRunsService(ctx, { socketPath: deps.config.socketPath });

  return {
    /** The robot at a glance: sign-in, platform, sync, key protection, counts. No value. */
    status(): LocalStatus {
      const vault = ctx.peekVault();
      const signedIn = vault === null ? undefined : ctx.session();
      const processes = vault?.definitions().processes ?? [];
      const names = declaredNames(processes);
      let set = 0;
      for (const name of names) if (vault?.secretInfo(name)?.set === true) set++;
      const sync = session.syncState();
      return {
        dataDir: deps.config.dataDir,
        socketPath: deps.config.socketPath,
        platformUrl: session.platformUrl(),
        signedIn: signedIn !== undefined,
        email: signedIn?.email ?? null,
        robotId: signedIn?.robotId ?? null,
        robotName: deps.hostname,
        vaultId: vault?.id ?? "",
        locked: vault === null,
        keyProtectionWarning: vault?.keyProtectionWarning() ?? null,
        sync: {
          lastSyncAt: vault?.getSetting(Settings.LastSyncAt) ?? null,
          lastAttemptAt: sync.lastAttemptAt,
          lastError: sync.lastError,
          nextSyncAt: signedIn === undefined ? null : sync.nextSyncAt,
          intervalSeconds: sync.intervalSeconds,
        },
        counts: {
          processes: processes.length,
          declared: names.size,
          set,
          missing: names.size - set,
        },
        activeRuns: ctx.runs.size,
      };
    },

    login: session.login,
    logout: session.logout,
    syncNow: session.syncNow,
    startBackgroundSync: session.startBackgroundSync,

    listSecrets: secrets.listSecrets,
    setSecret: secrets.setSecret,
    revealSecret: secrets.revealSecret,
    unsetSecret: secrets.unsetSecret,
    history: secrets.history,
    restoreSecret: secrets.restoreSecret,
    listAudit: secrets.listAudit,
    verifyAudit: secrets.verifyAudit,

    issueRunToken: runs.issueRunToken,
    revokeRunToken: runs.revokeRunToken,
    readSecretForRun: runs.readSecretForRun,

    /**
     * The vault becomes unusable: reads answer vault_locked (423) until `unlock`. Run tokens
     * survive, so a run waiting for the unlock can go on.
     */
    lock(): void {
      ctx.setVault(null);
    },

    unlock(vault: ServiceVault): void {
      ctx.setVault(vault);
    },

    get activeRuns(): number {
      return ctx.runs.size;
    },

    /** Stops the background sync and ends every run. The caller closes the vault. */
    close(): void {
      session.stopBackgroundSync();
      ctx.runs.revokeAll();
    },
  };
}
