/**
 * Intuit's per-realm limits: 500 requests in any minute and 10 in flight at once (developer.intuit.com
 * "API call limits and throttles"; blog 2016-08-08 "concurrent API use"). Throttled requests are refused before
 * they start, so they neither take a slot nor count toward the minute.
 */
const MINUTE_MS = 60_000;

export interface RateLimits {
  perMinute: number;
  concurrent: number;
}

export type Admission = { ok: true; release: () => void } | { ok: false; reason: 'minute' | 'concurrent' };

export class RateLimiter {
  private readonly windows = new Map<string, number[]>();
  private readonly inFlight = new Map<string, number>();

  constructor(
    private limits: RateLimits,
    private readonly now: () => number,
  ) {}

  configure(limits: Partial<RateLimits>): void {
    this.limits = { ...this.limits, ...limits };
  }

  admit(realmId: string): Admission {
    const now = this.now();
    const window = this.windows.get(realmId) ?? [];
    while (window.length > 0 && (window[0] as number) <= now - MINUTE_MS) window.shift();
    this.windows.set(realmId, window);
    const busy = this.inFlight.get(realmId) ?? 0;
    if (busy >= this.limits.concurrent) return { ok: false, reason: 'concurrent' };
    if (window.length >= this.limits.perMinute) return { ok: false, reason: 'minute' };
    window.push(now);
    this.inFlight.set(realmId, busy + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.inFlight.set(realmId, Math.max(0, (this.inFlight.get(realmId) ?? 1) - 1));
    };
    return { ok: true, release };
  }
}
