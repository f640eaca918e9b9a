import type { z } from 'zod';
import type { Logger } from '../logger.js';

/** How a failed job is tried again: `limit` retries, waiting `delaySeconds` (doubling when `backoff`). */
export interface RetryPolicy {
  limit: number;
  delaySeconds: number;
  backoff: boolean;
  maxDelaySeconds?: number;
}

export interface JobRun<Deps> {
  jobId: string;
  /** 0 on the first attempt. */
  retryCount: number;
  logger: Logger;
  /** Aborted when the job expires, the worker is stopping, or its heartbeat lapsed and it was retried elsewhere. */
  signal: AbortSignal;
  /** The advisory lock this attempt holds while it runs (a serialised job on a worker). */
  lockKey?: string;
  deps: Deps;
}

export interface JobDefinition<Payload, Deps, Name extends string = string> {
  /** Queue name: lowercase words joined by dots or dashes. */
  name: Name;
  /** Every payload is checked before the handler sees it; a bad payload fails without retry. */
  payload: z.ZodType<Payload>;
  retry: RetryPolicy;
  /** How long one attempt may run before it is failed and retried. */
  expireInSeconds?: number;
  /**
   * Jobs that return the same key never run at the same time, across every worker process
   * (per-connection vendor calls, for instance). Omit for jobs that may run in parallel.
   */
  serialiseBy?: (payload: Payload) => string;
  /** A job whose key matches one already queued is not queued again. */
  dedupeBy?: (payload: Payload) => string;
  /** A fixed schedule for the whole installation; per-key schedules are made at run time. */
  schedule?: { cron: string; timeZone: string; payload: Payload };
  handle(payload: Payload, run: JobRun<Deps>): Promise<void>;
}

/**
 * Returns a `defineJob` bound to one dependency type, so each definition infers its payload type
 * from its schema and its name as a literal, and its handler is checked against `Deps`.
 */
export function jobDefiner<Deps>() {
  return <const Name extends string, Payload>(
    definition: JobDefinition<Payload, Deps, Name>,
  ): JobDefinition<Payload, Deps, Name> => definition;
}

/** Builds the name → definition map the queue is typed by. */
// biome-ignore lint/suspicious/noExplicitAny: the queue checks the jobs' dependency type.
export function jobRegistryOf<const Jobs extends readonly AnyJob<any>[]>(
  ...jobs: Jobs
): { [Job in Jobs[number] as Job['name']]: Job } {
  const registry: Record<string, Jobs[number]> = {};
  for (const job of jobs) {
    if (registry[job.name]) throw new Error(`Two jobs are named ${job.name}`);
    registry[job.name] = job;
  }
  return registry as { [Job in Jobs[number] as Job['name']]: Job };
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds jobs of every payload type.
export type AnyJob<Deps> = JobDefinition<any, Deps>;
export type JobRegistry<Deps> = Record<string, AnyJob<Deps>>;
// biome-ignore lint/suspicious/noExplicitAny: matches any dependency type.
export type PayloadOf<Definition> = Definition extends JobDefinition<infer Payload, any> ? Payload : never;

export class InvalidJobPayloadError extends Error {
  constructor(jobName: string, problems: string) {
    super(`Job ${jobName} was queued with an invalid payload: ${problems}`);
    this.name = 'InvalidJobPayloadError';
  }
}
