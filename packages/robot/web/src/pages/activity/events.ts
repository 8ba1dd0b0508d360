/** Audit event types as people read them. */
export const EVENT_LABELS: Record<string, string> = {
  "secret.read": "Read by an automation",
  "secret.reveal": "Value revealed",
  "secret.set": "Value saved",
  "secret.unset": "Value removed",
  "secret.restore": "Version restored",
  "access.denied": "Access refused",
  login: "Robot signed in",
  logout: "Robot signed out",
  sync: "Synced",
  unlock: "Vault unlocked",
  "run.start": "Automation started",
  "window.open": "Window opened",
};

/** The types the robot can filter on (the audit list query accepts these). */
export const FILTERABLE_TYPES = [
  "secret.read",
  "secret.reveal",
  "secret.set",
  "secret.unset",
  "secret.restore",
  "access.denied",
  "login",
  "logout",
  "sync",
  "unlock",
  "run.start",
] as const;

export function eventLabel(type: string): string {
  return EVENT_LABELS[type] ?? type;
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
