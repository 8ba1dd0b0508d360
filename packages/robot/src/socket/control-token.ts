/**
 * The management token: 256 bits of randomness the daemon writes to `<dataDir>/control.token`
 * (0600) at start. The CLI reads it and sends it as a bearer token on `/v1/manage/*`; runs never
 * get it. Holding it means being the OS user that owns the data dir, which is the trust boundary
 * of the local robot (docs/adr/0030).
 */
import { chmodSync, renameSync, rmSync, writeFileSync } from "node:fs";

/** Writes the token file atomically (temp file + rename), readable by the owner only. */
export function writeControlToken(path: string, token: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${token}\n`, { mode: 0o600, flag: "w" });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}

export function removeControlToken(path: string): void {
  rmSync(path, { force: true });
}
