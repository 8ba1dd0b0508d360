/**
 * The robot's business logic, free of any transport. The socket server (CLI and runs) and the
 * Secrets window server (127.0.0.1, same process) both call THIS service, through the one table
 * of person-facing routes (src/http/person-routes.ts), so rules and audit live in one place:
 *
 * - a run token is scoped to the names its process declares (service/runs.service.ts);
 * - every read, reveal, write and refusal is audited inside the service, and a value is returned
 *   only after its audit entry is committed (service/secrets.service.ts);
 * - sign-in, sign-out and sync with the platform, which only ever sees names, booleans and
 *   timestamps (service/session.service.ts).
 *
 * Each part is a factory that takes only what it uses (`Pick<>` of the vault holder, the sign-in
 * store, the run tokens, the change signal); this file wires them, and nothing else.
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
import type { PlatformClient } from "../platform/platform-client.ts";
import { VERSION } from "../version.ts";
import type { Actor, PersonActor } from "./actor.ts";
import { type ChangeSignal, createChangeSignal } from "./changes.ts";
import { createRefusalTally } from "./refusal-tally.ts";
import { createRemovedNames } from "./removed-names.ts";
import { createRunTokenRegistry, type RunTokenRegistry } from "./run-tokens.ts";
import { createRunsService } from "./runs.service.ts";
import { describeError } from "./scope.ts";
import { createSecretsService } from "./secrets.service.ts";
import { type ServiceVault, Settings } from "./service-vault.ts";
import { createSessionService } from "./session.service.ts";
import { createSignInStore } from "./sign-in.ts";
import { createStatusService } from "./status.service.ts";
import { createVaultHolder } from "./vault-holder.ts";

export type { Actor, PersonActor };

export interface RobotServiceDeps {
  /** null: the robot starts locked (docs/adr/0078) until `unlock`. */
  vault: ServiceVault | null;
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
  changes?: ChangeSignal;
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
  | "moveSecret"
  | "forgetPerson"
  | "listPeople"
  | "listAudit"
  | "verifyAudit"
  | "listRuns"
  | "showRun"
>;

/**
 * Values from before values per person (schema 4, docs/adr/0066) go to the person signed in, or
 * the last one who was; with neither, they wait for the next sign-in (session.service claims
 * there too). A damaged older value is logged by name and left unclaimed.
 */
function claimForLastPerson(vault: ServiceVault, log: (line: string) => void): void {
  const email = vault.getSetting(Settings.Email) ?? vault.getSetting(Settings.LastEmail);
  if (email === null || email === "") return;
  try {
    const claimed = vault.claimUnowned(email, { actor: "robot" });
    if (claimed > 0) log(`${claimed} value(s) kept from before are now ${email}'s.`);
  } catch (error) {
    log(`The values kept from before could not be given to ${email}: ${describeError(error)}`);
  }
}

export function createRobotService(deps: RobotServiceDeps) {
  const vaults = createVaultHolder(deps.vault);
  const runs = deps.runTokens ?? createRunTokenRegistry();
  const changes = deps.changes ?? createChangeSignal();
  const clock = deps.clock ?? (() => new Date());
  const log = deps.log ?? (() => {});
  const signIn = createSignInStore({ vaults });
  if (deps.vault !== null) claimForLastPerson(deps.vault, log);
  const removedNames = createRemovedNames();
  const refusals = createRefusalTally({
    record: (event) => vaults.peek()?.recordAudit(event),
    append: (event) => vaults.peek()?.appendAudit(event),
    clock: () => clock().getTime(),
    log,
  });

  const session = createSessionService({
    vaults,
    signIn,
    runs,
    changes,
    removedNames,
    clock,
    log,
    platformFor: deps.platformFor,
    platformUrl: deps.config.platformUrl,
    syncIntervalMs: deps.config.syncIntervalMs,
    hostname: deps.hostname,
  });
  const secrets = createSecretsService({ vaults, signIn, changes, removedNames, refusals });
  const runsService = createRunsService({
    vaults,
    signIn,
    runs,
    refusals,
    clock,
    log,
    changes,
    socketPath: deps.config.socketPath,
  });
  const { status } = createStatusService({
    vaults,
    signIn,
    session,
    runs,
    dataDir: deps.config.dataDir,
    socketPath: deps.config.socketPath,
    robotName: deps.hostname,
    version: VERSION,
  });

  return {
    status,

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
    moveSecret: secrets.moveSecret,
    forgetPerson: secrets.forgetPerson,
    listPeople: secrets.listPeople,
    listAudit: secrets.listAudit,
    verifyAudit: secrets.verifyAudit,

    listRuns: runsService.listRuns,
    showRun: runsService.showRun,
    endRun: runsService.endRun,
    issueRunToken: runsService.issueRunToken,
    revokeRunToken: runsService.revokeRunToken,
    watchRunMask: runsService.watchRunMask,
    readSecretForRun: runsService.readSecretForRun,
    declaredNamesForRun: runsService.declaredNamesForRun,

    /** What changed, for listeners such as the sync scheduler or a live window. */
    changes: changes as Pick<ChangeSignal, "subscribe">,

    /**
     * The vault becomes unusable: reads answer vault_locked (423) until `unlock`. Run tokens
     * survive, so a run waiting for the unlock can go on.
     */
    lock(): void {
      refusals.flush();
      vaults.set(null);
    },

    unlock(vault: ServiceVault): void {
      claimForLastPerson(vault, log);
      vaults.set(vault);
    },

    get activeRuns(): number {
      return runs.size;
    },

    /** Stops the background sync and ends every run. The caller closes the vault. */
    close(): void {
      refusals.flush();
      session.stopBackgroundSync();
      runs.revokeAll();
    },
  };
}
