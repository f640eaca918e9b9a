/** Per-realm throttling, injected faults and request counters, seen through node-quickbooks. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { QuickBooksEmulator } from '../../emulators/quickbooks/index.js';
import {
  call,
  connectedQuickbooks,
  demoSeed,
  failure,
  type Json,
  restoreClientStatics,
  startEmulator,
  type TestClock,
} from './qbo-harness.js';

let emulator: QuickBooksEmulator;
let clock: TestClock;
let realmId: string;
let qbo: Json;

beforeAll(async () => {
  ({ emulator, clock } = await startEmulator());
  realmId = emulator.addCompany(demoSeed);
  qbo = await connectedQuickbooks(emulator, realmId);
});

afterEach(() => {
  emulator.configure({
    rateLimit: { perMinute: 500, concurrent: 10, xmlFraction: 0 },
    faults: { errorRate: 0, latencyMs: 0 },
  });
  clock.advanceSeconds(61);
});

afterAll(async () => {
  await emulator.close();
  restoreClientStatics();
});

const read = () => call((cb) => qbo.getInvoice('10', cb));

async function settle(promises: Promise<unknown>[]): Promise<number[]> {
  const results = await Promise.allSettled(promises);
  return results.map((r) =>
    r.status === 'fulfilled' ? 200 : ((r.reason as { response?: { status: number } }).response?.status ?? 0),
  );
}

describe('rate limits', () => {
  it('answers 429 ThrottleExceeded past the per-minute limit, counts it, and recovers after a minute', async () => {
    emulator.configure({ rateLimit: { perMinute: 5 } });
    emulator.resetCounters();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) statuses.push(...(await settle([read()])));
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const { body } = await failure(read());
    expect(body.Fault).toMatchObject({
      type: 'SERVICE',
      Error: [{ code: '3001', Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429' }],
    });
    expect(emulator.counters()).toMatchObject({ throttled: 3, total: 8, byKind: { read: 8 } });
    clock.advanceSeconds(61);
    await expect(read()).resolves.toMatchObject({ Id: '10' });
  });

  it('limits concurrent requests per realm (latency holds the slot)', async () => {
    emulator.configure({ rateLimit: { concurrent: 2 }, faults: { latencyMs: 400 } });
    const statuses = await settle(Array.from({ length: 5 }, read));
    expect(statuses.filter((s) => s === 200)).toHaveLength(2);
    expect(statuses.filter((s) => s === 429)).toHaveLength(3);
  });

  it('can answer 429 in XML like Intuit sometimes does', async () => {
    emulator.configure({ rateLimit: { perMinute: 0, xmlFraction: 1 } });
    const { status, body } = await failure(read());
    expect(status).toBe(429);
    expect(body).toMatch(/^<\?xml/);
    expect(body).toContain('<Error code="3001">');
  });

  it('does not rate-limit OAuth endpoints', async () => {
    emulator.configure({ rateLimit: { perMinute: 0 } });
    const fresh = await connectedQuickbooks(emulator, realmId);
    expect(fresh.token).toBeTruthy();
  });
});

describe('faults', () => {
  it('answers injected 500s with a SystemFault and counts them', async () => {
    emulator.configure({ faults: { errorRate: 1 } });
    emulator.resetCounters();
    const { status, body } = await failure(read());
    expect(status).toBe(500);
    expect(body.Fault).toMatchObject({ type: 'SystemFault', Error: [{ code: '10000' }] });
    expect(emulator.counters().faults).toBe(1);
  });

  it('adds latency', async () => {
    emulator.configure({ faults: { latencyMs: 120 } });
    const started = performance.now();
    await read();
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });
});

describe('counters', () => {
  it('counts requests by kind and realm', async () => {
    emulator.resetCounters();
    await connectedQuickbooks(emulator, realmId);
    await read();
    await call((cb) => qbo.findCustomers(cb));
    await call((cb) => qbo.changeDataCapture('Invoice', new Date(clock.now() - 1000), cb));
    await call((cb) => qbo.updateInvoice({ Id: '11', SyncToken: '0', PrivateNote: 'count me' }, cb));
    // Connecting is two OAuth requests: authorize and the code exchange.
    expect(emulator.counters()).toEqual({
      total: 6,
      byRealm: { [realmId]: 4 },
      byKind: { oauth: 2, query: 1, cdc: 1, read: 1, write: 1 },
      throttled: 0,
      faults: 0,
    });
  });
});
