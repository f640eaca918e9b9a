import pg from 'pg';
import { type Job, type JobResult, PgBoss, type SendOptions } from 'pg-boss';
import { withAdvisoryLock } from '../db/advisory-lock.js';
import type { Logger } from '../logger.js';
import { type AnyJob, InvalidJobPayloadError, type JobRegistry, type PayloadOf } from './job.js';

export interface JobQueueOptions<Deps, Registry extends JobRegistry<Deps>> {
  connectionString: string;
  registry: Registry;
  logger: Logger;
  /** `worker` processes jobs and runs pg-boss maintenance and cron; `producer` only queues jobs. */
  role: 'producer' | 'worker';
  /** Parallel fetch loops per queue in this process. */
  concurrency: number;
  /** Jobs claimed per fetch; a full batch triggers an immediate next fetch. */
  batchSize?: number;
  /**
   * Seconds between fetches when idle. NOTIFY wakes workers for new jobs at once, but retries and
   * delayed jobs send no NOTIFY, so this also bounds how late they start. Default 2.
   */
  pollingIntervalSeconds?: number;
  /** Database schema for pg-boss's tables; tests give each run its own. */
  schema?: string;
  poolMax?: number;
  /**
   * Crash recovery (workers only). A worker refreshes a heartbeat on the jobs it runs every
   * `intervalSeconds`, and sweeps as often for jobs whose heartbeat is older than `timeoutSeconds`
   * (their worker died): those are failed and retried at once, without waiting for their retry delay.
   * Default: every 10 s, 40 s timeout. `timeoutSeconds` must be at least 10 (pg-boss's minimum).
   */
  heartbeat?: JobHeartbeat;
}

export interface JobHeartbeat {
  intervalSeconds: number;
  timeoutSeconds: number;
}

export const defaultJobHeartbeat: JobHeartbeat = { intervalSeconds: 10, timeoutSeconds: 40 };

/** What `/readyz` reports about the queue. */
export interface JobQueueHealth {
  /** The queue's database answers. */
  reachable: boolean;
  /**
   * Jobs still `active` past their heartbeat timeout or their expiry: their worker is gone and no
   * sweep has handed them back yet. Null when they could not be counted.
   */
  stuckJobs: number | null;
}

export interface QueuedJobState {
  state: 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';
  retryCount: number;
  output: unknown;
}

export interface JobQueue<Deps, Registry extends JobRegistry<Deps>> {
  /** Connects, installs or upgrades pg-boss's schema, and creates every registered queue. */
  start(): Promise<void>;
  /** Starts processing every registered job in this process and installs fixed schedules. */
  work(deps: Deps): Promise<void>;
  send<Name extends keyof Registry & string>(
    name: Name,
    payload: PayloadOf<Registry[Name]>,
    options?: { startAfter?: Date },
  ): Promise<string | null>;
  /** Queues many jobs in one statement. */
  sendMany<Name extends keyof Registry & string>(
    name: Name,
    payloads: PayloadOf<Registry[Name]>[],
  ): Promise<void>;
  /** Runs `name` on `cron` in `timeZone` for `key` (e.g. one weekly summary per organisation). */
  schedule<Name extends keyof Registry & string>(
    name: Name,
    key: string,
    cron: string,
    timeZone: string,
    payload: PayloadOf<Registry[Name]>,
  ): Promise<void>;
  unschedule(name: keyof Registry & string, key: string): Promise<void>;
  find(name: keyof Registry & string, jobId: string): Promise<QueuedJobState | null>;
  /** True when the queue's database answers. */
  isReachable(): Promise<boolean>;
  /** Reachability and stuck work, for `/readyz`. */
  health(): Promise<JobQueueHealth>;
  /** Stops fetching, waits up to `timeoutMs` for running jobs, then closes the connections. */
  stop(timeoutMs: number): Promise<void>;
}

export function createJobQueue<Deps, Registry extends JobRegistry<Deps>>(
  options: JobQueueOptions<Deps, Registry>,
): JobQueue<Deps, Registry> {
  const { registry, logger } = options;
  const isWorker = options.role === 'worker';
  const schema = options.schema ?? 'pgboss';
  const heartbeat = options.heartbeat ?? defaultJobHeartbeat;
  if (heartbeat.timeoutSeconds < 10 || heartbeat.intervalSeconds >= heartbeat.timeoutSeconds) {
    throw new Error('The job heartbeat timeout must be at least 10 s and longer than its interval');
  }
  const boss = new PgBoss({
    connectionString: options.connectionString,
    schema,
    max: options.poolMax ?? Math.max(4, options.concurrency + 2),
    application_name: `dunwell-jobs-${options.role}`,
    // LISTEN/NOTIFY wakes an idle worker the moment a job is queued, instead of at its next poll.
    useListenNotify: isWorker,
    // Workers drive pg-boss's supervision themselves (see `sweep`), so that a job failed for a lost
    // heartbeat is pulled forward in the same pass that failed it.
    supervise: false,
    monitorIntervalSeconds: heartbeat.intervalSeconds,
    superviseIntervalSeconds: heartbeat.intervalSeconds,
    schedule: isWorker,
    openTelemetry: { enabled: false },
  });
  // pg-boss's groupConcurrency check reads a snapshot, so two fetches at the same moment can both
  // claim jobs of one group. It keeps overlaps rare; this lock, held while a serialised job runs,
  // makes them impossible. Created only when some job is serialised.
  const needsLocks = Object.values(registry).some((job) => job.serialiseBy);
  const lockPool = needsLocks
    ? new pg.Pool({ connectionString: options.connectionString, max: options.concurrency + 2 })
    : undefined;
  lockPool?.on('error', (error) => logger.warn({ err: error }, 'job lock connection lost'));

  boss.on('error', (error: unknown) => logger.error({ err: error }, 'job queue error'));
  boss.on('warning', (warning: unknown) => logger.warn({ warning }, 'job queue warning'));

  const definition = (name: string): AnyJob<Deps> => {
    const found = registry[name];
    if (!found) throw new Error(`No job named ${name} is registered`);
    return found;
  };

  const sendOptions = (job: AnyJob<Deps>, payload: unknown): SendOptions => ({
    ...(job.serialiseBy ? { group: { id: job.serialiseBy(payload) } } : {}),
    ...(job.dedupeBy ? { singletonKey: job.dedupeBy(payload) } : {}),
  });

  // A job failed for a lost heartbeat waits out its retry delay like any failure; its worker died,
  // nothing says the work itself is failing, so it is retried at once instead. (pg-boss records the
  // failure as this output; expiry, a handler's error and a shutdown leave other outputs.)
  const retryCrashedNow = `
    update ${schema}.job set start_after = ${schema}.job_now()
    where name = any($1::text[]) and state = 'retry' and start_after > ${schema}.job_now()
      and output #>> '{value,message}' = 'job heartbeat timeout'
    returning name, id, retry_count as "retryCount"`;
  const countStuck = `
    select count(*)::int as stuck from ${schema}.job
    where state = 'active'
      and ((heartbeat_seconds is not null
            and heartbeat_on + heartbeat_seconds * interval '1 second' < ${schema}.job_now())
        or started_on + expire_seconds * interval '1 second' < ${schema}.job_now())`;

  let sweepTimer: NodeJS.Timeout | undefined;
  let sweeping: Promise<void> | undefined;
  // One pg-boss supervision pass (expiry, lost heartbeats, retention), then the crashed jobs it failed
  // are pulled forward. Several workers may sweep; pg-boss lets one pass per interval do the work.
  async function sweep(): Promise<void> {
    await boss.supervise();
    const result = await boss.getDb().executeSql(retryCrashedNow, [Object.keys(registry)]);
    const retried = (result.rows ?? []) as Array<{ name: string; id: string; retryCount: number }>;
    for (const job of retried) {
      logger.warn(job, 'job lost its worker (no heartbeat); retrying it now');
    }
  }
  const startSweeping = () => {
    const tick = () => {
      if (sweeping) return;
      sweeping = sweep()
        .catch((error: unknown) => logger.warn({ err: error }, 'job sweep failed'))
        .finally(() => {
          sweeping = undefined;
        });
    };
    tick(); // a worker starting after a crash finds the crashed jobs at once
    sweepTimer = setInterval(tick, heartbeat.intervalSeconds * 1000);
    sweepTimer.unref();
  };

  const validPayload = (job: AnyJob<Deps>, payload: unknown): unknown => {
    const parsed = job.payload.safeParse(payload);
    if (!parsed.success) throw new InvalidJobPayloadError(job.name, parsed.error.message);
    return parsed.data;
  };

  async function runOne(job: AnyJob<Deps>, queued: Job<unknown>, deps: Deps): Promise<JobResult> {
    const jobLogger = logger.child({ job: job.name, jobId: queued.id, attempt: queued.retryCount + 1 });
    const parsed = job.payload.safeParse(queued.data);
    if (!parsed.success) {
      jobLogger.error({ problems: parsed.error.issues }, 'job payload is invalid; failing without retry');
      return { id: queued.id, status: 'deadletter', output: { message: 'invalid payload' } };
    }
    try {
      const lockKey = job.serialiseBy && lockPool ? `job:${job.name}:${job.serialiseBy(parsed.data)}` : null;
      const handle = () =>
        job.handle(parsed.data, {
          jobId: queued.id,
          retryCount: queued.retryCount,
          logger: jobLogger,
          signal: queued.signal,
          ...(lockKey ? { lockKey } : {}),
          deps,
        });
      if (lockKey && lockPool) {
        await withAdvisoryLock(lockPool, lockKey, handle);
      } else {
        await handle();
      }
      return { id: queued.id, status: 'completed' };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const final = queued.retryCount >= job.retry.limit;
      jobLogger[final ? 'error' : 'warn'](
        { err: error },
        final ? 'job failed; no retries left' : 'job failed; will retry',
      );
      return { id: queued.id, status: 'failed', output: { message } };
    }
  }

  return {
    async start() {
      await boss.start({ attempts: 3 });
      for (const job of Object.values(registry)) {
        const queueOptions = {
          retryLimit: job.retry.limit,
          retryDelay: job.retry.delaySeconds,
          retryBackoff: job.retry.backoff,
          ...(job.retry.maxDelaySeconds === undefined ? {} : { retryDelayMax: job.retry.maxDelaySeconds }),
          ...(job.expireInSeconds === undefined ? {} : { expireInSeconds: job.expireInSeconds }),
          // Workers own the heartbeat setting (it must match how often they refresh it); a producer
          // leaves whatever the workers set. expireInSeconds stays the bound on a live job's attempt.
          ...(isWorker ? { heartbeatSeconds: heartbeat.timeoutSeconds } : {}),
          notify: true,
        };
        // createQueue leaves an existing queue as it was; update applies a changed retry policy.
        // A `short` queue holds at most one queued job per singleton key: that is how dedupe works.
        await boss.createQueue(job.name, { ...queueOptions, policy: job.dedupeBy ? 'short' : 'standard' });
        await boss.updateQueue(job.name, queueOptions);
      }
    },

    async work(deps) {
      for (const job of Object.values(registry)) {
        await boss.work(
          job.name,
          {
            batchSize: options.batchSize ?? 20,
            burstWhenBatchFull: true,
            pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2,
            notifyPollingIntervalSeconds: options.pollingIntervalSeconds ?? 2,
            localConcurrency: options.concurrency,
            perJobResults: true,
            heartbeatRefreshSeconds: heartbeat.intervalSeconds,
            ...(job.serialiseBy ? { groupConcurrency: 1 } : {}),
          },
          (batch: Job<unknown>[]) => Promise.all(batch.map((queued) => runOne(job, queued, deps))),
        );
        if (job.schedule) {
          const payload = validPayload(job, job.schedule.payload) as object;
          await boss.schedule(job.name, job.schedule.cron, payload, { tz: job.schedule.timeZone });
        }
      }
      startSweeping();
    },

    async send(name, payload, sendOpts) {
      const job = definition(name);
      const data = validPayload(job, payload) as object;
      return boss.send(job.name, data, {
        ...sendOptions(job, data),
        ...(sendOpts?.startAfter ? { startAfter: sendOpts.startAfter } : {}),
      });
    },

    async sendMany(name, payloads) {
      const job = definition(name);
      const rows = payloads.map((payload) => {
        const data = validPayload(job, payload) as object;
        return { data, ...sendOptions(job, data) };
      });
      await boss.insert(job.name, rows);
    },

    async schedule(name, key, cron, timeZone, payload) {
      const job = definition(name);
      const data = validPayload(job, payload) as object;
      await boss.schedule(job.name, cron, data, { tz: timeZone, key });
    },

    async unschedule(name, key) {
      await boss.unschedule(name, key);
    },

    async find(name, jobId) {
      const job = await boss.getJobById(name, jobId);
      if (!job) return null;
      return { state: job.state, retryCount: job.retryCount, output: job.output };
    },

    async isReachable() {
      try {
        return await boss.isInstalled();
      } catch {
        return false;
      }
    },

    async health() {
      if (!(await this.isReachable())) return { reachable: false, stuckJobs: null };
      try {
        const result = await boss.getDb().executeSql(countStuck);
        return { reachable: true, stuckJobs: Number(result.rows?.[0]?.stuck ?? 0) };
      } catch (error) {
        logger.warn({ err: error }, 'could not count stuck jobs');
        return { reachable: true, stuckJobs: null };
      }
    },

    async stop(timeoutMs) {
      clearInterval(sweepTimer);
      await sweeping;
      await boss.stop({ graceful: true, timeout: Math.max(timeoutMs, 1), close: true });
      await lockPool?.end();
    },
  };
}
