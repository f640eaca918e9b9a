/** Xero's rate limits, injected faults and request counters, seen through xero-node. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { XeroClient } from 'xero-node';
import type { XeroEmulator } from '../../../emulators/xero/index.js';
import { apiFailure, connect, harnessSeed, IDS, startEmulator, type TestClock } from './xero-harness.js';

let emulator: XeroEmulator;
let clock: TestClock;
let unroute: () => void;
let xero: XeroClient;
let tenantId: string;
const today = new Date().toISOString().slice(0, 10);
const DEFAULTS = { perMinute: 60, concurrent: 5, perDay: 5000, appPerMinute: 10_000 };

beforeAll(async () => {
  ({ emulator, clock, unroute } = await startEmulator());
  tenantId = emulator.addOrganisation(harnessSeed(today));
  ({ client: xero } = await connect(emulator));
});

afterEach(() => {
  emulator.configure({ rateLimit: DEFAULTS, faults: { errorRate: 0, latencyMs: 0 } });
  clock.advanceSeconds(86_401);
  // Keep the access token alive across the day jumps.
  return xero.refreshToken();
});

afterAll(async () => {
  unroute();
  await emulator.close();
});

const read = () => xero.accountingApi.getInvoice(tenantId, IDS.open);

async function statuses(calls: Promise<unknown>[]): Promise<number[]> {
  const results = await Promise.allSettled(calls);
  return results.map((r) =>
    r.status === 'fulfilled'
      ? 200
      : (JSON.parse(r.reason as string) as { response: { statusCode: number } }).response.statusCode,
  );
}

describe('rate limits', () => {
  it('reports the remaining calls on every answer', async () => {
    const first = await read();
    const second = await read();
    expect(first.response.headers['x-minlimit-remaining']).toBe('59');
    expect(second.response.headers['x-minlimit-remaining']).toBe('58');
    expect(second.response.headers['x-daylimit-remaining']).toBe('4998');
    expect(second.response.headers['x-appminlimit-remaining']).toBe('9998');
  });

  it('minute: 429 with X-Rate-Limit-Problem minute and Retry-After until the oldest call leaves the window', async () => {
    emulator.configure({ rateLimit: { perMinute: 3 } });
    emulator.resetCounters();
    await read();
    clock.advanceSeconds(20);
    await read();
    await read();
    const failure = await apiFailure(read());
    expect(failure.statusCode).toBe(429);
    expect(failure.headers['x-rate-limit-problem']).toBe('minute');
    expect(failure.headers['retry-after']).toBe('40');
    expect(failure.headers['x-minlimit-remaining']).toBe('0');
    expect(emulator.counters().throttled).toEqual({ minute: 1, day: 0, concurrent: 0, app: 0 });
    clock.advanceSeconds(41);
    await expect(read()).resolves.toBeTruthy();
  });

  it('day: a rolling 24 hours; Retry-After counts down to when the oldest call of the day expires', async () => {
    emulator.configure({ rateLimit: { perDay: 2 } });
    await read();
    clock.advanceSeconds(3600);
    await xero.refreshToken(); // the access token lives 30 minutes
    await read();
    const failure = await apiFailure(read());
    expect(failure.headers['x-rate-limit-problem']).toBe('day');
    expect(failure.headers['x-daylimit-remaining']).toBe('0');
    expect(Number(failure.headers['retry-after'])).toBe(23 * 3600);
    clock.advanceSeconds(23 * 3600);
    await xero.refreshToken();
    await expect(read()).resolves.toBeTruthy();
  });

  it('concurrent: the sixth call in flight gets 429 concurrent (latency holds the slots)', async () => {
    emulator.configure({ faults: { latencyMs: 300 } });
    const codes = await statuses(Array.from({ length: 7 }, read));
    expect(codes.filter((s) => s === 200)).toHaveLength(5);
    expect(codes.filter((s) => s === 429)).toHaveLength(2);
    // allSettled: leave no call in flight, or the next test would meet the concurrent limit.
    const settled = await Promise.allSettled(Array.from({ length: 6 }, read));
    const refused = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    const failure = await apiFailure(Promise.reject(refused?.reason));
    expect(failure.headers['x-rate-limit-problem']).toBe('concurrent');
    expect(failure.headers['retry-after']).toBe('1');
  });

  it('app minute: every tenant together', async () => {
    const other = emulator.addOrganisation(harnessSeed(today, { name: 'Other Tenant Ltd' }));
    const { client } = await connect(emulator);
    emulator.configure({ rateLimit: { appPerMinute: 2 } });
    await read();
    await client.accountingApi.getOrganisations(other);
    const failure = await apiFailure(client.accountingApi.getOrganisations(other));
    expect(failure.headers['x-rate-limit-problem']).toBe('appminute');
    expect(emulator.counters().throttled.app).toBeGreaterThanOrEqual(1);
  });
});

describe('faults and counters', () => {
  it('errorRate 1 answers every API call with 500 and counts it; identity calls are not affected', async () => {
    emulator.configure({ faults: { errorRate: 1 } });
    emulator.resetCounters();
    const failure = await apiFailure(read());
    expect(failure.statusCode).toBe(500);
    await xero.updateTenants(false);
    expect(emulator.counters()).toMatchObject({
      total: 2,
      faults: 1,
      byKind: { oauth: 0, connections: 1, read: 1, write: 0 },
      byTenant: { [tenantId]: 1 },
    });
  });
});
