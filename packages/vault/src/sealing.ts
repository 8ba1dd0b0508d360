/**
 * What the vault seals with its data key, and where each sealed blob belongs. The associated data
 * carries a purpose tag and the blob's place (vault id, person, name, version...), so a setting
 * can't be replayed as a secret, a value can't move to another person, name or version (docs/adr/
 * 0066: the person is bound since schema 4; the empty person is a row from before, sealed
 * without it, which only `claimUnowned` opens, to re-seal it for a person), and a failure to open
 * always becomes a `vault_integrity` error that names the item (never its value).
 *
 * Secret values are padded to a multiple of 32 bytes before sealing so that the file does not
 * give away the exact length of a password.
 */
import { HeptoraError } from "@heptora/protocol";
import { associatedData, openSealed, seal } from "./crypto/aead.ts";
import { wipe } from "./crypto/kdf.ts";

const PAD_BLOCK = 32;

function pad(value: string): Buffer {
  const bytes = Buffer.from(value, "utf8");
  const length = Math.ceil((4 + bytes.length) / PAD_BLOCK) * PAD_BLOCK;
  const out = Buffer.alloc(length);
  out.writeUInt32BE(bytes.length, 0);
  bytes.copy(out, 4);
  bytes.fill(0);
  return out;
}

function unpad(padded: Buffer): string | undefined {
  if (padded.length < 4) return undefined;
  const length = padded.readUInt32BE(0);
  if (length > padded.length - 4) return undefined;
  return padded.toString("utf8", 4, 4 + length);
}

function integrity(what: string): HeptoraError {
  return new HeptoraError("vault_integrity", {
    message: `The vault failed an integrity check: ${what} was changed outside Heptora.`,
    hint: "Restore the data dir from a backup, or set the value again.",
  });
}

export interface Sealer {
  sealSecret(
    person: string,
    name: string,
    version: number,
    createdAt: string,
    value: string,
  ): Buffer;
  openSecret(
    person: string,
    name: string,
    version: number,
    createdAt: string,
    blob: Uint8Array,
  ): string;
  sealSetting(key: string, value: string): Buffer;
  openSetting(key: string, blob: Uint8Array): string;
  sealProcess(id: string, json: string): Buffer;
  openProcess(id: string, blob: Uint8Array): string;
  sealCursor(cursor: string): Buffer;
  openCursor(blob: Uint8Array): string;
  /** A run record's command line (docs/adr/0077), bound to the run id and its person. */
  sealRunCommand(runId: string, person: string, json: string): Buffer;
  openRunCommand(runId: string, person: string, blob: Uint8Array): string;
  /** Wipes the data key; the sealer is unusable afterwards. */
  destroy(): void;
}

/** A sealer over `dek` (kept, not copied: `destroy` wipes the caller's buffer). */
export function createSealer(dek: Buffer, vaultId: string): Sealer {
  const secretAad = (person: string, name: string, version: number, createdAt: string) =>
    person === ""
      ? associatedData("secret", vaultId, name, String(version), createdAt)
      : associatedData("person-secret", vaultId, person, name, String(version), createdAt);

  const openText = (blob: Uint8Array, aad: Buffer, what: string): string => {
    const plain = openSealed(dek, blob, aad);
    if (plain === undefined) throw integrity(what);
    const text = plain.toString("utf8");
    wipe(plain);
    return text;
  };

  return {
    sealSecret(person, name, version, createdAt, value) {
      const padded = pad(value);
      try {
        return seal(dek, padded, secretAad(person, name, version, createdAt));
      } finally {
        wipe(padded);
      }
    },
    openSecret(person, name, version, createdAt, blob) {
      const what = `the stored value of '${name}' (version ${version})`;
      const plain = openSealed(dek, blob, secretAad(person, name, version, createdAt));
      if (plain === undefined) throw integrity(what);
      const value = unpad(plain);
      wipe(plain);
      if (value === undefined) throw integrity(what);
      return value;
    },
    sealSetting(key, value) {
      return seal(dek, Buffer.from(value, "utf8"), associatedData("setting", vaultId, key));
    },
    openSetting(key, blob) {
      return openText(blob, associatedData("setting", vaultId, key), `the setting '${key}'`);
    },
    sealProcess(id, json) {
      return seal(dek, Buffer.from(json, "utf8"), associatedData("process", vaultId, id));
    },
    openProcess(id, blob) {
      return openText(blob, associatedData("process", vaultId, id), `the cached process '${id}'`);
    },
    sealCursor(cursor) {
      return seal(dek, Buffer.from(cursor, "utf8"), associatedData("sync-cursor", vaultId));
    },
    openCursor(blob) {
      return openText(blob, associatedData("sync-cursor", vaultId), "the sync cursor");
    },
    sealRunCommand(runId, person, json) {
      const aad = associatedData("run-command", vaultId, runId, person);
      return seal(dek, Buffer.from(json, "utf8"), aad);
    },
    openRunCommand(runId, person, blob) {
      const aad = associatedData("run-command", vaultId, runId, person);
      return openText(blob, aad, `the command of run '${runId}'`);
    },
    destroy() {
      wipe(dek);
    },
  };
}
