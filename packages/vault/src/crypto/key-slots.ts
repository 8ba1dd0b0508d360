/**
 * Key slots, as in LUKS: the data key (DEK) is stored once per protector, wrapped (AES-256-GCM) by
 * that protector's key-encryption key (KEK). Any slot unlocks the vault; slots can be added and
 * removed without re-encrypting a single value.
 *
 * The wrap is bound (AAD) to the vault id and to every column of the slot row (id, kind, KDF
 * parameters, creation time, label), so editing any of them makes the slot fail to open.
 */
import { createHash, randomFillSync, timingSafeEqual } from "node:crypto";
import { associatedData, openSealed, seal } from "./aead.ts";
import { hkdf } from "./kdf.ts";

export const SlotKind = {
  Keyfile: "keyfile",
  Passphrase: "passphrase",
  Recovery: "recovery",
  OsKeychain: "os-keychain",
} as const;
export type SlotKind = (typeof SlotKind)[keyof typeof SlotKind];
export const SLOT_KINDS: readonly SlotKind[] = Object.values(SlotKind);

export function isSlotKind(value: unknown): value is SlotKind {
  return typeof value === "string" && (SLOT_KINDS as readonly string[]).includes(value);
}

/** One row of the key_slots table. `kdf` is the JSON of the KDF parameters (no secret in it). */
export interface KeySlotRecord {
  id: string;
  kind: SlotKind;
  wrapped: Uint8Array;
  kdf: string;
  createdAt: string;
  label: string | null;
}

export type KeySlotMeta = Omit<KeySlotRecord, "wrapped">;

function slotAad(vaultId: string, meta: KeySlotMeta): Buffer {
  return associatedData(
    "key-slot",
    vaultId,
    meta.id,
    meta.kind,
    meta.kdf,
    meta.createdAt,
    meta.label ?? "",
  );
}

/** Wraps `dek` under `kek` for the slot described by `meta`. */
export function wrapDataKey(
  kek: Uint8Array,
  dek: Uint8Array,
  vaultId: string,
  meta: KeySlotMeta,
): KeySlotRecord {
  return { ...meta, wrapped: seal(kek, dek, slotAad(vaultId, meta)) };
}

/** The DEK, or `undefined` when `kek` is not this slot's key or the slot row was changed. */
export function unwrapDataKey(
  kek: Uint8Array,
  vaultId: string,
  record: KeySlotRecord,
): Buffer | undefined {
  const dek = openSealed(kek, record.wrapped, slotAad(vaultId, record));
  if (dek === undefined) return undefined;
  if (dek.length !== 32) {
    dek.fill(0);
    return undefined;
  }
  return dek;
}

/** A random opaque id (slots, vaults): 128 bits, base64url. */
export function randomId(): string {
  // 128 random bits, base64url. An id that starts with `-` reads as an option on a command line
  // (`heptora vault slots remove ID`): such draws (1 in 32) are drawn again.
  for (;;) {
    const id = randomFillSync(Buffer.alloc(16)).toString("base64url");
    if (/^[A-Za-z0-9]/.test(id)) return id;
  }
}

// Recovery keys: 256 random bits and a 24-bit checksum (SHA-256 of the key), shown once as
// 8 groups of 7 Crockford base32 characters (upper-case letters and digits, no I L O U), so a
// mistyped character is told apart from a key that does not open this vault. Keys made before
// the checksum (8 groups of 5, 200 bits) are still read.
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const RECOVERY_BYTES = 32;
const CHECK_BYTES = 3;
const LEGACY_RECOVERY_BYTES = 25;

function recoveryCheck(key: Uint8Array): Buffer {
  return createHash("sha256")
    .update("heptora recovery key check v1")
    .update(key)
    .digest()
    .subarray(0, CHECK_BYTES);
}

function toBase32(bytes: Uint8Array): string {
  let bits = 0;
  let acc = 0;
  let text = "";
  for (const byte of bytes) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      text += CROCKFORD[(acc >> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  return text;
}

function fromBase32(text: string, length: number): Buffer | undefined {
  const out = Buffer.alloc(length);
  let bits = 0;
  let acc = 0;
  let index = 0;
  for (const char of text) {
    const value = CROCKFORD.indexOf(char);
    if (value < 0) return undefined;
    acc = (acc << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[index++] = (acc >> bits) & 0xff;
      acc &= (1 << bits) - 1;
    }
  }
  return out;
}

export function newRecoveryKey(): { text: string; bytes: Buffer } {
  const bytes = randomFillSync(Buffer.alloc(RECOVERY_BYTES));
  const all = Buffer.concat([bytes, recoveryCheck(bytes)]);
  const text = toBase32(all);
  all.fill(0);
  return { text: (text.match(/.{7}/g) ?? []).join("-"), bytes };
}

/**
 * A recovery key as typed by a person (case, spaces, dashes, O/I/L look-alikes): its bytes, or
 * why not: "malformed" (not a recovery key at all) or "mistyped" (the checksum does not match).
 */
export type RecoveryKeyParse =
  | { status: "ok"; bytes: Buffer }
  | { status: "malformed" }
  | { status: "mistyped" };

export function checkRecoveryKey(input: string): RecoveryKeyParse {
  const cleaned = input
    .toUpperCase()
    .replace(/[\s-]/g, "")
    .replace(/O/g, "0")
    .replace(/[IL]/g, "1");
  if (cleaned.length === 40) {
    const legacy = fromBase32(cleaned, LEGACY_RECOVERY_BYTES);
    return legacy === undefined ? { status: "malformed" } : { status: "ok", bytes: legacy };
  }
  if (cleaned.length !== 56) return { status: "malformed" };
  const all = fromBase32(cleaned, RECOVERY_BYTES + CHECK_BYTES);
  if (all === undefined) return { status: "malformed" };
  const bytes = Buffer.alloc(RECOVERY_BYTES);
  all.copy(bytes, 0, 0, RECOVERY_BYTES);
  const ok = timingSafeEqual(recoveryCheck(bytes), all.subarray(RECOVERY_BYTES));
  all.fill(0);
  if (!ok) {
    bytes.fill(0);
    return { status: "mistyped" };
  }
  return { status: "ok", bytes };
}

/** The key's bytes, or undefined when it is not a recovery key or has a typo. */
export function parseRecoveryKey(input: string): Buffer | undefined {
  const parsed = checkRecoveryKey(input);
  return parsed.status === "ok" ? parsed.bytes : undefined;
}

/** The KEK of a recovery slot: the key is high-entropy, so HKDF (not Argon2) is enough. */
export function recoveryKek(recoveryBytes: Uint8Array, slotId: string): Buffer {
  return hkdf(recoveryBytes, slotId, "heptora recovery slot v1");
}
