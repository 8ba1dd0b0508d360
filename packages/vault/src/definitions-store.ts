/**
 * The small sealed stores next to the secrets: settings (robot token, platform URL, signed-in
 * user...) and the synced process definitions that let the robot serve runs while offline.
 * Definitions are sealed too: they decide which names a run may read, so they must not be
 * editable on disk. Decoded definitions are cached until a write bumps the generation.
 */
import type { Ledger } from "./integrity/ledger.ts";
import type { Sealer } from "./sealing.ts";
import { type Db, writeTransaction } from "./store/database.ts";
import type { createDefinitionsRepo, createSettingsRepo } from "./store/settings-repo.ts";
import type { CachedProcess, DefinitionsSync, VariableRename } from "./types.ts";
import { checkDefinitionsSync, checkSettingKey, checkSettingValue } from "./validation.ts";

export interface StoresDeps {
  db: Db;
  sealer: Sealer;
  clock: () => Date;
}

export function createSettingsStore(
  deps: StoresDeps & { repo: ReturnType<typeof createSettingsRepo> },
) {
  const { db, sealer, clock, repo } = deps;
  return {
    set(key: string, value: string | null): void {
      const k = checkSettingKey(key);
      const v = checkSettingValue(value);
      if (v === null) {
        writeTransaction(db, () => repo.remove(k));
        return;
      }
      const sealed = sealer.sealSetting(k, v);
      writeTransaction(db, () => repo.put(k, sealed, clock().toISOString()));
    },
    get(key: string): string | null {
      const k = checkSettingKey(key);
      const sealed = repo.get(k);
      return sealed === undefined ? null : sealer.openSetting(k, sealed);
    },
  };
}

export type Definitions = { cursor: string | null; processes: CachedProcess[] };

function freeze(definitions: Definitions): Definitions {
  for (const p of definitions.processes) {
    for (const v of p.variables) Object.freeze(v);
    Object.freeze(p.variables);
    Object.freeze(p);
  }
  Object.freeze(definitions.processes);
  return Object.freeze(definitions);
}

/**
 * The variables `next` renames: a variable id cached under one name and synced under another.
 * A rename whose old name another process still declares is left out (that process still reads
 * the value under the old name).
 */
export function renamesOf(current: Definitions, next: DefinitionsSync): VariableRename[] {
  const before = new Map<string, string>();
  for (const p of current.processes) {
    for (const v of p.variables) if (v.id !== undefined) before.set(v.id, v.name);
  }
  if (before.size === 0) return [];
  const replaced = new Set([...next.removedProcessIds, ...next.processes.map((p) => p.id)]);
  const kept = next.full ? [] : current.processes.filter((p) => !replaced.has(p.id));
  const declaredAfter = new Set(
    [...kept, ...next.processes].flatMap((p) => p.variables.map((v) => v.name)),
  );
  const renames = new Map<string, VariableRename>();
  for (const p of next.processes) {
    for (const v of p.variables) {
      const from = v.id === undefined ? undefined : before.get(v.id);
      if (from === undefined || from === v.name || declaredAfter.has(from)) continue;
      renames.set(v.id as string, { from, to: v.name });
    }
  }
  return [...renames.values()];
}

export function createDefinitionsStore(
  deps: StoresDeps & {
    repo: ReturnType<typeof createDefinitionsRepo>;
    ledger: Pick<Ledger, "check" | "trackWithin" | "processIds">;
  },
) {
  const { db, sealer, repo, ledger } = deps;
  let cache:
    | {
        generation: number;
        definitions: Definitions;
        /** Declared names by process id, built on first use for this generation. */
        scopes?: Map<string, ReadonlySet<string>>;
      }
    | undefined;

  const load = (): Definitions => {
    // Each process row is authenticated with the vault-wide state (docs/adr/0074): an older
    // genuine definition put back, or one removed or added, refuses the definitions.
    ledger.check("the cached process definitions", { processes: true });
    if (cache !== undefined && cache.generation === repo.generation()) return cache.definitions;
    const state = repo.state();
    const cursor = state.cursorSealed === null ? null : sealer.openCursor(state.cursorSealed);
    const processes = repo
      .all()
      .map((row) => JSON.parse(sealer.openProcess(row.id, row.sealed)) as CachedProcess)
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    const definitions = freeze({ cursor, processes });
    cache = { generation: state.generation, definitions };
    return definitions;
  };

  return {
    /** The cached definitions (frozen; do not mutate), sorted by process name. */
    get(): Definitions {
      return load();
    },
    /**
     * The names each cached process declares, by process id (a run's scope), cached with the
     * definitions. Costs one row read while nothing changed; call it inside the transaction
     * that relies on it.
     */
    scopes(): ReadonlyMap<string, ReadonlySet<string>> {
      load();
      const current = cache as NonNullable<typeof cache>;
      if (current.scopes === undefined) {
        current.scopes = new Map(
          current.definitions.processes.map((p) => [
            p.id,
            new Set(p.variables.map((variable) => variable.name)),
          ]),
        );
      }
      return current.scopes;
    },
    /**
     * Replaces (full) or updates the cached definitions. `beforeWrite` runs in the same
     * transaction first, with the variables the sync renames (see renamesOf).
     */
    apply(sync: DefinitionsSync, beforeWrite?: (renames: VariableRename[]) => void): void {
      const checked = checkDefinitionsSync(sync);
      const sealed = checked.processes.map((p) => ({
        id: p.id,
        sealed: sealer.sealProcess(p.id, JSON.stringify(p)),
      }));
      const cursor = sealer.sealCursor(checked.cursor);
      writeTransaction(db, () =>
        ledger.trackWithin((tracker) => {
          if (beforeWrite !== undefined) beforeWrite(renamesOf(load(), checked));
          if (checked.full) {
            for (const id of ledger.processIds()) tracker.processRemoving(id);
            repo.clear();
          }
          for (const id of checked.removedProcessIds) {
            tracker.processRemoving(id);
            repo.remove(id);
          }
          for (const p of sealed) {
            repo.put(p.id, p.sealed);
            tracker.processChanged(p.id);
          }
          repo.saveState(cursor, repo.state().generation + 1);
        }),
      );
    },
  };
}
