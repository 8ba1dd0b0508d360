/**
 * Rate limit of the window's sign-in form: at most `maxFailures` failed sign-ins in a sliding
 * window; beyond that every attempt is refused (429) until the oldest failure ages out. The
 * platform has its own lockout; this one stops a local page or script from using the robot as a
 * password-guessing relay, and it does so before the platform is even asked.
 */
export interface SignInLimiterOptions {
  clock: () => number;
  maxFailures?: number;
  windowMs?: number;
}

export type SignInLimiter = ReturnType<typeof createSignInLimiter>;

export function createSignInLimiter(options: SignInLimiterOptions) {
  const maxFailures = options.maxFailures ?? 5;
  const windowMs = options.windowMs ?? 5 * 60 * 1000;
  let failures: number[] = [];

  function recent(now: number): number[] {
    failures = failures.filter((at) => now - at < windowMs && at <= now);
    return failures;
  }

  return {
    /** Seconds to wait before the next attempt, or 0 when an attempt may go ahead. */
    retryAfterSeconds(): number {
      const now = options.clock();
      const list = recent(now);
      if (list.length < maxFailures) return 0;
      const oldest = list[0] ?? now;
      return Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
    },
    failed(): void {
      failures.push(options.clock());
    },
    succeeded(): void {
      failures = [];
    },
  };
}
