/**
 * One-time sign-in links for the Secrets window. `heptora ui` asks the daemon for one; the link
 * carries a 256-bit token that signs one browser in, once, within its lifetime (2 minutes).
 * Only SHA-256 digests are kept, compared in constant time against every pending link.
 *
 * @example
 * const links = createOneTimeLinks({ clock: Date.now });
 * const { token } = links.issue();
 * links.consume(token); // "ok"
 * links.consume(token); // "used"
 */
import { timingSafeEqual } from "node:crypto";
import { newToken, tokenDigest } from "../lib/tokens.ts";

export const LINK_LIFETIME_MS = 2 * 60 * 1000;
/** More pending links than this and the oldest goes: nobody needs twenty windows at once. */
const MAX_PENDING = 20;

export type LinkOutcome = "ok" | "used" | "expired" | "unknown";

interface PendingLink {
  digest: Buffer;
  issuedAt: number;
  used: boolean;
}

export interface OneTimeLinksOptions {
  clock: () => number;
  lifetimeMs?: number;
}

export type OneTimeLinks = ReturnType<typeof createOneTimeLinks>;

export function createOneTimeLinks(options: OneTimeLinksOptions) {
  const lifetimeMs = options.lifetimeMs ?? LINK_LIFETIME_MS;
  let pending: PendingLink[] = [];

  /** Forgets links long past their lifetime (kept a while to tell "used" from "unknown"). */
  function prune(now: number): void {
    pending = pending.filter((link) => now - link.issuedAt < lifetimeMs * 5);
  }

  return {
    issue(): { token: string; expiresAt: number } {
      const now = options.clock();
      prune(now);
      const token = newToken();
      pending.push({ digest: tokenDigest(token), issuedAt: now, used: false });
      if (pending.length > MAX_PENDING) pending.shift();
      return { token, expiresAt: now + lifetimeMs };
    },

    /** Marks the link used when it is valid; says why it is not otherwise. */
    consume(token: string): LinkOutcome {
      const now = options.clock();
      const digest = tokenDigest(token);
      let found: PendingLink | undefined;
      // Every entry is compared, so the time taken does not tell which one matched.
      for (const link of pending) {
        if (timingSafeEqual(link.digest, digest)) found = link;
      }
      prune(now);
      if (found === undefined) return "unknown";
      if (found.used) return "used";
      if (now - found.issuedAt >= lifetimeMs || now < found.issuedAt) return "expired";
      found.used = true;
      return "ok";
    },
  };
}
