/**
 * The key file of a `keyfile` slot: a small JSON document kept OUTSIDE the data dir (mode 0600 in a
 * 0700 directory) holding the slot's key-encryption key and which vault and slot it opens.
 *
 * Naming the vault and slot lets us tell "this is the wrong key file" (vault_locked) apart from
 * "the slot in the database was changed" (vault_integrity); the checksum catches a damaged file.
 */
import { createHash } from "node:crypto";
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { KEY_BYTES } from "./crypto/aead.ts";

const FORMAT = "heptora-key-file";

export interface KeyFileContents {
  vaultId: string;
  slotId: string;
  key: Buffer;
}

export type KeyFileRead =
  | { status: "ok"; contents: KeyFileContents }
  | { status: "missing" }
  | { status: "damaged" };

function checksum(key: Uint8Array): string {
  return createHash("sha256")
    .update("heptora key file check")
    .update(key)
    .digest("hex")
    .slice(0, 16);
}

export function formatKeyFile(contents: KeyFileContents): string {
  const document = {
    format: FORMAT,
    version: 1,
    vaultId: contents.vaultId,
    slotId: contents.slotId,
    key: contents.key.toString("base64url"),
    check: checksum(contents.key),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

export function parseKeyFile(text: string): KeyFileContents | undefined {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof document !== "object" || document === null) return undefined;
  const d = document as Record<string, unknown>;
  if (d.format !== FORMAT || d.version !== 1) return undefined;
  if (typeof d.vaultId !== "string" || typeof d.slotId !== "string") return undefined;
  if (typeof d.key !== "string" || typeof d.check !== "string") return undefined;
  const key = Buffer.from(d.key, "base64url");
  if (key.length !== KEY_BYTES || checksum(key) !== d.check) {
    key.fill(0);
    return undefined;
  }
  return { vaultId: d.vaultId, slotId: d.slotId, key };
}

export function readKeyFile(path: string): KeyFileRead {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { status: "missing" };
    throw error;
  }
  if (text.length > 4096) return { status: "damaged" };
  const contents = parseKeyFile(text);
  return contents === undefined ? { status: "damaged" } : { status: "ok", contents };
}

/** Creates the directory (0700) and writes the file (0600) atomically and durably. */
export function writeKeyFile(path: string, contents: KeyFileContents): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodIfPosix(dir, 0o700);
  const temporary = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(temporary, "wx", 0o600);
  try {
    writeSync(fd, formatKeyFile(contents));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodIfPosix(temporary, 0o600);
  renameSync(temporary, path);
  syncDirectory(dir);
}

/**
 * Moves an existing key file out of the way (never deletes key material) and returns where to.
 * Used when a new vault is created where an old key file still lies.
 */
export function setAsideKeyFile(path: string, now: Date): string | undefined {
  if (!existsSync(path)) return undefined;
  const stamp = now.toISOString().replace(/[:.]/g, "-");
  const target = `${path}.replaced-${stamp}`;
  renameSync(path, target);
  return target;
}

export function chmodIfPosix(path: string, mode: number): void {
  if (process.platform !== "win32") chmodSync(path, mode);
}

export function ensurePrivateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  chmodIfPosix(path, 0o700);
}

function syncDirectory(dir: string): void {
  if (process.platform === "win32") return;
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
