/**
 * The vault's key slots as the robot manages them (docs/adr/0078): which slot opens the vault at
 * `heptora start`, locked and unlocked states, the idle auto-lock, rate-limited unlocks with a
 * passphrase or recovery key, and adding and removing slots (with the key file or keychain entry
 * that goes with a slot).
 *
 * At start, in this order: a key-file slot whose file is there; an os-keychain slot whose entry
 * the OS keychain gives; the passphrase of HEPTORA_VAULT_PASSPHRASE_FILE. When none opens it and
 * the vault has a passphrase or recovery slot, the robot starts LOCKED and says why; otherwise
 * (nothing a person could type would open it) `heptora start` fails with the reason, as before.
 * A new vault is protected by the OS keychain where one answers, else by a key file (with the
 * warning that goes with it).
 *
 * @example
 * const keys = createVaultKeys({ dataDir, keyFile, keychain: probeOsKeychain, ... });
 * const { vault } = await keys.openAtStart();
 * keys.attach({ unlocked: (v) => service.unlock(v), locked: () => service.lock() });
 */
import { rmSync } from "node:fs";
import { HeptoraError, isHeptoraError } from "@heptora/protocol";
import {
  type KeySlotInfo,
  keychainAccount,
  type OsKeychain,
  openVault,
  type PassphraseCost,
  peekKeySlots,
  type Vault,
} from "@heptora/vault";
import type { KeychainProbe } from "./os-keychain.ts";
import type { UnlockAttempts } from "./unlock-attempts.ts";

export interface VaultKeysDeps {
  dataDir: string;
  keyFile: string;
  /** Asks once whether an OS keychain answers (memoised here). */
  probeKeychain: () => Promise<KeychainProbe>;
  /** The passphrase from HEPTORA_VAULT_PASSPHRASE_FILE, read by the caller. */
  startPassphrase?: string;
  /** 0: never. */
  autoLockMs: number;
  attempts: UnlockAttempts;
  log: (line: string) => void;
  now?: () => number;
  passphraseCost?: PassphraseCost;
}

export type UnlockRequest = { passphrase: string } | { recoveryKey: string };
export type AddSlotRequest =
  | { kind: "passphrase"; passphrase: string; label?: string | undefined }
  | { kind: "recovery"; label?: string | undefined }
  | { kind: "os-keychain"; label?: string | undefined };

export interface VaultKeysStatus {
  locked: boolean;
  /** Why the robot started locked, or "idle" / "person" after a lock. */
  lockedReason: string | null;
  unlockedWith: string | null;
  slots: KeySlotInfo[];
  autoLockMinutes: number | null;
  warning: string | null;
  failedUnlocks: number;
  retryAfterSeconds: number;
}

/** The vault methods that are a person's or a run's use: they keep the auto-lock away. */
const USES = new Set([
  "getSecret",
  "setSecret",
  "setSecrets",
  "unsetSecret",
  "listSecrets",
  "history",
  "restoreSecret",
  "moveSecret",
  "forgetPerson",
  "readForRun",
  "listAudit",
  "runRecords",
]);

const LOCKED_HINT = "Unlock it with: heptora unlock (or the Secrets window).";

export function createVaultKeys(deps: VaultKeysDeps) {
  const now = deps.now ?? Date.now;
  const { dataDir, keyFile, log, attempts } = deps;
  const cost = deps.passphraseCost === undefined ? {} : { passphraseCost: deps.passphraseCost };
  let probed: Promise<KeychainProbe> | undefined;
  const probe = () => {
    probed ??= deps.probeKeychain();
    return probed;
  };
  let current: Vault | null = null;
  let lockedReason: string | null = null;
  let lastUse = now();
  let timer: NodeJS.Timeout | undefined;
  let hooks: { unlocked(vault: Vault): void; locked(): void } | undefined;
  let busy = false;

  const open = (options: Partial<Parameters<typeof openVault>[0]>) =>
    openVault({ dataDir, keyFile, ...cost, ...options });

  function tracked(vault: Vault): Vault {
    return new Proxy(vault, {
      get(target, property) {
        const value = Reflect.get(target, property, target) as unknown;
        if (typeof value !== "function") return value;
        if (typeof property === "string" && USES.has(property)) {
          return (...args: unknown[]) => {
            lastUse = now();
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return (value as (...a: unknown[]) => unknown).bind(target);
      },
    });
  }

  function schedule(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (deps.autoLockMs <= 0 || current === null) return;
    const due = lastUse + deps.autoLockMs - now();
    timer = setTimeout(idleCheck, Math.max(0, due) + 10);
    timer.unref();
  }

  /** A vault with no passphrase or recovery slot could not be unlocked again once locked. */
  function typeableSlot(vault: Vault): boolean {
    return vault.keySlots().some((s) => s.kind === "passphrase" || s.kind === "recovery");
  }

  function idleCheck(): void {
    timer = undefined;
    if (current === null) return;
    if (!typeableSlot(current)) {
      schedule();
      return;
    }
    if (now() - lastUse >= deps.autoLockMs) {
      const minutes = deps.autoLockMs / 60_000;
      log(`Locked the vault after ${minutes} minute(s) without use.`);
      lockNow("robot", "idle");
      return;
    }
    schedule();
  }

  function becomeUnlocked(vault: Vault): Vault {
    current = vault;
    lockedReason = null;
    lastUse = now();
    schedule();
    return vault;
  }

  function lockNow(actor: string, reason: string): void {
    const vault = current;
    if (vault === null) return;
    vault.recordAudit({ type: "lock", actor, outcome: "ok", details: { reason } });
    hooks?.locked();
    current = null;
    lockedReason = reason === "idle" ? "locked after a time without use" : "locked by a person";
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    vault.close();
  }

  function requireUnlocked(): Vault {
    if (current === null) {
      throw new HeptoraError("vault_locked", {
        message: "The vault is locked: its key slots cannot be changed now.",
        hint: LOCKED_HINT,
      });
    }
    return current;
  }

  return {
    /** The open vault (as the service sees it: uses count as activity), or null when locked. */
    current: (): Vault | null => current,

    /** Wraps a vault so that its uses keep the auto-lock away; for the robot service. */
    tracked,

    attach(next: { unlocked(vault: Vault): void; locked(): void }): void {
      hooks = next;
    },

    /** Opens (or creates) the vault at `heptora start`; `vault: null` means started locked. */
    async openAtStart(): Promise<{ vault: Vault | null; lockedReason?: string; notes: string[] }> {
      const notes: string[] = [];
      const peek = peekKeySlots(dataDir);
      if (peek === undefined) {
        const found = await probe();
        if (found.keychain !== undefined) {
          try {
            return {
              vault: becomeUnlocked(open({ keychain: found.keychain, unlockWith: "os-keychain" })),
              notes,
            };
          } catch (error) {
            notes.push(
              `The OS keychain did not take the new vault's key (${describe(error)}); a key file protects it instead.`,
            );
          }
        } else {
          notes.push(
            `No OS keychain here (${found.unavailable}); a key file protects the new vault.`,
          );
        }
        return { vault: becomeUnlocked(open({})), notes };
      }
      const kinds = new Set(peek.slots.map((s) => s.kind));
      const typeable = kinds.has("passphrase") || kinds.has("recovery");
      const reasons: string[] = [];
      let firstError: unknown;
      const attempt = (options: Partial<Parameters<typeof openVault>[0]>): Vault | undefined => {
        try {
          return open(options);
        } catch (error) {
          if (!isHeptoraError(error) || error.code !== "vault_locked") throw error;
          firstError ??= error;
          reasons.push(error.message);
          return undefined;
        }
      };
      if (kinds.has("keyfile")) {
        const vault = attempt({});
        if (vault !== undefined) return { vault: becomeUnlocked(vault), notes };
      }
      if (kinds.has("os-keychain")) {
        const found = await probe();
        if (found.keychain === undefined) {
          reasons.push(`The vault's OS keychain slot cannot be used: ${found.unavailable}.`);
        } else {
          const vault = attempt({ keychain: found.keychain, unlockWith: "os-keychain" });
          if (vault !== undefined) return { vault: becomeUnlocked(vault), notes };
        }
      }
      if (deps.startPassphrase !== undefined && kinds.has("passphrase")) {
        try {
          return { vault: becomeUnlocked(open({ passphrase: deps.startPassphrase })), notes };
        } catch (error) {
          if (isHeptoraError(error) && error.code === "vault_locked") {
            throw new HeptoraError("vault_locked", {
              message: "The passphrase in HEPTORA_VAULT_PASSPHRASE_FILE does not open the vault.",
              hint: "Put the vault's passphrase in that file, or unset the variable and run heptora unlock.",
            });
          }
          throw error;
        }
      }
      if (!typeable) {
        if (firstError !== undefined) throw firstError;
        throw new HeptoraError("vault_locked", {
          message: `The vault cannot be opened: ${reasons.join(" ")}`,
          hint: "It has no passphrase or recovery key slot. Restore the key from a backup.",
        });
      }
      lockedReason =
        reasons.length > 0 ? reasons.join(" ") : "it has only passphrase or recovery key slots";
      return { vault: null, lockedReason, notes };
    },

    async unlock(request: UnlockRequest, actor: string): Promise<{ unlocked: true; slot: string }> {
      if (current !== null) return { unlocked: true, slot: current.unlockedBy.kind };
      if (busy) {
        throw new HeptoraError("too_many_attempts", {
          message: "Another unlock is under way.",
          hint: "Wait for it to finish.",
        });
      }
      attempts.check(now());
      const kind = "passphrase" in request ? "passphrase" : "recovery";
      busy = true;
      let vault: Vault;
      try {
        vault = open(
          "passphrase" in request
            ? { passphrase: request.passphrase }
            : { recoveryKey: request.recoveryKey },
        );
      } catch (error) {
        if (isHeptoraError(error) && error.code === "vault_locked") {
          const count = attempts.fail(now(), kind);
          log(
            `A wrong ${kind === "passphrase" ? "passphrase" : "recovery key"} was given to unlock the vault (${count} wrong tr${count === 1 ? "y" : "ies"} in a row).`,
          );
        }
        throw error;
      } finally {
        busy = false;
      }
      const failures = attempts.reset();
      for (const failure of failures.slice(-20)) {
        vault.recordAudit({
          type: "vault.unlock_failed",
          actor,
          outcome: "failed",
          reason: `a wrong ${failure.kind === "passphrase" ? "passphrase" : "recovery key"}`,
          details: { slot: failure.kind, at: failure.at },
        });
      }
      if (failures.length > 20) {
        vault.recordAudit({
          type: "vault.unlock_failed",
          actor,
          outcome: "failed",
          reason: `${failures.length - 20} more wrong tries before these`,
        });
      }
      vault.recordAudit({
        type: "unlock",
        actor,
        outcome: "ok",
        details: { slot: vault.unlockedBy.kind },
      });
      becomeUnlocked(vault);
      hooks?.unlocked(vault);
      log(`The vault was unlocked with a ${vault.unlockedBy.kind} slot.`);
      return { unlocked: true, slot: vault.unlockedBy.kind };
    },

    lock(actor: string): { locked: true } {
      if (current !== null && !typeableSlot(current)) {
        throw new HeptoraError("validation_failed", {
          message:
            "This vault has no passphrase or recovery key, so nothing could unlock it again: it stays unlocked.",
          hint: "Add one first: heptora vault slots add passphrase (or recovery).",
        });
      }
      lockNow(actor, "person");
      return { locked: true };
    },

    status(): VaultKeysStatus {
      const slots = current?.keySlots() ?? peekKeySlots(dataDir)?.slots ?? [];
      return {
        locked: current === null,
        lockedReason: current === null ? lockedReason : null,
        unlockedWith: current?.unlockedBy.kind ?? null,
        slots,
        autoLockMinutes: deps.autoLockMs > 0 ? deps.autoLockMs / 60_000 : null,
        warning: current?.keyProtectionWarning() ?? null,
        failedUnlocks: attempts.count,
        retryAfterSeconds: Math.ceil(attempts.retryAfterMs(now()) / 1000),
      };
    },

    async addSlot(
      request: AddSlotRequest,
      audit: { actor: string; person: string },
    ): Promise<{ slot: KeySlotInfo; recoveryKey?: string }> {
      const vault = requireUnlocked();
      lastUse = now();
      let result: { slot: KeySlotInfo; recoveryKey?: string };
      if (request.kind === "passphrase") {
        result = { slot: vault.addPassphraseSlot(request.passphrase, request.label) };
      } else if (request.kind === "recovery") {
        result = vault.addRecoverySlot(request.label);
      } else {
        const found = await probe();
        if (found.keychain === undefined) {
          throw new HeptoraError("service_unavailable", {
            message: `No OS keychain can be used here: ${found.unavailable}.`,
            hint: "Add a passphrase or a recovery key slot instead.",
          });
        }
        result = { slot: vault.addKeychainSlot(found.keychain, request.label) };
      }
      vault.recordAudit({
        type: "vault.slot_added",
        actor: audit.actor,
        person: audit.person,
        outcome: "ok",
        details: { slot: result.slot.id, kind: result.slot.kind },
      });
      log(`A ${result.slot.kind} key slot was added (${result.slot.id}).`);
      return result;
    },

    async removeSlot(
      id: string,
      audit: { actor: string; person: string },
    ): Promise<{ removed: KeySlotInfo; keyFileDeleted: boolean; keychainEntryDeleted: boolean }> {
      const vault = requireUnlocked();
      lastUse = now();
      const slot = vault.keySlots().find((s) => s.id === id);
      if (slot === undefined) {
        throw new HeptoraError("not_found", {
          message: `This vault has no key slot '${id}'.`,
          hint: "heptora vault slots list shows the slots and their ids.",
        });
      }
      vault.removeKeySlot(id);
      let keyFileDeleted = false;
      let keychainEntryDeleted = false;
      if (slot.kind === "keyfile") {
        rmSync(keyFile, { force: true });
        keyFileDeleted = true;
      }
      if (slot.kind === "os-keychain") {
        const found = await probe();
        try {
          keychainEntryDeleted = found.keychain?.delete(keychainAccount(vault.id, id)) ?? false;
        } catch (error) {
          log(`The OS keychain entry of the removed slot could not be deleted: ${describe(error)}`);
        }
      }
      vault.recordAudit({
        type: "vault.slot_removed",
        actor: audit.actor,
        person: audit.person,
        outcome: "ok",
        details: { slot: id, kind: slot.kind },
      });
      log(`The ${slot.kind} key slot ${id} was removed.`);
      return { removed: slot, keyFileDeleted, keychainEntryDeleted };
    },

    /**
     * The open vault for its key operations (rotation, backup: docs/adr/0080); throws
     * vault_locked while the robot is locked.
     */
    unlocked(): Vault {
      if (current === null) {
        throw new HeptoraError("vault_locked", {
          message: "The vault is locked: its key cannot be rotated or backed up now.",
          hint: LOCKED_HINT,
        });
      }
      lastUse = now();
      return current;
    },

    /** This machine's OS keychain, when one answers (asked once). */
    async keychain(): Promise<OsKeychain | undefined> {
      return (await probe()).keychain;
    },

    /** Stops the auto-lock timer; the caller closes the vault. */
    close(): void {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}

export type VaultKeys = ReturnType<typeof createVaultKeys>;

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The keychain type, for callers that only pass it through. */
export type { OsKeychain };
