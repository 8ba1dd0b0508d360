/**
 * Bearer tokens of the robot (the management token, run tokens, window links and sessions):
 * 256 random bits, kept in memory only as a SHA-256 digest and compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

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
