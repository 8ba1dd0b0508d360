/**
 * Messages of the vault's key operations on the local API (docs/adr/0080): `heptora vault
 * rotate-key` (an NDJSON answer: progress lines, then the result) and `heptora vault backup`.
 * Passphrases travel only over the robot's socket, like a sign-in password; never in a result.
 */
import { z } from "zod";
import { OpaqueIdSchema, TimestampSchema } from "./fields.ts";

export const VaultKeyPaths = {
  /** POST {passphrases?, dropSlots?}: NDJSON lines {progress}, then {result} or {error}. */
  rotateKey: "/v1/manage/vault/rotate-key",
  /** POST {file, passphrase}: writes the archive (daemon side), answers its summary. */
  backup: "/v1/manage/vault/backup",
} as const;

/** A passphrase offered to open a key slot (any the vault accepted when the slot was made). */
const SlotPassphraseSchema = z.string().min(1).max(1024);

export const RotateKeyRequestSchema = z.strictObject({
  /** Passphrases of the vault's passphrase slots (each slot takes the one that opens it). */
  passphrases: z.array(SlotPassphraseSchema).max(32).optional(),
  /** Remove the slots that cannot take the new key instead of refusing. */
  dropSlots: z.boolean().optional(),
});
export type RotateKeyRequest = z.infer<typeof RotateKeyRequestSchema>;

const Count = z.number().int().min(0);
const SlotRefSchema = z.object({ id: OpaqueIdSchema, kind: z.string().max(40) });

export const RotationProgressLineSchema = z.object({
  progress: z.object({ done: Count, total: Count }),
});

export const RotationResultSchema = z.object({
  /** Names with a current value, of every person. */
  values: Count,
  /** Kept versions re-sealed. */
  versions: Count,
  persons: Count,
  runRecords: Count,
  auditSeq: Count,
  slots: z.array(SlotRefSchema),
  dropped: z.array(SlotRefSchema),
  /** A new recovery key, shown once (the vault had a recovery slot). */
  recoveryKey: z.string().max(100).optional(),
});
export type RotationResultBody = z.infer<typeof RotationResultSchema>;

/** An absolute path (the CLI resolves FILE against its own working directory). */
const AbsolutePathSchema = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !p.includes("\u0000") && (p.startsWith("/") || /^[A-Za-z]:[\\/]/.test(p)), {
    message: "must be an absolute path",
  });

export const BackupRequestSchema = z.strictObject({
  file: AbsolutePathSchema,
  passphrase: z.string().min(8).max(1024),
});
export type BackupRequest = z.infer<typeof BackupRequestSchema>;

export const BackupSummarySchema = z.object({
  vaultId: OpaqueIdSchema,
  createdAt: TimestampSchema,
  values: Count,
  persons: Count,
  versions: Count,
  auditEntries: Count,
  runRecords: Count,
});
export type BackupSummaryBody = z.infer<typeof BackupSummarySchema>;
