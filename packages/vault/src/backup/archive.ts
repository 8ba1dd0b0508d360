/**
 * The backup archive format (docs/adr/0080): a clear header, then the payload in AES-256-GCM
 * chunks (the STREAM construction), sealed to a passphrase through Argon2id.
 *
 * ```
 * magic "HEPTORA-BACKUP\n" (15 bytes) | format u8 (1) | header length u32 BE | header JSON
 * chunk* : ciphertext (up to CHUNK_BYTES) || tag (16)
 * ```
 * The header JSON holds the KDF parameters (Argon2id memory, passes, parallelism, salt), the chunk
 * size, a random nonce prefix and a check value of the key (so a wrong passphrase is told apart
 * from a damaged archive). Chunk i's nonce is prefix (7) || i (u32 BE) || last (1 byte: 1 on the
 * final chunk, else 0), and every chunk's associated data is the whole header: a flipped byte
 * anywhere, a chunk dropped, moved or cut, or a missing final chunk fails to open, and nothing is
 * handed back before the whole archive authenticated.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  randomFillSync,
  timingSafeEqual,
} from "node:crypto";
import { HeptoraError } from "@heptora/protocol";
import {
  type Argon2idParams,
  DEFAULT_ARGON2ID,
  deriveFromPassphrase,
  hkdf,
  newArgon2idParams,
  wipe,
} from "../crypto/kdf.ts";

const MAGIC = Buffer.from("HEPTORA-BACKUP\n", "ascii");
const FORMAT = 1;
const TAG_BYTES = 16;
const PREFIX_BYTES = 7;
export const CHUNK_BYTES = 1 << 20;
const MAX_HEADER_BYTES = 4096;

interface ArchiveHeader {
  kdf: Argon2idParams;
  chunkBytes: number;
  /** base64, PREFIX_BYTES */
  noncePrefix: string;
  /** base64: HMAC of the archive key, to tell a wrong passphrase from a damaged archive */
  check: string;
}

function damaged(detail: string): HeptoraError {
  return new HeptoraError("backup_damaged", {
    message: `The backup archive is damaged, cut short or was changed (${detail}): nothing was restored.`,
    hint: "Use another copy of the archive.",
  });
}

function keysOf(passphrase: string, kdf: Argon2idParams): { key: Buffer; check: Buffer } {
  const master = deriveFromPassphrase(passphrase, kdf);
  try {
    return {
      key: hkdf(master, kdf.salt, "heptora backup chunks v1"),
      check: createHmac("sha256", master).update("heptora backup check v1").digest(),
    };
  } finally {
    wipe(master);
  }
}

function nonce(prefix: Buffer, index: number, last: boolean): Buffer {
  const out = Buffer.alloc(12);
  prefix.copy(out, 0);
  out.writeUInt32BE(index, PREFIX_BYTES);
  out[11] = last ? 1 : 0;
  return out;
}

/** Seals `payload` to `passphrase`. `cost` is for tests; the default is the vault's slots'. */
export function sealArchive(
  payload: Buffer,
  passphrase: string,
  cost: Omit<Argon2idParams, "salt" | "kdf"> = DEFAULT_ARGON2ID,
): Buffer {
  const kdf = newArgon2idParams(cost);
  const prefix = randomFillSync(Buffer.alloc(PREFIX_BYTES));
  const { key, check } = keysOf(passphrase, kdf);
  try {
    const header: ArchiveHeader = {
      kdf,
      chunkBytes: CHUNK_BYTES,
      noncePrefix: prefix.toString("base64"),
      check: check.toString("base64"),
    };
    const json = Buffer.from(JSON.stringify(header), "utf8");
    const length = Buffer.alloc(4);
    length.writeUInt32BE(json.length);
    const head = Buffer.concat([MAGIC, Buffer.of(FORMAT), length, json]);
    const parts: Buffer[] = [head];
    const count = Math.max(1, Math.ceil(payload.length / CHUNK_BYTES));
    for (let i = 0; i < count; i++) {
      const cipher = createCipheriv("aes-256-gcm", key, nonce(prefix, i, i === count - 1), {
        authTagLength: TAG_BYTES,
      });
      cipher.setAAD(head);
      parts.push(
        cipher.update(payload.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES)),
        cipher.final(),
        cipher.getAuthTag(),
      );
    }
    return Buffer.concat(parts);
  } finally {
    wipe(key, check);
  }
}

function parseHeader(archive: Buffer): { header: ArchiveHeader; headLength: number } {
  if (archive.length < MAGIC.length + 5 || !archive.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new HeptoraError("backup_damaged", {
      message: "This file is not a Heptora backup archive: nothing was restored.",
      hint: "Give the file written by `heptora vault backup`.",
    });
  }
  const format = archive[MAGIC.length];
  if (format !== FORMAT) {
    throw new HeptoraError("backup_damaged", {
      message: `This backup archive has format ${format}, which this version of Heptora does not read: nothing was restored.`,
      hint: "Restore it with the Heptora version that wrote it, or a newer one.",
    });
  }
  const length = archive.readUInt32BE(MAGIC.length + 1);
  const headLength = MAGIC.length + 5 + length;
  if (length > MAX_HEADER_BYTES || archive.length < headLength) throw damaged("its header");
  let header: ArchiveHeader;
  try {
    header = JSON.parse(archive.subarray(MAGIC.length + 5, headLength).toString("utf8"));
  } catch {
    throw damaged("its header");
  }
  const k = header?.kdf;
  const sane =
    k?.kdf === "argon2id" &&
    typeof k.salt === "string" &&
    [k.memory, k.passes, k.parallelism].every(
      (n) => Number.isSafeInteger(n) && n > 0 && n <= 4_194_304,
    ) &&
    header.chunkBytes === CHUNK_BYTES &&
    typeof header.noncePrefix === "string" &&
    Buffer.from(header.noncePrefix, "base64").length === PREFIX_BYTES &&
    typeof header.check === "string";
  if (!sane) throw damaged("its header");
  return { header, headLength };
}

/** The payload, once every chunk authenticated; backup_passphrase_wrong or backup_damaged. */
export function openArchive(archive: Buffer, passphrase: string): Buffer {
  const { header, headLength } = parseHeader(archive);
  const { key, check } = keysOf(passphrase, header.kdf);
  try {
    const stored = Buffer.from(header.check, "base64");
    if (stored.length !== check.length || !timingSafeEqual(stored, check)) {
      throw new HeptoraError("backup_passphrase_wrong", {
        message:
          "The passphrase does not open this backup archive (or the archive's header was changed): nothing was restored.",
        hint: "Give the passphrase used for `heptora vault backup`.",
      });
    }
    const head = archive.subarray(0, headLength);
    const prefix = Buffer.from(header.noncePrefix, "base64");
    const sealedChunk = CHUNK_BYTES + TAG_BYTES;
    const body = archive.subarray(headLength);
    if (body.length < TAG_BYTES) throw damaged("it ends before its first part");
    const count = Math.ceil(body.length / sealedChunk);
    const parts: Buffer[] = [];
    for (let i = 0; i < count; i++) {
      const sealed = body.subarray(i * sealedChunk, (i + 1) * sealedChunk);
      if (sealed.length < TAG_BYTES) throw damaged(`part ${i + 1}`);
      const decipher = createDecipheriv("aes-256-gcm", key, nonce(prefix, i, i === count - 1), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(head);
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      const plain = decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES));
      try {
        decipher.final();
      } catch {
        wipe(plain, ...parts);
        throw damaged(i === count - 1 ? "its end is missing or was changed" : `part ${i + 1}`);
      }
      parts.push(plain);
    }
    const payload = Buffer.concat(parts);
    wipe(...parts);
    return payload;
  } finally {
    wipe(key, check);
  }
}
