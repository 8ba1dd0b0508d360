/** The public shapes of the vault facade. */
import type { AuditVerification } from "./audit/chain.ts";
import type { SlotKind } from "./crypto/key-slots.ts";

export type SecretInfo = { name: string; version: number; updatedAt: string; set: boolean };

export type SecretValue = { name: string; value: string; version: number; updatedAt: string };

export type SecretVersion = { version: number; createdAt: string; current: boolean };

/** `id`: the platform's stable id of the variable (kept by a rename); absent from older platforms. */
export type CachedVariable = { id?: string; name: string; secret: boolean; description: string };

/** A variable the platform renamed, seen by a sync: its values move from `from` to `to`. */
export type VariableRename = { from: string; to: string };

/** What a sync's renames did to the values: names moved, and persons whose value stayed put. */
export type RenameOutcome = VariableRename & { moved: number; kept: number };

export type CachedProcess = {
  id: string;
  name: string;
  description: string;
  variables: CachedVariable[];
};

export type DefinitionsSync = {
  cursor: string;
  full: boolean;
  processes: CachedProcess[];
  removedProcessIds: string[];
};

export type AuditEventType =
  | "secret.read"
  | "secret.reveal"
  | "secret.set"
  | "secret.unset"
  | "secret.restore"
  | "secret.renamed"
  | "secret.moved"
  | "access.denied"
  | "login"
  | "logout"
  | "sync"
  | "unlock"
  | (string & {}); // other types allowed; the literals stay suggested by editors

export type AuditEventInput = {
  type: AuditEventType;
  name?: string;
  process?: string;
  actor?: string;
  /** Whose values the event is about (docs/adr/0066): the person's normalised email. */
  person?: string;
  outcome?: "ok" | "denied" | "failed";
  reason?: string;
  details?: Record<string, string | number | boolean>;
};

export type AuditEntry = AuditEventInput & { seq: number; at: string; mac: string };

export type AuditQuery = {
  limit?: number;
  beforeSeq?: number;
  type?: string;
  name?: string;
  since?: string;
  until?: string;
};

/**
 * A run's read (`vault.readForRun`): the name as the run asked for it, the run's process (its id
 * decides the scope: the names its cached definition declares; its name goes into the audit
 * entry) and who reads.
 */
export type RunReadRequest = {
  name: string;
  processId: string;
  process: string;
  actor: string;
  /** The person the run was started for: it reads only their values (docs/adr/0066). */
  person: string;
};

/**
 * What a run's read gave, its audit entry committed in every case: the value (`secret.read`
 * entry), or a refusal (`access.denied` entry): the name is not in the process's scope (with the
 * names that are, for suggestions) or has no value.
 */
export type RunRead =
  | { outcome: "ok"; secret: SecretValue }
  | { outcome: "not_declared"; declared: ReadonlySet<string> }
  | { outcome: "value_missing" };

/** Who did a write, recorded in the audit entry the vault writes in the write's transaction. */
export type AuditContext = Omit<AuditEventInput, "type" | "name" | "person">;

export type KeySlotInfo = {
  id: string;
  kind: SlotKind;
  createdAt: string;
  label?: string;
  /** A passphrase slot's Argon2id cost (memory in KiB, passes); no salt, nothing secret. */
  argon2id?: { memoryKiB: number; passes: number };
};

export type { AuditVerification };
