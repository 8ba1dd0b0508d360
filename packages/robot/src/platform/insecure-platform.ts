/**
 * Plain-http platform URLs (docs/adr/0073). The robot sends the person's platform password at
 * sign-in and its robot token on every sync: over plain http to another machine, anyone on the
 * network path reads them. http is fine to this machine (loopback: 127.0.0.0/8, ::1, localhost),
 * where `npm start` and the tests run; to anything else it is refused unless the setting
 * `--allow-insecure-platform` (HEPTORA_ALLOW_INSECURE_PLATFORM) says so, and then `heptora status`
 * and the Secrets window's settings warn.
 *
 * @example
 * insecurePlatform("http://example.test"); // true
 * insecurePlatform("http://127.0.0.1:8080"); // false
 */
import { HeptoraError } from "@heptora/protocol/errors";

export const INSECURE_PLATFORM_WARNING =
  "The platform URL is plain http to another machine: your platform password and the robot's token cross the network unencrypted. Use https:// (allowed here by --allow-insecure-platform).";

/** Whether `host` (as URL.hostname gives it) names this machine. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (bare === "localhost" || bare.endsWith(".localhost") || bare === "::1") return true;
  return /^127(?:\.\d{1,3}){3}$/.test(bare);
}

/** True for an http:// URL whose host is not this machine. */
export function insecurePlatform(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" && !isLoopbackHost(parsed.hostname);
  } catch {
    return false;
  }
}

/** The warning for status, or null when the URL is https or loopback. */
export function platformWarning(url: string): string | null {
  return insecurePlatform(url) ? INSECURE_PLATFORM_WARNING : null;
}

/** The refusal, naming where the URL came from and what to do. */
export function insecurePlatformMessage(url: string, source: string): string {
  return `${source} (${new URL(url).origin}) is plain http to another machine: your platform password and the robot's token would cross the network unencrypted. Use https://, or, if you accept that risk, add --allow-insecure-platform (or HEPTORA_ALLOW_INSECURE_PLATFORM=1).`;
}

/** Refuses an insecure platform URL unless allowed (for a URL remembered from an earlier start). */
export function checkPlatformAllowed(url: string, allowInsecure: boolean): void {
  if (allowInsecure || !insecurePlatform(url)) return;
  throw new HeptoraError("platform_insecure", {
    message: insecurePlatformMessage(url, "The platform URL this robot signed in with"),
  });
}
