import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { coalesced } from '../../src/web/webhooks.js';

describe('routing webhook events in bursts', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('asks once for a burst, after the first event of it, and again for events after that', async () => {
    const requests: number[] = [];
    const failures: unknown[] = [];
    const routeSoon = coalesced(
      async () => {
        requests.push(Date.now());
      },
      100,
      (error) => failures.push(error),
    );
    const start = Date.now();
    for (let event = 0; event < 50; event++) routeSoon();
    expect(requests).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    expect(requests).toEqual([start + 100]);
    routeSoon();
    await vi.advanceTimersByTimeAsync(100);
    expect(requests).toHaveLength(2);
    expect(failures).toEqual([]);
  });

  it('reports a request that fails, and tries again with the next event', async () => {
    let calls = 0;
    const failures: unknown[] = [];
    const routeSoon = coalesced(
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('queue unavailable');
      },
      100,
      (error) => failures.push(error),
    );
    routeSoon();
    await vi.advanceTimersByTimeAsync(100);
    expect(failures).toHaveLength(1);
    routeSoon();
    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toBe(2);
  });
});
