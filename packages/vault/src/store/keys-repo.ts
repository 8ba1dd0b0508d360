/** SQL for the meta table (vault id) and the key slots. */
import { isSlotKind, type KeySlotRecord } from "../crypto/key-slots.ts";
import type { Db } from "./database.ts";

type Row = Record<string, unknown>;

export function createKeysRepo(db: Db) {
  const getMeta = db.prepare("SELECT value FROM meta WHERE key = ?");
  const putMeta = db.prepare("INSERT INTO meta (key, value) VALUES (?, ?)");
  const all = db.prepare(
    "SELECT id, kind, wrapped_dek, kdf, created_at, label FROM key_slots ORDER BY created_at, id",
  );
  const insert = db.prepare(
    `INSERT INTO key_slots (id, kind, wrapped_dek, kdf, created_at, label)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const remove = db.prepare("DELETE FROM key_slots WHERE id = ?");
  return {
    meta(key: string): string | undefined {
      const row = getMeta.get(key) as Row | undefined;
      return row === undefined ? undefined : (row.value as string);
    },
    putMeta(key: string, value: string): void {
      putMeta.run(key, value);
    },
    /** Every slot of a known kind, oldest first. */
    slots(): KeySlotRecord[] {
      const out: KeySlotRecord[] = [];
      for (const r of all.all() as Row[]) {
        const kind = r.kind;
        if (!isSlotKind(kind)) continue;
        out.push({
          id: r.id as string,
          kind,
          wrapped: r.wrapped_dek as Uint8Array,
          kdf: r.kdf as string,
          createdAt: r.created_at as string,
          label: (r.label as string | null) ?? null,
        });
      }
      return out;
    },
    insertSlot(slot: KeySlotRecord): void {
      insert.run(slot.id, slot.kind, slot.wrapped, slot.kdf, slot.createdAt, slot.label);
    },
    removeSlot(id: string): boolean {
      return Number(remove.run(id).changes) > 0;
    },
  };
}

export type KeysRepo = ReturnType<typeof createKeysRepo>;
