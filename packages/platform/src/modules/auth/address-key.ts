/**
 * The key a client address is counted under by the throttles. IPv4 counts per address; an
 * IPv4-mapped IPv6 address counts as its IPv4 address; other IPv6 addresses count per /64, the
 * block one subscriber (or one cloud machine) usually holds, so that walking through the 2^64
 * addresses of one block does not reset the limit.
 *
 * @example
 * addressKey("2001:db8:1:2::7") // "2001:db8:1:2::/64"
 * addressKey("::ffff:10.0.0.1") // "10.0.0.1"
 */
import { isIPv6 } from "node:net";

/** The 8 hextets of an IPv6 address (already checked by isIPv6), as numbers. */
function hextets(address: string): number[] {
  let text = address.split("%")[0] ?? address; // zone id
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4 !== null) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const middle = tail === undefined ? [] : Array(8 - left.length - right.length).fill("0");
  return [...left, ...middle, ...right].map((part) => Number.parseInt(part, 16));
}

export function addressKey(ip: string): string {
  if (!isIPv6(ip)) return ip;
  const parts = hextets(ip);
  const isMapped = parts.slice(0, 5).every((p) => p === 0) && parts[5] === 0xffff;
  if (isMapped) {
    const [hi = 0, lo = 0] = parts.slice(6);
    return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  }
  return `${parts
    .slice(0, 4)
    .map((p) => p.toString(16))
    .join(":")}::/64`;
}
