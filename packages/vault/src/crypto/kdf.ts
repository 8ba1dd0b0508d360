/**
 * Key material: random keys, HKDF-SHA256 sub-keys of the data key, Argon2id for passphrases.
 *
 * Keys live in Buffers that own their memory (never the shared pool), so `wipe` really clears them.
 */
import { argon2Sync, hkdfSync, randomFillSync } from "node:crypto";
import { KEY_BYTES } from "./aead.ts";

/** A fresh random 256-bit key in its own (unpooled) memory. */
export function randomKey(): Buffer {
  return randomFillSync(Buffer.alloc(KEY_BYTES));
}

/** Overwrites key material we no longer need. Strings cannot be wiped; Buffers can. */
export function wipe(...buffers: (Uint8Array | undefined)[]): void {
  for (const buffer of buffers) buffer?.fill(0);
}

/**
 * HKDF-SHA256 of `ikm` with `salt` and `info`, `length` bytes.
 *
 * @example
 * const auditKey = hkdf(dek, vaultId, "heptora audit v1");
 */
export function hkdf(ikm: Uint8Array, salt: string, info: string, length = KEY_BYTES): Buffer {
  const derived = hkdfSync("sha256", ikm, Buffer.from(salt, "utf8"), info, length);
  const out = Buffer.alloc(length);
  const view = new Uint8Array(derived);
  out.set(view);
  view.fill(0);
  return out;
}

/** The key of the audit chain's HMACs: HKDF-SHA256(DEK, salt = vault id, "heptora audit v1"). */
export function deriveAuditKey(dek: Uint8Array, vaultId: string): Buffer {
  return hkdf(dek, vaultId, "heptora audit v1");
}

/** Argon2id parameters stored (without the passphrase) in a passphrase key slot. */
export interface Argon2idParams {
  kdf: "argon2id";
  /** Memory in KiB. */
  memory: number;
  passes: number;
  parallelism: number;
  /** base64 */
  salt: string;
}

/** OWASP's current floor for Argon2id is 19 MiB, 2 passes; we take 64 MiB, 3 passes. */
export const DEFAULT_ARGON2ID: Omit<Argon2idParams, "salt"> = {
  kdf: "argon2id",
  memory: 65536,
  passes: 3,
  parallelism: 1,
};

export function newArgon2idParams(
  cost: Omit<Argon2idParams, "salt" | "kdf"> = DEFAULT_ARGON2ID,
): Argon2idParams {
  return { kdf: "argon2id", ...cost, salt: randomFillSync(Buffer.alloc(16)).toString("base64") };
}

/** The key-encryption key for a passphrase slot. */
export function deriveFromPassphrase(passphrase: string, params: Argon2idParams): Buffer {
  const message = Buffer.from(passphrase.normalize("NFC"), "utf8");
  try {
    const derived = argon2Sync("argon2id", {
      message,
      nonce: Buffer.from(params.salt, "base64"),
      memory: params.memory,
      passes: params.passes,
      parallelism: params.parallelism,
      tagLength: KEY_BYTES,
    });
    const out = Buffer.alloc(KEY_BYTES);
    out.set(derived);
    derived.fill(0);
    return out;
  } finally {
    message.fill(0);
  }
}
