/**
 * Names the platform stopped declaring while the robot was running, and the processes that did
 * declare them: a person who saves against such a name (a window open since before the sync) is
 * told what happened ("SAP_TOKEN was removed from Invoice Processing on the platform") instead of
 * being offered another name; a renamed one is told its new name ("SAP_PASWORD was renamed
 * SAP_PASSWORD on the platform"). In memory only: after a restart the general answer applies.
 */
import type { CachedProcess } from "@heptora/vault";

export interface RemovedNames {
  /** Compares the declarations before and after a sync and remembers what went away. */
  record(before: readonly CachedProcess[], after: readonly CachedProcess[]): void;
  /** The processes that declared `name` before it was removed, if it was. */
  removedFrom(name: string): string[] | undefined;
  /** The new name of a variable renamed on the platform (same variable id), if it was. */
  renamedTo(name: string): string | undefined;
}

/** At most this many names are remembered (the oldest are forgotten first). */
const MAX_REMEMBERED = 1000;

export function createRemovedNames(): RemovedNames {
  const removed = new Map<string, string[]>();
  const renamed = new Map<string, string>();
  const declaredBy = (processes: readonly CachedProcess[]) => {
    const map = new Map<string, string[]>();
    for (const p of processes) {
      for (const v of p.variables) map.set(v.name, [...(map.get(v.name) ?? []), p.name]);
    }
    return map;
  };
  return {
    record(before, after) {
      const was = declaredBy(before);
      const now = declaredBy(after);
      const nameOf = new Map<string, string>();
      for (const p of after) for (const v of p.variables) if (v.id) nameOf.set(v.id, v.name);
      for (const p of before) {
        for (const v of p.variables) {
          const to = v.id === undefined ? undefined : nameOf.get(v.id);
          if (to !== undefined && to !== v.name && !now.has(v.name)) renamed.set(v.name, to);
        }
      }
      for (const name of now.keys()) {
        removed.delete(name);
        renamed.delete(name);
      }
      for (const [name, processes] of was) {
        if (now.has(name)) continue;
        removed.delete(name);
        removed.set(name, processes);
        if (removed.size > MAX_REMEMBERED) removed.delete(removed.keys().next().value as string);
        if (renamed.size > MAX_REMEMBERED) renamed.delete(renamed.keys().next().value as string);
      }
    },
    removedFrom: (name) => removed.get(name),
    renamedTo: (name) => renamed.get(name),
  };
}
