/** The key-slot answers of the robot (src/http/key-routes.ts, docs/adr/0078). */
export interface KeySlot {
  id: string;
  kind: "keyfile" | "passphrase" | "recovery" | "os-keychain";
  createdAt: string;
  label?: string;
  argon2id?: { memoryKiB: number; passes: number };
}

export interface VaultStatus {
  locked: boolean;
  lockedReason: string | null;
  unlockedWith: string | null;
  slots: KeySlot[];
  autoLockMinutes: number | null;
  warning: string | null;
  failedUnlocks: number;
  retryAfterSeconds: number;
}

export interface SlotAdded {
  slot: KeySlot;
  recoveryKey?: string;
}

export const SLOT_KIND_LABELS: Record<KeySlot["kind"], string> = {
  keyfile: "Key file",
  passphrase: "Passphrase",
  recovery: "Recovery key",
  "os-keychain": "OS keychain",
};
