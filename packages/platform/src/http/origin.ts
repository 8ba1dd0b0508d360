/**
 * The platform's own origin, against which the `Origin` of state-changing browser requests is
 * checked: the configured public URL, else the origin the request was addressed to.
 */
import type { FastifyRequest } from "fastify";

export interface OriginPolicy {
  /** Origin of `--public-url`, when configured. */
  readonly configured: string | undefined;
}

export function ownOrigin(policy: OriginPolicy, request: FastifyRequest): string {
  return policy.configured ?? `${request.protocol}://${request.host}`;
}

/** Origins compared after URL normalisation (default ports, case of the host). */
export function isSameOrigin(policy: OriginPolicy, request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (typeof origin !== "string" || origin === "null") return false;
  try {
    return new URL(origin).origin === new URL(ownOrigin(policy, request)).origin;
  } catch {
    return false;
  }
}

/** Whether cookies must be marked Secure. */
export function isSecure(policy: OriginPolicy, request: FastifyRequest): boolean {
  return policy.configured?.startsWith("https:") ?? request.protocol === "https";
}
