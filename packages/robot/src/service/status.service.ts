/**
 * The robot at a glance for a person: sign-in, platform, sync, key protection and counts. It works
 * while the vault is locked (then it says so) and never carries a value.
 */
import { isHeptoraError, type LocalStatus } from "@heptora/protocol";
import type { CachedProcess } from "@heptora/vault";
import { platformWarning } from "../platform/insecure-platform.ts";
import type { RunTokenRegistry } from "./run-tokens.ts";
import { declaredNames } from "./scope.ts";
import { type ServiceVault, Settings } from "./service-vault.ts";
import type { SessionService } from "./session.service.ts";
import type { SignInStore } from "./sign-in.ts";
import type { VaultHolder } from "./vault-holder.ts";

export interface StatusServiceDeps {
  vaults: Pick<VaultHolder, "peek">;
  signIn: Pick<SignInStore, "current">;
  session: Pick<SessionService, "platformUrl" | "syncState" | "signedOutReason" | "signedOutCause">;
  runs: Pick<RunTokenRegistry, "size">;
  dataDir: string;
  socketPath: string;
  robotName: string;
  version: string;
}

/**
 * The cached processes, or none while they fail the vault's integrity check (docs/adr/0074): the
 * status must still answer, and it says what is wrong under `integrity`.
 */
function definitionsOrNone(vault: ServiceVault | null): readonly CachedProcess[] {
  if (vault === null) return [];
  try {
    return vault.definitions().processes;
  } catch (error) {
    if (isHeptoraError(error) && error.code === "vault_integrity") return [];
    throw error;
  }
}

export function createStatusService(deps: StatusServiceDeps) {
  return {
    status(): LocalStatus {
      const vault = deps.vaults.peek();
      const signedIn = vault === null ? undefined : deps.signIn.current();
      const processes = definitionsOrNone(vault);
      const names = declaredNames(processes);
      let set = 0;
      const person = signedIn?.email;
      if (person !== undefined && person !== "") {
        for (const name of names) if (vault?.secretInfo(person, name)?.set === true) set++;
      }
      const sync = deps.session.syncState();
      return {
        dataDir: deps.dataDir,
        socketPath: deps.socketPath,
        platformUrl: deps.session.platformUrl(),
        platformWarning: platformWarning(deps.session.platformUrl()),
        signedIn: signedIn !== undefined,
        email: signedIn?.email ?? null,
        signedOutReason: signedIn === undefined ? deps.session.signedOutReason() : null,
        signedOutCause: signedIn === undefined ? deps.session.signedOutCause() : null,
        robotId: signedIn?.robotId ?? null,
        robotName: deps.robotName,
        version: deps.version,
        vaultId: vault?.id ?? "",
        locked: vault === null,
        keyProtectionWarning: vault?.keyProtectionWarning() ?? null,
        integrity: vault?.integrity() ?? { ok: true, problems: [] },
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
        activeRuns: deps.runs.size,
      };
    },
  };
}
