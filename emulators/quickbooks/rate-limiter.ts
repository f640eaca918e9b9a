/**
 * Intuit's per-realm limits: 500 requests in any minute and 10 in flight at once (developer.intuit.com
 * "API call limits and throttles"; blog 2016-08-08 "concurrent API use"). Throttled requests are refused before
 * they start, so they neither take a slot nor count toward the minute.
 */
import { SlidingWindow } from '../kit/sliding-window.js';

const MINUTE_MS = 60_000;

export interface RateLimits {
  perMinute: number;
  concurrent: number;
}

export type Admission = { ok: true; release: () => void } | { ok: false; reason: 'minute' | 'concurrent' };

export class RateLimiter {
  private readonly windows = new Map<string, SlidingWindow>();
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
    let window = this.windows.get(realmId);
    if (!window) {
      window = new SlidingWindow(MINUTE_MS);
      this.windows.set(realmId, window);
    }
    const busy = this.inFlight.get(realmId) ?? 0;
    if (busy >= this.limits.concurrent) return { ok: false, reason: 'concurrent' };
    if (window.count(now) >= this.limits.perMinute) return { ok: false, reason: 'minute' };
    window.add(now);
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
