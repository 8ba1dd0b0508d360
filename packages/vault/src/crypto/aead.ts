/**
 * AES-256-GCM sealing of small values with a fresh random 96-bit nonce per seal.
 *
 * A sealed blob is `format (1 byte) || nonce (12) || ciphertext || tag (16)`. The associated data
 * (AAD) is not stored: the caller rebuilds it from where the blob is read (vault id, purpose, name,
 * version), so a blob copied to another row, name, version or vault fails to open.
 *
 * `openSealed` returns `undefined` when the blob does not authenticate (edited, truncated, moved,
 * wrong key): callers turn that into their own integrity error, never into garbage.
 */
import { createCipheriv, createDecipheriv, randomFillSync } from "node:crypto";

const FORMAT_V1 = 0x01;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;
/** Bytes a sealed blob adds to its plaintext. */
export const SEAL_OVERHEAD = 1 + NONCE_BYTES + TAG_BYTES;

/**
 * Seals `plaintext` under `key` (32 bytes) bound to `aad`.
 *
 * @example
 * const blob = seal(dek, Buffer.from("s3cret"), associatedData("secret", vaultId, "SAP_USER", "1"));
 */
export function seal(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Buffer {
  assertKey(key);
  const nonce = randomFillSync(Buffer.alloc(NONCE_BYTES));
  const cipher = createCipheriv("aes-256-gcm", key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const body = cipher.update(plaintext);
  const tail = cipher.final();
  const tag = cipher.getAuthTag();
  const out = Buffer.concat([Buffer.of(FORMAT_V1), nonce, body, tail, tag]);
  body.fill(0);
  return out;
}

/** Opens a blob made by `seal`; `undefined` when it does not authenticate. */
export function openSealed(key: Uint8Array, blob: Uint8Array, aad: Uint8Array): Buffer | undefined {
  assertKey(key);
  if (blob.length < SEAL_OVERHEAD || blob[0] !== FORMAT_V1) return undefined;
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const nonce = bytes.subarray(1, 1 + NONCE_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  const body = bytes.subarray(1 + NONCE_BYTES, bytes.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    const head = decipher.update(body);
    try {
      const tail = decipher.final();
      return tail.length === 0 ? head : Buffer.concat([head, tail]);
    } catch {
      // Authentication failed: the plaintext we already produced must not escape.
      head.fill(0);
      return undefined;
    }
  } catch {
    return undefined;
  }
}

/**
 * Associated data for a seal: a purpose tag and the fields that place the blob, each
 * length-prefixed so that ("AB", "C") and ("A", "BC") never collide.
 *
 * @example
 * associatedData("setting", vaultId, "robot.token");
 */
export function associatedData(purpose: string, ...fields: readonly string[]): Buffer {
  const parts: Buffer[] = [];
  for (const field of ["heptora/v1", purpose, ...fields]) {
    const bytes = Buffer.from(field, "utf8");
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    parts.push(length, bytes);
  }
  return Buffer.concat(parts);
}

function assertKey(key: Uint8Array): void {
  if (key.length !== KEY_BYTES) throw new RangeError("An AES-256-GCM key has 32 bytes.");
}
