/**
 * Per-app rate limits: a token bucket per app that refills at its allowance a minute. A request over it is refused
 * with 429 and Retry-After (whole seconds until a token is back). In memory: a restart forgives, which is harmless.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly now: () => number) {}

  /** 0 when the request may go ahead, else the seconds to wait. */
  take(appId: string, perMinute: number): number {
    const now = this.now();
    const perMs = perMinute / 60_000;
    const b = this.buckets.get(appId) ?? { tokens: perMinute, at: now };
    b.tokens = Math.min(perMinute, b.tokens + (now - b.at) * perMs);
    b.at = now;
    this.buckets.set(appId, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000));
  }
}
