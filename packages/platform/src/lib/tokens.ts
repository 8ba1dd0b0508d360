/**
 * Random tokens and their storage form. A token is 256 random bits; the database keeps only
 * its SHA-256, which is enough for a value with that much entropy (no need for a slow hash).
 */
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";

/** 256-bit random token, base64url; `prefix` makes leaked tokens recognisable to scanners. */
export function newToken(prefix = ""): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}

export function newId(): string {
  return randomUUID();
}

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}

/** Compares two strings in time independent of where they differ (digests have equal length). */
export function constantTimeEqual(a: string, b: string): boolean {
  const da = createHash("sha256").update(a, "utf8").digest();
  const db = createHash("sha256").update(b, "utf8").digest();
  return timingSafeEqual(da, db);
}

/** The CSRF token of a session, derived from its secret token so that nothing more is stored. */
export function csrfTokenFor(sessionToken: string): string {
  return createHmac("sha256", sessionToken).update("heptora-csrf-v1").digest("base64url");
}
