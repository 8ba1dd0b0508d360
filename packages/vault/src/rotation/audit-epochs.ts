/**
 * The audit chain across key rotations (docs/adr/0080). Entries are never re-MAC'd: each keeps
 * the MAC of the key it was written under. A rotation records the audit key it retires as an
 * epoch `{ lastSeq, key }` (every entry up to lastSeq was MAC'd with it), sealed with the NEW
 * data key in the settings table, and the first entry under the new key (`vault.key_rotated`)
 * chains from the last MAC of the old epoch. `audit verify` picks the key of each entry's epoch,
 * so an entry edited before a rotation is still found, and nobody holding only an old data key
 * can forge the chain's continuation.
 */
import type { Sealer } from "../sealing.ts";
import type { Db } from "../store/database.ts";

/** A settings key no robot setting can collide with (setting keys start with a letter). */
export const AUDIT_EPOCHS_SETTING = "vault.auditEpochs";

export interface AuditEpoch {
  /** The last entry MAC'd with `key`. */
  lastSeq: number;
  key: Buffer;
}

export function readAuditEpochs(db: Db, sealer: Sealer): AuditEpoch[] {
  const row = db
    .prepare("SELECT ciphertext FROM settings WHERE key = ?")
    .get(AUDIT_EPOCHS_SETTING) as { ciphertext: Uint8Array } | undefined;
  if (row === undefined) return [];
  const parsed = JSON.parse(sealer.openSetting(AUDIT_EPOCHS_SETTING, row.ciphertext)) as {
    lastSeq: number;
    key: string;
  }[];
  return parsed.map((e) => ({ lastSeq: e.lastSeq, key: Buffer.from(e.key, "base64") }));
}

export function writeAuditEpochs(
  db: Db,
  sealer: Sealer,
  epochs: readonly AuditEpoch[],
  at: string,
): void {
  const json = JSON.stringify(
    epochs.map((e) => ({ lastSeq: e.lastSeq, key: e.key.toString("base64") })),
  );
  db.prepare(
    `INSERT INTO settings (key, ciphertext, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET ciphertext = excluded.ciphertext, updated_at = excluded.updated_at`,
  ).run(AUDIT_EPOCHS_SETTING, sealer.sealSetting(AUDIT_EPOCHS_SETTING, json), at);
}

/** The key each entry was MAC'd with: its epoch's, or the current key after the last epoch. */
export function auditKeyForSeq(
  epochs: readonly AuditEpoch[],
  current: Uint8Array,
): (seq: number) => Uint8Array {
  if (epochs.length === 0) return () => current;
  const sorted = [...epochs].sort((a, b) => a.lastSeq - b.lastSeq);
  return (seq) => sorted.find((e) => seq <= e.lastSeq)?.key ?? current;
}
