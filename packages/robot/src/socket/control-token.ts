/**
 * The management token: 256 bits of randomness the daemon writes to `<dataDir>/control.token`
 * (0600) at start. The CLI reads it and sends it as a bearer token on `/v1/manage/*`; runs never
 * get it. Holding it means being the OS user that owns the data dir, which is the trust boundary
 * of the local robot (docs/adr/0030).
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { chmodSync, renameSync, rmSync, writeFileSync } from "node:fs";

export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/** SHA-256 of a token: what we keep in memory and compare. */
export function tokenDigest(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

/** Constant-time comparison of a presented token with a stored digest. */
export function tokenMatches(presented: string, digest: Buffer): boolean {
  return timingSafeEqual(tokenDigest(presented), digest);
}

/** The token of an `Authorization: Bearer <token>` header, if well-formed. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer ([\x21-\x7e]{1,512})$/.exec(header.trim());
  return match?.[1];
}

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
