/**
 * `--trust-proxy` (ADR 0084): the addresses of the reverse proxies in front of the platform, as
 * IP addresses and CIDR ranges. Only a request whose socket peer is one of them has its
 * `X-Forwarded-For`, `X-Forwarded-Host`, `X-Forwarded-Proto` and `X-Request-Id` believed; the
 * client address is then the right-most `X-Forwarded-For` hop that is not a trusted proxy
 * (Fastify's trustProxy given a function, proxy-addr's semantics). "Trust everything" is not
 * offered: it would make the left-most hop, which any client can write, the client address.
 *
 * @example
 * const proxies = parseTrustedProxies("127.0.0.1, 10.0.0.0/24"); // throws on a bad entry
 * const trusts = trustFunction(proxies);
 * trusts("::ffff:10.0.0.7"); // true
 */
import { BlockList, isIP } from "node:net";

/** The parsed list, as given (normalised), for logs and messages. */
export type TrustedProxies = readonly string[];

const MAX_ENTRIES = 64;

/** Parses a comma- or space-separated list; throws an Error whose message fits one line. */
export function parseTrustedProxies(text: string): TrustedProxies {
  const entries = text
    .split(/[\s,]+/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  if (entries.length === 0) throw new Error("lists no address.");
  if (entries.length > MAX_ENTRIES) throw new Error(`lists more than ${MAX_ENTRIES} addresses.`);
  for (const entry of entries) {
    if (/^(true|yes|1|\*|all)$/i.test(entry)) {
      throw new Error(
        "name the reverse proxy's addresses (e.g. 127.0.0.1 or 10.0.0.0/24), not 'true': " +
          "trusting every address would let any client forge X-Forwarded-For.",
      );
    }
    if (parseEntry(entry) === undefined) {
      throw new Error(
        `'${entry.slice(0, 60)}' is not an IP address or CIDR range (like 10.0.0.5 or 10.0.0.0/24).`,
      );
    }
  }
  return Object.freeze(entries);
}

function parseEntry(entry: string): { address: string; prefix: number; v6: boolean } | undefined {
  const [address = "", prefixText, extra] = entry.split("/");
  if (extra !== undefined) return undefined;
  const family = isIP(address);
  if (family === 0) return undefined;
  const max = family === 4 ? 32 : 128;
  if (prefixText === undefined) return { address, prefix: max, v6: family === 6 };
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  return prefix > max ? undefined : { address, prefix, v6: family === 6 };
}

/** `::ffff:10.0.0.7` (an IPv4 peer on a dual-stack socket) is 10.0.0.7. */
function unmapped(address: string): string {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return match?.[1] ?? address;
}

/** Whether an address is one of the trusted proxies. */
export function trustFunction(proxies: TrustedProxies): (address: string) => boolean {
  const list = new BlockList();
  for (const entry of proxies) {
    const parsed = parseEntry(entry);
    if (parsed === undefined) continue;
    list.addSubnet(parsed.address, parsed.prefix, parsed.v6 ? "ipv6" : "ipv4");
  }
  return (address) => {
    const plain = unmapped(address);
    const family = isIP(plain);
    if (family === 0) return false;
    return list.check(plain, family === 4 ? "ipv4" : "ipv6");
  };
}
