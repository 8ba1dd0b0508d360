/**
 * The part of the vault facade the robot service uses (a narrow dependency, so tests and the
 * Secrets window can reason about it), the names of the settings the robot keeps in the vault
 * (encrypted like values), and two helpers over the definitions cache.
 */
import type { Vault } from "@heptora/vault";

export type ServiceVault = Pick<
  Vault,
  | "id"
  | "keyProtectionWarning"
  | "setSecret"
  | "getSecret"
  | "secretInfo"
  | "listSecrets"
  | "unsetSecret"
  | "history"
  | "restoreSecret"
  | "moveSecret"
  | "forgetPerson"
  | "people"
  | "claimUnowned"
  | "definitions"
  | "applyDefinitions"
  | "setSetting"
  | "getSetting"
  | "recordAudit"
  | "appendAudit"
  | "readForRun"
  | "listAudit"
  | "verifyAudit"
  | "integrity"
  | "auditCheckpoint"
  | "runRecords"
>;

/** Settings the robot keeps, encrypted, in the vault. */
export const Settings = {
  /** The robot token from the platform's robot sign-in. Never logged, never shown. */
  RobotToken: "robot.token",
  RobotId: "robot.id",
  Email: "robot.email",
  /** The last person signed in; kept at sign-out (docs/adr/0066: who claims older values). */
  LastEmail: "robot.lastEmail",
  /** The platform URL the robot signed in with (used when no --platform is given). */
  PlatformUrl: "robot.platformUrl",
  /** Random, created once: lets the platform recognise this machine at the next sign-in. */
  MachineId: "robot.machineId",
  LastSyncAt: "sync.lastSyncAt",
  /** Why the robot was last signed out (a SignOutCause code); cleared by a sign-in. */
  SignedOutCause: "robot.signedOutReason",
} as const;

/** The sync cursor, null when the next sync must be a full one. */
export function cursorOf(vault: Pick<Vault, "definitions">): string | null {
  const { cursor } = vault.definitions();
  return cursor === null || cursor === "" ? null : cursor;
}

/** Drops every cached definition; the empty cursor makes the next sync a full one. */
export function clearDefinitions(vault: Pick<Vault, "applyDefinitions">): void {
  vault.applyDefinitions({ cursor: "", full: true, processes: [], removedProcessIds: [] });
}
