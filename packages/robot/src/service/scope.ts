/**
 * Which processes and names this robot knows (from the cached definitions), and the errors that
 * say so in words a user can act on: close names are suggested from the relevant scope only.
 */
import {
  closestNames,
  didYouMean,
  HeptoraError,
  invalidSecretName,
  isValidSecretName,
  type LocalSecretInfo,
} from "@heptora/protocol";
import type { CachedProcess } from "@heptora/vault";
import type { ServiceVault } from "./service-vault.ts";

export function hintOf(hint: string | undefined): { hint?: string } {
  return hint === undefined ? {} : { hint };
}

/**
 * An assigned process by exact name, then case-insensitively, then by id; else
 * process_not_assigned with close names (robot_not_signed_in when nothing was ever synced).
 */
export function findProcess(
  processes: readonly CachedProcess[],
  name: string,
  signedIn: boolean,
): CachedProcess {
  const wanted = name.trim();
  const found =
    processes.find((p) => p.name === wanted) ??
    processes.find((p) => p.name.toLowerCase() === wanted.toLowerCase()) ??
    processes.find((p) => p.id === wanted);
  if (found !== undefined) return found;
  if (processes.length === 0 && !signedIn) throw new HeptoraError("robot_not_signed_in");
  throw new HeptoraError("process_not_assigned", {
    message: `No process named '${wanted}' is assigned to this robot.`,
    ...hintOf(
      didYouMean(
        closestNames(
          wanted,
          processes.map((p) => p.name),
        ),
      ),
    ),
  });
}

/** Every name the assigned processes declare. */
export function declaredNames(processes: readonly CachedProcess[]): Set<string> {
  const names = new Set<string>();
  for (const p of processes) for (const variable of p.variables) names.add(variable.name);
  return names;
}

/** A name typed by a person, checked against the rule; the error suggests the fixed spelling. */
export function checkName(name: string): string {
  const trimmed = name.trim();
  if (!isValidSecretName(trimmed)) {
    throw invalidSecretName(trimmed);
  }
  return trimmed;
}

export function notDeclared(
  processName: string,
  name: string,
  declared: Iterable<string>,
): HeptoraError {
  const shown = name.length > 80 ? `${name.slice(0, 77)}...` : name;
  // The suggestion is in the message itself: the SDKs raise the robot's message as it is.
  const suggestion = didYouMean(closestNames(name, declared));
  return new HeptoraError("secret_not_declared", {
    message: `Process '${processName}' does not declare '${shown}'.${suggestion === undefined ? "" : ` ${suggestion}`}`,
    ...(suggestion === undefined && {
      hint: "Check the name, or ask an admin to declare it for this process on the platform.",
    }),
  });
}

/** A declared name with no value here; the message names it, so a script that prints it shows it. */
export function valueMissing(name: string): HeptoraError {
  return new HeptoraError("secret_value_missing", {
    message: `${name} has no value on this robot: set it in the Secrets window.`,
    hint: `Set '${name}' in the Secrets window (heptora ui) or with \`heptora secrets set ${name}\`.`,
  });
}

/** A name's state on this robot, never its value. */
export function secretInfo(
  vault: Pick<ServiceVault, "secretInfo">,
  person: string,
  name: string,
): LocalSecretInfo {
  const current = vault.secretInfo(person, name);
  if (current === undefined || !current.set) {
    return {
      name,
      set: false,
      version: current?.version ?? null,
      updatedAt: current?.updatedAt ?? null,
    };
  }
  return { name, set: true, version: current.version, updatedAt: current.updatedAt };
}

/** One line about an error for logs and status: its message, never a stack or a cause. */
export function describeError(error: unknown): string {
  if (error instanceof HeptoraError) return error.message;
  return error instanceof Error ? error.name : "unknown error";
}
