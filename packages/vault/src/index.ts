/**
 * @heptora/vault: the robot's local encrypted store (secrets, settings, synced definitions,
 * audit chain). node:sqlite + node:crypto only; nothing networked.
 *
 * @example
 * import { openVault } from "@heptora/vault";
 * const vault = openVault({ dataDir: "/srv/robot", keyFile: "/etc/heptora/robot.key" });
 */
export type { AuditProblem, AuditProblemKind, AuditVerification } from "./audit/chain.ts";
export {
  type BackupSummary,
  type RestoreOptions,
  type RestoreResult,
  restoreBackup,
} from "./backup/backup.ts";
export { DEFAULT_ARGON2ID } from "./crypto/kdf.ts";
export { SLOT_KINDS, SlotKind } from "./crypto/key-slots.ts";
export { KEYCHAIN_SERVICE, keychainAccount, type OsKeychain } from "./os-keychain.ts";
export { keychainRewrapper } from "./rotation/keychain-rewrap.ts";
export type {
  RotateKeyOptions,
  RotationProgress,
  RotationResult,
} from "./rotation/rotate-key.ts";
export type { RewrapContext, SlotRewrap, SlotRewrapper } from "./rotation/slot-rewrap.ts";
export {
  RUN_RECORDS_KEPT,
  type RunEnd,
  type RunRecordInfo,
  type RunStart,
} from "./run-records.ts";
export { KEPT_VERSIONS } from "./secret-store.ts";
export type {
  AuditContext,
  AuditEntry,
  AuditEventInput,
  AuditEventType,
  AuditQuery,
  CachedProcess,
  CachedVariable,
  DefinitionsSync,
  KeySlotInfo,
  RenameOutcome,
  RunRead,
  RunReadRequest,
  SecretInfo,
  SecretValue,
  SecretVersion,
  VariableRename,
} from "./types.ts";
export type { PassphraseCost } from "./unlock.ts";
export { MAX_SETTING_VALUE_BYTES, normalisePerson } from "./validation.ts";
export {
  type OpenVaultOptions,
  openVault,
  peekKeySlots,
  VAULT_FILE,
  type Vault,
} from "./vault.ts";
