import PQueue from 'p-queue';
import type { VendorLimits } from '../ledger.js';

// p-queue counts in fixed windows; two full one-minute windows back to back would allow twice the
// vendor's per-minute limit inside one sliding minute. Twelve 5-second windows at 90% of the rate
// keep any sliding minute under the limit (at most 13 windows touch it: 13 × 0.9/12 < 1).
const windowMs = 5_000;
const windowsPerMinute = 12;
const headroom = 0.9;

/** Keeps each connection's calls within its vendor's per-minute and concurrency limits, in this process. */
export class ConnectionRateLimiter {
  private readonly queues = new Map<string, PQueue>();
  private readonly blockedUntil = new Map<string, number>();

  /** Stops calls on a connection until `until` (epoch ms): the vendor asked for a long wait. */
  block(connectionId: string, until: number): void {
    this.blockedUntil.set(connectionId, Math.max(until, this.blockedUntil.get(connectionId) ?? 0));
  }

  /** Milliseconds left before calls on the connection may go out again; 0 when they may now. */
  blockedFor(connectionId: string, now: number): number {
    const until = this.blockedUntil.get(connectionId) ?? 0;
    if (until <= now) this.blockedUntil.delete(connectionId);
    return Math.max(0, until - now);
  }

  schedule<Result>(connectionId: string, limits: VendorLimits, task: () => Promise<Result>): Promise<Result> {
    let queue = this.queues.get(connectionId);
    if (!queue) {
      queue = new PQueue({
        concurrency: limits.concurrent,
        intervalCap: Math.max(1, Math.floor((limits.perMinute * headroom) / windowsPerMinute)),
        interval: windowMs,
      });
      this.queues.set(connectionId, queue);
    }
    return queue.add(task);
  }
}

/** The limiter every connection in this process shares unless given its own. */
export const processRateLimiter = new ConnectionRateLimiter();
