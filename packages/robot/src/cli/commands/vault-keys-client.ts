/**
 * What the `heptora vault ...`, `unlock` and `lock` commands share: the answers of the key-slot
 * routes (http/key-routes.ts), checked with zod before use, and how a slot reads on one line.
 */
import { z } from "zod";
import type { AnswerCheck } from "../answer-check.ts";

const SlotSchema = z.looseObject({
  id: z.string(),
  kind: z.string(),
  createdAt: z.string(),
  label: z.string().optional(),
  argon2id: z.object({ memoryKiB: z.number(), passes: z.number() }).optional(),
});
export type SlotView = z.infer<typeof SlotSchema>;

export const VaultStatusSchema = z.looseObject({
  locked: z.boolean(),
  lockedReason: z.string().nullable(),
  unlockedWith: z.string().nullable(),
  slots: z.array(SlotSchema),
  autoLockMinutes: z.number().nullable(),
  warning: z.string().nullable(),
  failedUnlocks: z.number(),
  retryAfterSeconds: z.number(),
});
export type VaultStatusView = z.infer<typeof VaultStatusSchema>;

export function check<T>(schema: z.ZodType<T>): AnswerCheck<T> {
  return (body) => {
    const parsed = schema.safeParse(body);
    return parsed.success ? parsed.data : undefined;
  };
}

export const statusCheck = check(VaultStatusSchema);
export const slotsCheck = check(z.looseObject({ slots: z.array(SlotSchema) }));
export const addedCheck = check(
  z.looseObject({ slot: SlotSchema, recoveryKey: z.string().optional() }),
);
export const removedCheck = check(
  z.looseObject({
    removed: SlotSchema,
    keyFileDeleted: z.boolean(),
    keychainEntryDeleted: z.boolean(),
  }),
);
export const unlockedCheck = check(z.looseObject({ unlocked: z.literal(true), slot: z.string() }));
export const lockedCheck = check(z.looseObject({ locked: z.literal(true) }));

const KIND_NAMES: Record<string, string> = {
  keyfile: "key file",
  passphrase: "passphrase",
  recovery: "recovery key",
  "os-keychain": "OS keychain",
};

export function kindName(kind: string): string {
  return KIND_NAMES[kind] ?? kind;
}

/** `ID  KIND  added DATE  (label)`: one slot a line. */
export function slotLine(slot: SlotView): string {
  const label = slot.label === undefined ? "" : `  "${slot.label}"`;
  return `${slot.id}  ${slot.kind.padEnd(11)}  added ${slot.createdAt.slice(0, 10)}${label}`;
}
