/** Reading and writing the session cookie (no dependency needed for one cookie). */
import { SESSION_COOKIE } from "@heptora/protocol";

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined || header.length > 8192) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function readSessionCookie(header: string | undefined): string | undefined {
  const value = readCookie(header, SESSION_COOKIE);
  return value !== undefined && /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : undefined;
}

/** HttpOnly, SameSite=Strict, whole site; Secure when the platform is served over https. */
export function sessionCookie(token: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict${secure ? "; Secure" : ""}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure ? "; Secure" : ""}`;
}

/** What the OpenAPI document says of a `Set-Cookie` that signs in. */
export const SESSION_COOKIE_SET =
  `Sets the \`${SESSION_COOKIE}\` session cookie (HttpOnly, SameSite=Strict, Path=/; Secure ` +
  "when the platform is served over https). Send it back with every request.";
