import type { LocalAuditEventType } from "@heptora/protocol";

/**
 * Audit event types as people read them. Keyed by the protocol's list (a type-only import, so the
 * bundle stays free of zod): a new event type without a label here fails the type check.
 */
export const EVENT_LABELS: Record<LocalAuditEventType, string> = {
  "secret.read": "Read by an automation",
  "secret.reveal": "Value revealed",
  "secret.set": "Value saved",
  "secret.unset": "Value removed",
  "secret.restore": "Version restored",
  "secret.renamed": "Renamed on the platform",
  "secret.moved": "Value moved",
  "access.denied": "Access refused",
  "secret.read_refused": "Read refused: vault tampered",
  "vault.tampered": "Vault tampering found",
  "audit.tampered": "Audit log tampering found",
  login: "Robot signed in",
  logout: "Robot signed out",
  sync: "Synced",
  unlock: "Vault unlocked",
  lock: "Vault locked",
  "vault.unlock_failed": "Wrong passphrase or recovery key",
  "vault.slot_added": "Key slot added",
  "vault.slot_removed": "Key slot removed",
  "run.start": "Automation started",
  "window.open": "Window opened",
  "secret.short_allowed": "Short value allowed",
  "vault.key_rotated": "Vault key rotated",
  "vault.backed_up": "Vault backed up",
  "vault.restored": "Vault restored from a backup",
};

/** The types the audit list can be filtered on: every type the protocol defines. */
export const FILTERABLE_TYPES = Object.keys(EVENT_LABELS) as LocalAuditEventType[];

export function eventLabel(type: string): string {
  return (EVENT_LABELS as Record<string, string>)[type] ?? type;
}

export function actorLabel(actor: string | null | undefined): string {
  if (actor === null || actor === undefined || actor === "") return "—";
  if (actor === "window") return "Secrets window";
  if (actor === "cli") return "heptora CLI";
  if (actor === "daemon") return "Robot";
  if (actor === "platform") return "Platform";
  if (actor.startsWith("run:")) return `Run of ${actor.slice(4)}`;
  return actor;
}
