/**
 * The platform's own origins, fixed by configuration and never taken from a request (ADR 0069):
 * the configured public URL (`--public-url`) when there is one, else the addresses the server
 * listens on (with the loopback names when it listens on loopback or on every interface).
 * The `Host` of every request (host-check.ts) and the `Origin` of state-changing browser requests
 * (register-routes.ts) are checked against them; mailed links start with the first one.
 */
import type { FastifyRequest } from "fastify";

export interface OriginPolicy {
  /** Origin of `--public-url`, when configured. */
  readonly configured: string | undefined;
  /**
   * Every origin this platform answers as, the canonical one first: `[configured]` when a public
   * URL is set, else the origins listened on (known once the server listens; empty before).
   */
  origins(): readonly string[];
}

/**
 * The policy for a configured public URL or, without one, for the origins listened on.
 *
 * @example
 * const policy = originPolicy(undefined, () => ["http://127.0.0.1:8080", "http://localhost:8080"]);
 * policy.origins()[0]; // "http://127.0.0.1:8080"
 */
export function originPolicy(
  publicUrl: string | undefined,
  listenOrigins: () => readonly string[],
): OriginPolicy {
  const configured = publicUrl === undefined ? undefined : new URL(publicUrl).origin;
  return {
    configured,
    origins: configured === undefined ? listenOrigins : () => [configured],
  };
}

/** `host[:port]` as URL normalises it (lower case, default port left out); undefined if bad. */
export function normaliseHost(protocol: string, host: string): string | undefined {
  // A Host is a host and an optional port: no user info, path, query or fragment.
  if (host === "" || host.length > 300 || /[\s/?#@\\]/.test(host)) return undefined;
  try {
    return new URL(`${protocol}//${host}`).host;
  } catch {
    return undefined;
  }
}

const LOOPBACK_HOSTNAMES: ReadonlySet<string> = new Set(["localhost", "127.0.0.1", "[::1]"]);

function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTNAMES.has(new URL(`http://${host}`).hostname);
}

/**
 * Whether the request's Host (X-Forwarded-Host behind a trusted proxy) is one of ours. Without a
 * public URL, a server listening on loopback also answers a loopback name at another port (a
 * local port forward: an SSH tunnel, a test proxy): a rebinding page always has a foreign name,
 * so the port adds nothing there, and the Origin check (isSameOrigin) stays exact.
 */
export function isOwnHost(policy: OriginPolicy, request: FastifyRequest): boolean {
  const host = request.host;
  if (typeof host !== "string") return false;
  const origins = policy.origins();
  const exact = origins.some((origin) => {
    const own = new URL(origin);
    return normaliseHost(own.protocol, host) === own.host;
  });
  if (exact || policy.configured !== undefined) return exact;
  const sent = normaliseHost("http:", host);
  return (
    sent !== undefined &&
    isLoopbackHost(sent) &&
    origins.some((origin) => isLoopbackHost(new URL(origin).host))
  );
}

/** Whether the request's Origin is one of the platform's own (after URL normalisation). */
export function isSameOrigin(policy: OriginPolicy, request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (typeof origin !== "string" || origin === "null") return false;
  let sent: string;
  try {
    sent = new URL(origin).origin;
  } catch {
    return false;
  }
  return policy.origins().some((own) => own === sent);
}

/** Whether cookies must be marked Secure. */
export function isSecure(policy: OriginPolicy, request: FastifyRequest): boolean {
  return policy.configured?.startsWith("https:") ?? request.protocol === "https";
}
