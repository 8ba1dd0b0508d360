/** SQL for settings, cached process definitions and the sync cursor. */
import type { Db } from "./database.ts";

type Row = Record<string, unknown>;

export function createSettingsRepo(db: Db) {
  const get = db.prepare("SELECT ciphertext FROM settings WHERE key = ?");
  const put = db.prepare(
    `INSERT INTO settings (key, ciphertext, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET ciphertext = excluded.ciphertext,
       updated_at = excluded.updated_at`,
  );
  const remove = db.prepare("DELETE FROM settings WHERE key = ?");
  return {
    get(key: string): Uint8Array | undefined {
      const row = get.get(key) as Row | undefined;
      return row === undefined ? undefined : (row.ciphertext as Uint8Array);
    },
    put(key: string, ciphertext: Uint8Array, at: string): void {
      put.run(key, ciphertext, at);
    },
    remove(key: string): void {
      remove.run(key);
    },
  };
}

export function createDefinitionsRepo(db: Db) {
  const state = db.prepare("SELECT cursor_sealed, generation FROM sync_state WHERE id = 1");
  // The cache check on every run's read: the counter only, without copying the sealed cursor.
  const generation = db.prepare("SELECT generation FROM sync_state WHERE id = 1");
  generation.setReturnArrays(true);
  const saveState = db.prepare(
    `INSERT INTO sync_state (id, cursor_sealed, generation) VALUES (1, ?, ?)
     ON CONFLICT (id) DO UPDATE SET cursor_sealed = excluded.cursor_sealed,
       generation = excluded.generation`,
  );
  const all = db.prepare("SELECT id, sealed FROM processes ORDER BY id");
  const put = db.prepare(
    `INSERT INTO processes (id, sealed) VALUES (?, ?)
     ON CONFLICT (id) DO UPDATE SET sealed = excluded.sealed`,
  );
  const remove = db.prepare("DELETE FROM processes WHERE id = ?");
  const clear = db.prepare("DELETE FROM processes");
  return {
    state(): { cursorSealed: Uint8Array | null; generation: number } {
      const row = state.get() as Row | undefined;
      if (row === undefined) return { cursorSealed: null, generation: 0 };
      return {
        cursorSealed: (row.cursor_sealed as Uint8Array | null) ?? null,
        generation: row.generation as number,
      };
    },
    /** The counter every definitions write bumps (0 before the first). */
    generation(): number {
      const row = generation.get() as [number] | undefined;
      return row === undefined ? 0 : row[0];
    },
    saveState(cursorSealed: Uint8Array, generation: number): void {
      saveState.run(cursorSealed, generation);
    },
    all(): { id: string; sealed: Uint8Array }[] {
      return (all.all() as Row[]).map((r) => ({
        id: r.id as string,
        sealed: r.sealed as Uint8Array,
      }));
    },
    put(id: string, sealed: Uint8Array): void {
      put.run(id, sealed);
    },
    remove(id: string): void {
      remove.run(id);
    },
    clear(): void {
      clear.run();
    },
  };
}
