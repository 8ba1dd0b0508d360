/**
 * A full disk, told apart from other failures (docs/adr/0073): SQLite's SQLITE_FULL (the vault,
 * its audit log and settings are one SQLite file) and the file system's ENOSPC, EDQUOT (a quota)
 * and EFBIG (a file size limit). SQLite rolls the failed transaction back, so nothing that was
 * acknowledged before is lost and the failed change did not happen: the person is told so, and
 * what to do, instead of "something went wrong".
 *
 * @example
 * if (isDiskFull(error)) throw diskFullError();
 */
import { HeptoraError } from "@heptora/protocol/errors";

/** SQLite's primary result code for "database or disk is full". */
const SQLITE_FULL = 13;
const FILE_SYSTEM_FULL = new Set(["ENOSPC", "EDQUOT", "EFBIG"]);

/** True when `error`, or an error it wraps (`cause`), says the disk is full. */
export function isDiskFull(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === "object"; depth++) {
    const { code, errcode } = current as { code?: unknown; errcode?: unknown };
    if (
      code === "ERR_SQLITE_ERROR" &&
      typeof errcode === "number" &&
      (errcode & 0xff) === SQLITE_FULL
    ) {
      return true;
    }
    if (typeof code === "string" && FILE_SYSTEM_FULL.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

export function diskFullError(cause?: unknown): HeptoraError {
  return new HeptoraError("disk_full", {
    hint: "Free some space on the disk that holds the robot's data dir, then try again. Everything saved before is kept.",
    cause,
  });
}
