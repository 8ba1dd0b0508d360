/**
 * `HEPTORA_VAULT_PASSPHRASE_FILE`: for an unattended machine, a file holding the vault's
 * passphrase, read once at `heptora start`. Only the robot's user may read it: a file owned by
 * someone else, or readable or writable by group or others, is refused with what to do (as the
 * private folders of docs/adr/0073 are), before a byte of it is read. One trailing line break is
 * dropped (what `echo` adds); the passphrase never reaches a log or an error.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";

const MAX_BYTES = 4096;

export class PassphraseFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PassphraseFileError";
  }
}

export function readPassphraseFile(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    throw new PassphraseFileError(
      `Cannot read the passphrase file ${path} (HEPTORA_VAULT_PASSPHRASE_FILE): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
    );
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      throw new PassphraseFileError(`The passphrase file ${path} is not a regular file.`);
    }
    if (process.platform !== "win32") {
      const uid = typeof process.getuid === "function" ? process.getuid() : stat.uid;
      if (stat.uid !== uid) {
        throw new PassphraseFileError(
          `The passphrase file ${path} belongs to another user (uid ${stat.uid}): only the robot's user may own it. Run: chown $(id -u) ${path} && chmod 600 ${path}`,
        );
      }
      if ((stat.mode & 0o077) !== 0) {
        const mode = `0${(stat.mode & 0o777).toString(8)}`;
        throw new PassphraseFileError(
          `The passphrase file ${path} can be read or changed by other users (mode ${mode}): nothing was unlocked. Run: chmod 600 ${path}`,
        );
      }
    }
    const buffer = Buffer.alloc(MAX_BYTES + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > MAX_BYTES) {
        buffer.fill(0);
        throw new PassphraseFileError(
          `The passphrase file ${path} is too large to be a passphrase.`,
        );
      }
    }
    const text = buffer
      .subarray(0, length)
      .toString("utf8")
      .replace(/\r?\n$/, "");
    buffer.fill(0);
    if (text.length === 0) throw new PassphraseFileError(`The passphrase file ${path} is empty.`);
    return text;
  } finally {
    closeSync(fd);
  }
}
