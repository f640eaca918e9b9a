import { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { InvalidJobPayloadError, jobDefiner, jobRegistryOf } from '../../src/jobs/job.js';
import { createJobQueue } from '../../src/jobs/queue.js';
import { createLogger } from '../../src/logger.js';
import { uniqueSchema } from '../helpers/databases.js';
import { waitFor } from '../helpers/wait.js';

interface TestDeps {
  events: Array<{ job: string; key: string; at: number; retryCount: number }>;
  failUntilAttempt: Map<string, number>;
}
const defineTestJob = jobDefiner<TestDeps>();

const greet = defineTestJob({
  name: 'test.greet',
  payload: z.object({ name: z.string().min(1), times: z.number().int().positive() }),
  retry: { limit: 0, delaySeconds: 0, backoff: false },
  async handle({ name, times }, { deps, retryCount }) {
    deps.events.push({ job: 'greet', key: `${name}x${times}`, at: Date.now(), retryCount });
  },
});

const flaky = defineTestJob({
  name: 'test.flaky',
  payload: z.object({ key: z.string() }),
  retry: { limit: 3, delaySeconds: 1, backoff: true },
  async handle({ key }, { deps, retryCount }) {
    deps.events.push({ job: 'flaky', key, at: Date.now(), retryCount });
    if (retryCount + 1 < (deps.failUntilAttempt.get(key) ?? 0))
      throw new Error(`attempt ${retryCount + 1} failed`);
  },
});

const doomed = defineTestJob({
  name: 'test.doomed',
  payload: z.object({ key: z.string() }),
  retry: { limit: 1, delaySeconds: 0, backoff: false },
  async handle({ key }, { deps, retryCount }) {
    deps.events.push({ job: 'doomed', key, at: Date.now(), retryCount });
    throw new Error('the ledger said no');
  },
});

let active = new Map<string, number>();
let peakPerKey = new Map<string, number>();
let peakOverall = 0;
const perConnection = defineTestJob({
  name: 'test.per-connection',
  payload: z.object({ connectionId: z.string(), n: z.number() }),
  retry: { limit: 0, delaySeconds: 0, backoff: false },
  serialiseBy: ({ connectionId }) => connectionId,
  async handle({ connectionId, n }, { deps }) {
    active.set(connectionId, (active.get(connectionId) ?? 0) + 1);
    peakPerKey.set(connectionId, Math.max(peakPerKey.get(connectionId) ?? 0, active.get(connectionId) ?? 0));
    peakOverall = Math.max(
      peakOverall,
      [...active.values()].reduce((sum, count) => sum + count, 0),
    );
    await new Promise((resolve) => setTimeout(resolve, 40)); // stands in for a vendor call
    active.set(connectionId, (active.get(connectionId) ?? 1) - 1);
    deps.events.push({ job: 'per-connection', key: `${connectionId}:${n}`, at: Date.now(), retryCount: 0 });
  },
});

const deduped = defineTestJob({
  name: 'test.deduped',
  payload: z.object({ orgId: z.string() }),
  retry: { limit: 0, delaySeconds: 0, backoff: false },
  dedupeBy: ({ orgId }) => `sync:${orgId}`,
  async handle() {},
});

const weekly = defineTestJob({
  name: 'test.weekly',
  payload: z.object({ orgId: z.string() }),
  retry: { limit: 0, delaySeconds: 0, backoff: false },
  async handle() {},
});

const registry = jobRegistryOf(greet, flaky, doomed, perConnection, deduped, weekly);

describe('job queue', () => {
  const schema = uniqueSchema('registry');
  const deps: TestDeps = { events: [], failUntilAttempt: new Map() };
  const logger = createLogger('silent');
  const worker = createJobQueue<TestDeps, typeof registry>({
    connectionString: inject('databaseUrl'),
    registry,
    logger,
    role: 'worker',
    concurrency: 4,
    pollingIntervalSeconds: 0.5,
    schema,
  });
  const eventsFor = (job: string, key?: string) =>
    deps.events.filter((event) => event.job === job && (key === undefined || event.key === key));

  const waitForState = (name: keyof typeof registry, id: string | null, state: string) =>
    waitFor(
      async () => {
        const found = await worker.find(name, id ?? '');
        return found?.state === state ? found : undefined;
      },
      { what: `${name} to be ${state}` },
    );
  /** A plain pg-boss client on the same schema, to do what Dunwell's queue would refuse or hide. */
  async function withRawBoss<T>(use: (raw: PgBoss) => Promise<T>): Promise<T> {
    const raw = new PgBoss({
      connectionString: inject('databaseUrl'),
      schema,
      supervise: false,
      schedule: false,
    });
    await raw.start();
    try {
      return await use(raw);
    } finally {
      await raw.stop({ graceful: false });
    }
  }

  beforeAll(async () => {
    await worker.start();
    await worker.work(deps);
  });
  afterAll(() => worker.stop(2000));

  it('hands a job its validated, typed payload', async () => {
    const id = await worker.send('test.greet', { name: 'Ada', times: 2 });
    expect(id).toEqual(expect.any(String));
    await waitFor(() => eventsFor('greet', 'Adax2').length === 1, { what: 'greet to run' });
    await waitForState('test.greet', id, 'completed');
  });

  it('refuses to queue an invalid payload', async () => {
    await expect(worker.send('test.greet', { name: '', times: 0 })).rejects.toBeInstanceOf(
      InvalidJobPayloadError,
    );
    // @ts-expect-error: a payload of the wrong shape does not compile either
    await expect(worker.send('test.greet', { nom: 'Ada' })).rejects.toBeInstanceOf(InvalidJobPayloadError);
    await expect(
      worker.sendMany('test.greet', [
        { name: 'ok', times: 1 },
        { name: 'x', times: -1 },
      ]),
    ).rejects.toThrow(/invalid payload/);
  });

  it('retries a failing job with exponential backoff until it succeeds', async () => {
    deps.failUntilAttempt.set('flaky-1', 3);
    const id = await worker.send('test.flaky', { key: 'flaky-1' });
    await waitForState('test.flaky', id, 'completed');
    const attempts = eventsFor('flaky', 'flaky-1');
    expect(attempts.map((attempt) => attempt.retryCount)).toEqual([0, 1, 2]);
    const [first, second, third] = attempts.map((attempt) => attempt.at);
    // pg-boss waits delay × 2^(n+1)/2 × (1 + jitter): 1–2 s, then 2–4 s.
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(1000);
    expect((third ?? 0) - (second ?? 0)).toBeGreaterThanOrEqual(2000);
  });

  it('records a job that keeps failing as failed, with the error, after its retries', async () => {
    const id = await worker.send('test.doomed', { key: 'doomed-1' });
    const state = await waitForState('test.doomed', id, 'failed');
    expect(eventsFor('doomed', 'doomed-1')).toHaveLength(2); // the first attempt and one retry
    expect(state.output).toMatchObject({ message: 'the ledger said no' });
  });

  it('fails a job stored with an invalid payload at once, without running or retrying it', async () => {
    const id = await withRawBoss((raw) => raw.send('test.flaky', { key: 42 }));
    const state = await waitForState('test.flaky', id, 'failed');
    expect(state.retryCount).toBe(0);
    expect(state.output).toMatchObject({ message: 'invalid payload' });
    expect(deps.events.some((event) => event.job === 'flaky' && typeof event.key !== 'string')).toBe(false);
  });

  it('never runs two jobs of one connection at once, but runs different connections in parallel', async () => {
    active = new Map();
    peakPerKey = new Map();
    peakOverall = 0;
    const payloads = ['conn-a', 'conn-b', 'conn-c'].flatMap((connectionId) =>
      Array.from({ length: 8 }, (_, n) => ({ connectionId, n })),
    );
    await worker.sendMany('test.per-connection', payloads);
    await waitFor(() => eventsFor('per-connection').length === payloads.length, {
      what: 'all per-connection jobs',
    });
    expect([...peakPerKey.values()]).toEqual([1, 1, 1]);
    expect(peakOverall).toBeGreaterThan(1);
    for (const connectionId of ['conn-a', 'conn-b', 'conn-c']) {
      const order = eventsFor('per-connection')
        .filter((event) => event.key.startsWith(`${connectionId}:`))
        .map((event) => event.at);
      expect(order).toHaveLength(8);
    }
  });

  it('queues a job once while another with the same dedupe key is waiting', async () => {
    const first = await worker.send(
      'test.deduped',
      { orgId: 'org-1' },
      { startAfter: new Date(Date.now() + 60_000) },
    );
    const second = await worker.send(
      'test.deduped',
      { orgId: 'org-1' },
      { startAfter: new Date(Date.now() + 60_000) },
    );
    const other = await worker.send(
      'test.deduped',
      { orgId: 'org-2' },
      { startAfter: new Date(Date.now() + 60_000) },
    );
    expect(first).toEqual(expect.any(String));
    expect(second).toBeNull();
    expect(other).toEqual(expect.any(String));
  });

  it('keeps one cron schedule per key, each in its own time zone', async () => {
    await worker.schedule('test.weekly', 'org-sydney', '0 8 * * 1', 'Australia/Sydney', {
      orgId: 'org-sydney',
    });
    await worker.schedule('test.weekly', 'org-la', '0 8 * * 1', 'America/Los_Angeles', { orgId: 'org-la' });
    await worker.schedule('test.weekly', 'org-la', '30 9 * * 1', 'America/Los_Angeles', { orgId: 'org-la' });
    await withRawBoss(async (raw) => {
      const schedules = (await raw.getSchedules('test.weekly')).map(({ key, cron, timezone, data }) => ({
        key,
        cron,
        timezone,
        data,
      }));
      expect(schedules.sort((a, b) => a.key.localeCompare(b.key))).toEqual([
        { key: 'org-la', cron: '30 9 * * 1', timezone: 'America/Los_Angeles', data: { orgId: 'org-la' } },
        { key: 'org-sydney', cron: '0 8 * * 1', timezone: 'Australia/Sydney', data: { orgId: 'org-sydney' } },
      ]);
      await worker.unschedule('test.weekly', 'org-la');
      expect((await raw.getSchedules('test.weekly')).map((schedule) => schedule.key)).toEqual(['org-sydney']);
    });
  });
});
