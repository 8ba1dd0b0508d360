/**
 * The pure checks in front of every request to the Secrets window. A server on 127.0.0.1 is
 * reachable by every web page the user opens, so:
 *
 * - Host must name this server exactly (`127.0.0.1:<port>` or `localhost:<port>`): a page on
 *   evil.example whose DNS later points at 127.0.0.1 (DNS rebinding) sends its own name and is
 *   refused before anything else happens.
 * - A state-changing request must carry an Origin equal to the window's own origin (a page on
 *   another port of 127.0.0.1 is "same-site" for cookies, but not same-origin), and the session's
 *   CSRF token in `X-CSRF-Token`.
 */

export const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** The accepted Host header values for a port. */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/** The Host the request names, when it is one of ours (compared exactly, case-insensitively). */
export function acceptedHost(host: string | undefined, port: number): string | undefined {
  if (host === undefined) return undefined;
  const wanted = host.trim().toLowerCase();
  return allowedHosts(port).find((candidate) => candidate === wanted);
}

/** True when the Origin header is the origin of the host the request was sent to. */
export function sameOrigin(origin: string | undefined, host: string): boolean {
  return origin !== undefined && origin.toLowerCase() === `http://${host}`;
}

/** The value of one cookie in a Cookie header (the last one wins, as in browsers' order). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  let found: string | undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) found = part.slice(eq + 1).trim();
  }
  return found !== undefined && /^[A-Za-z0-9_-]{20,100}$/.test(found) ? found : undefined;
}

/**
 * The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site sends it),
 * Path=/, no Domain (this host only). Cookies ignore ports, so the name carries the port: two
 * robots of two users on one machine do not overwrite each other's cookie.
 */
export function sessionCookieName(port: number): string {
  return `heptora_window_${port}`;
}

export function sessionCookie(port: number, value: string): string {
  return `${sessionCookieName(port)}=${value}; HttpOnly; SameSite=Strict; Path=/`;
}

export function clearedSessionCookie(port: number): string {
  return `${sessionCookieName(port)}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`;
}
