/**
 * The job queue of `npm run bench:budget`, inline: the real handlers of src/jobs/definitions run at
 * simulated instants, one at a time, in the order they were requested. What production's queue does
 * with a request is kept: the payload is checked, a job whose `dedupeBy` key is already waiting is
 * not queued again (pg-boss's `short` policy: one queued per key, a running one does not count), a
 * delay is honoured, a failure is retried after the job's own delay and backoff. The installation's
 * cron schedules are read from the registry and fired at the minutes they name.
 *
 * Each job carries an `origin`: the cron job, webhook or action that led to it, handed down to
 * the jobs it requests, so every vendor call can be put down to its cause.
 */
import { randomUUID } from 'node:crypto';
import type { JobDeps } from '../../src/jobs/deps.js';
import type { AnyJob } from '../../src/jobs/job.js';
import { jobRegistry } from '../../src/jobs/registry.js';
import type { Logger } from '../../src/logger.js';

type Requests = JobDeps['requests'];

interface Pending {
  job: AnyJob<JobDeps>;
  payload: unknown;
  startAfter: number;
  key: string | null;
  origin: string;
  retryCount: number;
}

export interface JobRunContext {
  job: string;
  origin: string;
}

export interface InlineJobs {
  requests: Requests;
  /** The origin given to requests made outside a job (a webhook, a portal click). */
  ambient(origin: string): void;
  /** Queues one job as its cron schedule would. */
  fire(name: string, origin?: string): void;
  /** Runs every job due now, and those they request, until none is due. */
  drain(): Promise<void>;
  /** The earliest instant a waiting job may start, or null when none waits. */
  nextStart(): number | null;
  /** Runs of each job name, and the failures. */
  stats(): {
    runs: Record<string, number>;
    /** Real milliseconds spent in each job's handler. */
    ms: Record<string, number>;
    failures: Array<{ job: string; error: string }>;
  };
}

const registry = jobRegistry as unknown as Record<string, AnyJob<JobDeps>>;

export function inlineJobs(options: {
  deps: () => JobDeps;
  logger: Logger;
  /** Wraps each run: the meter takes the emulator's counters before and after. */
  around: <Result>(context: JobRunContext, run: () => Promise<Result>) => Promise<Result>;
  /**
   * A what-if, not production: the syncs webhooks ask for start this much later, so one waiting
   * sync absorbs the webhooks of that window (production: 0, at once).
   */
  webhookSyncDelaySeconds?: number;
}): InlineJobs {
  const pending: Pending[] = [];
  let current: JobRunContext | null = null;
  let ambientOrigin = 'unknown';
  const runs: Record<string, number> = {};
  const spent: Record<string, number> = {};
  const failures: Array<{ job: string; error: string }> = [];

  const enqueue = (name: string, payload: unknown, delaySeconds = 0, origin?: string, retryCount = 0) => {
    const job = registry[name];
    if (!job) throw new Error(`no job ${name}`);
    const parsed = job.payload.parse(payload);
    const key = job.dedupeBy ? job.dedupeBy(parsed) : null;
    if (key !== null && retryCount === 0 && pending.some((p) => p.job.name === name && p.key === key)) return;
    pending.push({
      job,
      payload: parsed,
      startAfter: Date.now() + delaySeconds * 1000,
      key,
      origin: origin ?? current?.origin ?? ambientOrigin,
      retryCount,
    });
  };

  const requests: Requests = {
    async sync(connectionId, mode, delaySeconds) {
      const fromWebhook = (current?.origin ?? ambientOrigin) === 'webhook';
      const delay = delaySeconds ?? (fromWebhook ? (options.webhookSyncDelaySeconds ?? 0) : 0);
      enqueue('ledger.sync', { connectionId, mode }, delay);
    },
    async routeWebhooks() {
      enqueue('webhooks.route', {});
    },
    async evaluate(orgId) {
      enqueue('collections.evaluate', { orgId });
    },
    async deliverMessage(messageId) {
      enqueue('collections.deliver-message', { messageId });
    },
    async deliverDue(orgId) {
      enqueue('collections.deliver-due', { orgId });
    },
    async writeLedger(writeId) {
      enqueue('collections.write-ledger', { writeId });
    },
    async weeklySummary(orgId) {
      enqueue('reports.weekly-summary', { orgId });
    },
  };

  const run = async (next: Pending) => {
    const context = { job: next.job.name, origin: next.origin };
    runs[next.job.name] = (runs[next.job.name] ?? 0) + 1;
    current = context;
    const started = performance.now();
    try {
      await options.around(context, () =>
        next.job.handle(next.payload, {
          jobId: randomUUID(),
          retryCount: next.retryCount,
          logger: options.logger,
          signal: new AbortController().signal,
          deps: options.deps(),
        }),
      );
    } catch (error) {
      failures.push({ job: next.job.name, error: error instanceof Error ? error.message : String(error) });
      const retry = next.job.retry;
      if (next.retryCount < retry.limit) {
        const delay = Math.min(
          retry.delaySeconds * (retry.backoff ? 2 ** next.retryCount : 1),
          retry.maxDelaySeconds ?? Number.POSITIVE_INFINITY,
        );
        enqueue(next.job.name, next.payload, delay, next.origin, next.retryCount + 1);
      }
    } finally {
      current = null;
      spent[next.job.name] = (spent[next.job.name] ?? 0) + performance.now() - started;
    }
  };

  return {
    requests,
    ambient(origin) {
      ambientOrigin = origin;
    },
    fire(name, origin) {
      const job = registry[name];
      if (!job?.schedule) throw new Error(`${name} has no schedule`);
      enqueue(name, job.schedule.payload, 0, origin ?? name);
    },
    async drain() {
      for (;;) {
        const now = Date.now();
        const index = pending.findIndex((p) => p.startAfter <= now);
        if (index < 0) return;
        const [next] = pending.splice(index, 1);
        if (next) await run(next);
      }
    },
    nextStart() {
      return pending.length === 0 ? null : Math.min(...pending.map((p) => p.startAfter));
    },
    stats: () => ({
      runs: { ...runs },
      ms: Object.fromEntries(Object.entries(spent).map(([name, ms]) => [name, Math.round(ms)])),
      failures: [...failures],
    }),
  };
}

/** Every job with a fixed schedule in the registry, as production's cron has them. */
export function cronSchedules(): Array<{ name: string; cron: string; timeZone: string }> {
  return Object.values(registry).flatMap((job) =>
    job.schedule ? [{ name: job.name, cron: job.schedule.cron, timeZone: job.schedule.timeZone }] : [],
  );
}

function fieldMatches(field: string, value: number): boolean {
  return field.split(',').some((part) => {
    const [range, stepText] = part.split('/');
    const step = stepText ? Number(stepText) : 1;
    if (range === '*') return value % step === 0;
    const [low, high] = (range ?? '').split('-').map(Number);
    if (low === undefined || Number.isNaN(low)) throw new Error(`unsupported cron field ${field}`);
    const top = high ?? (stepText ? Number.POSITIVE_INFINITY : low);
    return value >= low && value <= top && (value - low) % step === 0;
  });
}

/** Whether a five-field cron expression (UTC) names the minute starting at `ms`. */
export function cronMatches(cron: string, ms: number): boolean {
  const [minute, hour, day, month, weekday] = cron.trim().split(/\s+/);
  if (!minute || !hour || !day || !month || !weekday) throw new Error(`unsupported cron ${cron}`);
  const at = new Date(ms);
  const dayMatches = fieldMatches(day, at.getUTCDate());
  const weekdayMatches =
    fieldMatches(weekday, at.getUTCDay()) || (weekday.includes('7') && at.getUTCDay() === 0);
  // Cron: when both day fields are restricted, either may match.
  const days =
    day !== '*' && weekday !== '*' ? dayMatches || weekdayMatches : day !== '*' ? dayMatches : weekdayMatches;
  return (
    fieldMatches(minute, at.getUTCMinutes()) &&
    fieldMatches(hour, at.getUTCHours()) &&
    fieldMatches(month, at.getUTCMonth() + 1) &&
    days
  );
}
