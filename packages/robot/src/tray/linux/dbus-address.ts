/**
 * D-Bus server addresses (`unix:path=/run/user/1000/bus`, `unix:abstract=/tmp/dbus-x,guid=...`,
 * several separated by `;`): turned into the socket paths node:net can connect to, in order.
 * Only Unix sockets are supported; `tcp:`, `launchd:`, `autolaunch:` and the rest are skipped
 * (a session bus is a Unix socket on every Linux desktop we target).
 */

export interface UnixSocketAddress {
  /** A filesystem path, or an abstract name as "\0name" (Linux). */
  socketPath: string;
  /** As written, for messages. */
  text: string;
}

const MAX_ADDRESS_LENGTH = 4096;

/** The Unix socket addresses in `address`, in the order to try them. */
export function parseBusAddress(address: string): UnixSocketAddress[] {
  if (address.length > MAX_ADDRESS_LENGTH) return [];
  const found: UnixSocketAddress[] = [];
  for (const entry of address.split(";")) {
    const colon = entry.indexOf(":");
    if (colon < 0 || entry.slice(0, colon) !== "unix") continue;
    const keys = new Map<string, string>();
    for (const pair of entry.slice(colon + 1).split(",")) {
      const equals = pair.indexOf("=");
      if (equals <= 0) continue;
      const value = percentDecode(pair.slice(equals + 1));
      if (value !== undefined) keys.set(pair.slice(0, equals), value);
    }
    const path = keys.get("path");
    const abstract = keys.get("abstract");
    if (path) found.push({ socketPath: path, text: entry });
    else if (abstract) found.push({ socketPath: `\0${abstract}`, text: entry });
  }
  return found;
}

/** Undoes the address encoding (`%2f` and friends); undefined when malformed. */
function percentDecode(text: string): string | undefined {
  if (!/^([^%]|%[0-9A-Fa-f]{2})*$/.test(text)) return undefined;
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
