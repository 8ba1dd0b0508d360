/**
 * @heptora/vault: the robot's local encrypted store (secrets, settings, synced definitions,
 * audit chain). node:sqlite + node:crypto only; nothing networked.
 *
 * @example
 * import { openVault, resolveDataDir } from "@heptora/vault";
 * const vault = openVault({ dataDir: resolveDataDir({ env: process.env }) });
 */
export type { AuditProblem, AuditProblemKind, AuditVerification } from "./audit/chain.ts";
export { SLOT_KINDS, SlotKind } from "./crypto/key-slots.ts";
export { defaultKeyFilePath, resolveDataDir } from "./paths.ts";
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
  RunRead,
  RunReadRequest,
  SecretInfo,
  SecretValue,
  SecretVersion,
} from "./types.ts";
export { MAX_SECRET_VALUE_BYTES, MAX_SETTING_VALUE_BYTES } from "./validation.ts";
export { type OpenVaultOptions, openVault, VAULT_FILE, type Vault } from "./vault.ts";
