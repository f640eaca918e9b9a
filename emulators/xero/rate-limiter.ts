/**
 * Xero's API limits (developer.xero.com/faq/limits, "API rate limits"): per tenant 5 calls in progress, 60 calls
 * per minute and 5000 per day; per app 10,000 calls per minute over all tenants. Every response carries
 * X-DayLimit-Remaining, X-MinLimit-Remaining and X-AppMinLimit-Remaining; a breach answers 429 with
 * `X-Rate-Limit-Problem` naming the limit — `minute`, `day`, `concurrent` or `appminute`, the values integrators
 * match on (xero-python's SDK tests `minute` and `day`; several clients also handle `concurrent` and
 * `appminute`) — and `Retry-After` in seconds.
 *
 * Windows: the minute limits are sliding 60-second windows. The day limit is a rolling 24-hour window, as Xero
 * describes it ("5000 API calls available in a given 24 hour period", developer.xero.com/faq/limits; "a rolling
 * 24-hour period" in the CData and AppStrategy connector docs). Retry-After is the time until the oldest call in
 * the breached window leaves it (Codat saw day waits like `retry-after 66975`); for the concurrent limit Xero
 * documents no Retry-After, the emulator sends 1. Throttled calls are refused before they start: they neither
 * take a slot nor count toward any window.
 */
import { DAY_MS } from '../kit/dates.js';
import { SlidingWindow } from '../kit/sliding-window.js';

const MINUTE_MS = 60_000;

export interface Limits {
  perMinute: number;
  concurrent: number;
  perDay: number;
  appPerMinute: number;
}

export type LimitProblem = 'minute' | 'day' | 'concurrent' | 'appminute';

export interface Remaining {
  minute: number;
  day: number;
  appMinute: number;
}

export type Admission =
  | { ok: true; release: () => void; remaining: Remaining }
  | { ok: false; problem: LimitProblem; retryAfterSeconds: number; remaining: Remaining };

interface TenantState {
  minute: SlidingWindow;
  day: SlidingWindow;
  inFlight: number;
}

export const DEFAULT_LIMITS: Limits = { perMinute: 60, concurrent: 5, perDay: 5000, appPerMinute: 10_000 };

export class RateLimiter {
  private readonly tenants = new Map<string, TenantState>();
  private readonly app = new SlidingWindow(MINUTE_MS);

  constructor(
    private limits: Limits,
    private readonly now: () => number,
  ) {}

  configure(limits: Partial<Limits>): void {
    this.limits = { ...this.limits, ...limits };
  }

  private state(tenantId: string): TenantState {
    let state = this.tenants.get(tenantId);
    if (!state) {
      state = { minute: new SlidingWindow(MINUTE_MS), day: new SlidingWindow(DAY_MS), inFlight: 0 };
      this.tenants.set(tenantId, state);
    }
    return state;
  }

  admit(tenantId: string): Admission {
    const now = this.now();
    const state = this.state(tenantId);
    const used = { minute: state.minute.count(now), day: state.day.count(now), app: this.app.count(now) };
    const remaining = (extra: number): Remaining => ({
      minute: Math.max(0, this.limits.perMinute - used.minute - extra),
      day: Math.max(0, this.limits.perDay - used.day - extra),
      appMinute: Math.max(0, this.limits.appPerMinute - used.app - extra),
    });
    const refuse = (problem: LimitProblem, retryAfterSeconds: number): Admission => ({
      ok: false,
      problem,
      retryAfterSeconds,
      remaining: remaining(0),
    });
    if (used.day >= this.limits.perDay) return refuse('day', state.day.retryAfter(now));
    if (used.app >= this.limits.appPerMinute) return refuse('appminute', this.app.retryAfter(now));
    if (used.minute >= this.limits.perMinute) return refuse('minute', state.minute.retryAfter(now));
    if (state.inFlight >= this.limits.concurrent) return refuse('concurrent', 1);
    state.minute.add(now);
    state.day.add(now);
    this.app.add(now);
    state.inFlight += 1;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      state.inFlight = Math.max(0, state.inFlight - 1);
    };
    return { ok: true, release, remaining: remaining(1) };
  }
}

export function limitHeaders(remaining: Remaining): Record<string, string> {
  return {
    'x-daylimit-remaining': String(remaining.day),
    'x-minlimit-remaining': String(remaining.minute),
    'x-appminlimit-remaining': String(remaining.appMinute),
  };
}
