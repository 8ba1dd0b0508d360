/**
 * Sign-in, sign-out and sync with the platform. The platform sees the user's credentials at
 * sign-in, then only the robot token, names, booleans and timestamps (ADR 0032).
 */
import { randomUUID } from "node:crypto";
import {
  HeptoraError,
  isHeptoraError,
  isRobotSignOutReason,
  LocalLoginRequestSchema,
  type LocalLoginResponse,
  type LocalLogoutResponse,
  type LocalSyncResult,
  RobotSignOutReason,
  withoutUnsafeNameCharacters,
} from "@heptora/protocol";
import { DEFAULT_PLATFORM_URL } from "../config.ts";
import type { PlatformClient } from "../platform/platform-client.ts";
import { statusReport } from "../sync/status-report.ts";
import {
  createSyncScheduler,
  type SyncAttempt,
  type SyncScheduler,
} from "../sync/sync-scheduler.ts";
import type { Actor } from "./actor.ts";
import type { ChangeSignal } from "./changes.ts";
import type { RemovedNames } from "./removed-names.ts";
import type { RunTokenRegistry } from "./run-tokens.ts";
import { describeError } from "./scope.ts";
import { clearDefinitions, cursorOf, type ServiceVault, Settings } from "./service-vault.ts";
import type { SignInStore } from "./sign-in.ts";
import type { VaultHolder } from "./vault-holder.ts";

export interface SessionServiceDeps {
  vaults: Pick<VaultHolder, "vault" | "peek">;
  signIn: SignInStore;
  runs: Pick<RunTokenRegistry, "revokeAll">;
  changes: ChangeSignal;
  removedNames: Pick<RemovedNames, "record">;
  clock: () => Date;
  log: (line: string) => void;
  platformFor: (baseUrl: string) => PlatformClient;
  /** From --platform / HEPTORA_PLATFORM_URL; undefined when neither was given. */
  platformUrl: string | undefined;
  syncIntervalMs: number;
  hostname: string;
}

export type SessionService = ReturnType<typeof createSessionService>;

export function createSessionService(deps: SessionServiceDeps) {
  const { vaults, signIn, runs, changes, removedNames, clock, log } = deps;
  let scheduler: SyncScheduler | undefined;
  let inFlight: Promise<LocalSyncResult> | undefined;
  const state = {
    lastAttemptAt: null as string | null,
    lastError: null as string | null,
    /** Why the robot was last signed out (a SignOutCause), while the vault is locked. */
    signedOutCause: null as string | null,
  };
  changes.subscribe((kind) => {
    if (kind === "values") scheduler?.poke();
  });

  /** The configured platform, else the one signed in with, else the default. */
  function platformUrl(): string {
    return (
      deps.platformUrl ?? vaults.peek()?.getSetting(Settings.PlatformUrl) ?? DEFAULT_PLATFORM_URL
    );
  }

  function machineId(vault: ServiceVault): string {
    const existing = vault.getSetting(Settings.MachineId);
    if (existing !== null) return existing;
    const id = randomUUID();
    vault.setSetting(Settings.MachineId, id);
    return id;
  }

  /** Forgets the robot token and the definitions it brought; values stay. */
  async function forget(actor: Actor | "platform", reason: SignOutCause): Promise<void> {
    const vault = vaults.vault();
    const email = vault.getSetting(Settings.Email);
    for (const key of [
      Settings.RobotToken,
      Settings.RobotId,
      Settings.Email,
      Settings.LastSyncAt,
    ]) {
      vault.setSetting(key, null);
    }
    clearDefinitions(vault);
    const revokedRuns = runs.revokeAll();
    await vault.recordAudit({
      type: "logout",
      actor,
      outcome: "ok",
      reason,
      ...(email === null ? {} : { details: { email, revokedRuns } }),
    });
    // Kept in the vault, so a robot signed out at night still says why in the morning.
    vault.setSetting(Settings.SignedOutCause, reason);
    state.signedOutCause = reason;
    log(`Signed out (${reason}).`);
    changes.notify("session");
  }

  async function syncOnce(): Promise<LocalSyncResult> {
    const vault = vaults.vault();
    const session = signIn.require();
    const platform = deps.platformFor(platformUrl());
    state.lastAttemptAt = clock().toISOString();
    try {
      const cursor = cursorOf(vault);
      const answer = await platform.definitions(session.token, cursor);
      const full = answer.full || cursor === null;
      const before = vault.definitions().processes;
      // A variable id under a new name is a rename: the vault moves every person's values and
      // history to it before the definitions change (audited secret.renamed, in one commit).
      // A robot that was offline catches up here: the cursor sync carries the process complete.
      const renames = vault.applyDefinitions(
        {
          cursor: answer.cursor,
          full,
          processes: answer.processes,
          removedProcessIds: answer.removed.processes,
        },
        { actor: "platform" },
      );
      removedNames.record(before, vault.definitions().processes);
      for (const r of renames) {
        log(
          `${r.from} was renamed ${r.to} on the platform: ${r.moved} value(s) moved` +
            (r.kept > 0 ? `, ${r.kept} kept under ${r.from} (${r.to} already had a value).` : "."),
        );
      }
      if (renames.some((r) => r.moved > 0)) changes.notify("values");
      const syncedAt = clock().toISOString();
      vault.setSetting(Settings.LastSyncAt, syncedAt);
      let reported = true;
      try {
        await platform.reportStatus(
          session.token,
          statusReport(vault, session.email),
          vault.auditCheckpoint(),
        );
      } catch (error) {
        if (isHeptoraError(error) && error.code === "invalid_robot_token") throw error;
        reported = false;
        log(`Status report failed: ${describeError(error)}`);
      }
      const result: LocalSyncResult = {
        syncedAt,
        full,
        processes: vault.definitions().processes.length,
        changed: answer.processes.length,
        removed: answer.removed.processes.length,
        reported,
      };
      state.lastError = null;
      if (result.changed > 0 || result.removed > 0 || full) {
        // Quiet syncs (nothing changed) are not audited: one entry every 30 s would drown the log.
        await vault.recordAudit({
          type: "sync",
          actor: "platform",
          outcome: "ok",
          details: {
            processes: result.processes,
            changed: result.changed,
            removed: result.removed,
          },
        });
        changes.notify("definitions");
        log(
          `Synced ${result.processes} processes (${result.changed} changed, ${result.removed} removed).`,
        );
      }
      return result;
    } catch (error) {
      state.lastError = describeError(error);
      if (isHeptoraError(error) && error.code === "invalid_robot_token") {
        const reason = error.details?.reason;
        const cause = isRobotSignOutReason(reason) ? reason : SignOutCause.Refused;
        await forget("platform", cause);
        throw new HeptoraError("robot_not_signed_in", {
          message: signOutSentence(cause),
          hint: "Sign in again with `heptora login`.",
        });
      }
      throw error;
    }
  }

  const service = {
    platformUrl,

    /** Why the robot was last signed out (a SignOutCause), kept across restarts; null if not. */
    signedOutCause(): string | null {
      return vaults.peek()?.getSetting(Settings.SignedOutCause) ?? state.signedOutCause;
    },

    /** Why the robot was last signed out, in words for the person; null if it was not. */
    signedOutReason(): string | null {
      const cause = service.signedOutCause();
      return cause === null ? null : signOutSentence(cause);
    },

    /** Sync progress for `status`. */
    syncState() {
      const nextAt = scheduler?.nextAt ?? null;
      return {
        lastAttemptAt: state.lastAttemptAt,
        lastError: state.lastError,
        nextSyncAt: nextAt === null ? null : new Date(nextAt).toISOString(),
        intervalSeconds: deps.syncIntervalMs / 1000,
      };
    },

    /** Signs the robot in with the user's platform credentials, then syncs once. */
    async login(
      input: { email: string; password: string },
      actor: Actor,
    ): Promise<LocalLoginResponse> {
      const { email, password } = LocalLoginRequestSchema.parse(input);
      const vault = vaults.vault();
      const url = platformUrl();
      const previous = signIn.current();
      let answer: { robotId: string; token: string };
      try {
        answer = await deps.platformFor(url).login({
          email,
          password,
          robotName: robotName(deps.hostname),
          machineId: machineId(vault),
        });
      } catch (error) {
        await vault.recordAudit({
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
        clearDefinitions(vault);
        runs.revokeAll();
      }
      vault.setSetting(Settings.RobotToken, answer.token);
      vault.setSetting(Settings.RobotId, answer.robotId);
      vault.setSetting(Settings.Email, email);
      state.signedOutCause = null;
      vault.setSetting(Settings.SignedOutCause, null);
      vault.setSetting(Settings.LastEmail, email);
      // Values from before values per person (docs/adr/0066) go to the first person signing in.
      vault.claimUnowned(email, { actor });
      vault.setSetting(Settings.PlatformUrl, url);
      await vault.recordAudit({
        type: "login",
        actor,
        outcome: "ok",
        details: { email, robotId: answer.robotId },
      });
      log(`Signed in as ${email} (robot ${answer.robotId}).`);
      changes.notify("session");
      let sync: LocalSyncResult | null = null;
      let syncError: string | null = null;
      try {
        sync = await service.syncNow();
      } catch (error) {
        syncError = describeError(error);
      }
      return { email, robotId: answer.robotId, sync, syncError };
    },

    /** Revokes the robot token at the platform (best effort) and forgets it; values stay. */
    async logout(actor: Actor): Promise<LocalLogoutResponse> {
      const session = signIn.require();
      let revokedAtPlatform = true;
      try {
        await deps.platformFor(platformUrl()).logout(session.token);
      } catch (error) {
        // Already revoked counts as revoked; unreachable means an admin must revoke it.
        revokedAtPlatform = isHeptoraError(error) && error.code === "invalid_robot_token";
      }
      await forget(actor, SignOutCause.SignedOut);
      return { signedOut: true, revokedAtPlatform };
    },

    /** Fetches what changed since the cursor, caches it, reports which names are set. */
    syncNow(): Promise<LocalSyncResult> {
      inFlight ??= syncOnce().finally(() => {
        inFlight = undefined;
        changes.notify("sync");
      });
      return inFlight;
    },

    /** Starts the periodic sync (every interval; backoff while the platform is down). */
    startBackgroundSync(): void {
      scheduler ??= createSyncScheduler({
        intervalMs: deps.syncIntervalMs,
        attempt: async (): Promise<SyncAttempt> => {
          if (vaults.peek() === null || signIn.current() === undefined) return "skipped";
          try {
            await service.syncNow();
            return "ok";
          } catch (error) {
            log(`Sync failed: ${describeError(error)}`);
            return "failed";
          }
        },
      });
      scheduler.start();
    },

    stopBackgroundSync(): void {
      scheduler?.stop();
    },
  };
  return service;
}

/**
 * Why the robot was signed out: the platform's reasons (RobotSignOutReason, sent with a refused
 * robot token), a person signing out here, or a refusal that gave no reason (an older platform).
 * Recorded as the `logout` audit entry's reason and kept in the vault.
 */
export const SignOutCause = {
  ...RobotSignOutReason,
  SignedOut: "signed_out",
  Refused: "refused",
} as const;
export type SignOutCause = (typeof SignOutCause)[keyof typeof SignOutCause];

/** What the window and `heptora status` say after a sign-out, by its cause. */
const SIGN_OUT_SENTENCES: Record<SignOutCause, string> = {
  revoked: "An administrator revoked this robot's sign-in on the web app. Sign in again to go on.",
  password_changed:
    "You were signed out because your password was changed on the web app. Sign in with the new password.",
  account_deactivated: "Your account was deactivated on the web app. Ask an administrator.",
  expired: "The robot's sign-in expired. Sign in again.",
  signed_out: "Signed out on this machine.",
  refused: "The platform signed this robot out: it no longer accepts its sign-in. Sign in again.",
};

/** The sentence for a sign-out cause; an unknown one (a newer robot's) reads as a refusal. */
export function signOutSentence(cause: string): string {
  return Object.hasOwn(SIGN_OUT_SENTENCES, cause)
    ? SIGN_OUT_SENTENCES[cause as SignOutCause]
    : SIGN_OUT_SENTENCES.refused;
}

function robotName(hostname: string): string {
  // The platform's rule for a robot name (ADR 0069), so a host name it would refuse still signs in.
  const cleaned = withoutUnsafeNameCharacters(hostname).trim().slice(0, 100);
  return cleaned === "" ? "robot" : cleaned;
}
