import type { FastifyInstance } from 'fastify';
import type { CheckOutcome, ReadinessCheck } from '../health/readiness-check.js';
import { within } from '../within.js';

export type { ReadinessCheck };

const checkTimeoutMs = 2_000;

async function runCheck(check: ReadinessCheck): Promise<CheckOutcome> {
  const result = await within(
    check.check().catch(() => false),
    checkTimeoutMs,
    false,
  );
  return typeof result === 'boolean' ? { ok: result } : result;
}

/**
 * `/healthz`: the process answers. `/readyz`: its database and job queue answer too (503 when not).
 * Stuck jobs (active, but their worker stopped heartbeating) are reported as `status: 'degraded'` with
 * `stuckJobs: n` and a 200: every instance sees the same shared queue, so a 503 would take the whole
 * fleet out of the load balancer for something a worker's sweep fixes within a minute.
 */
export function healthRoutes(checks: readonly ReadinessCheck[]) {
  return async (app: FastifyInstance) => {
    app.get('/healthz', { logLevel: 'warn' }, async () => ({ status: 'ok' }));

    app.get('/readyz', { logLevel: 'warn' }, async (_request, reply) => {
      const results = await Promise.all(
        checks.map(async (check) => [check.name, await runCheck(check)] as const),
      );
      const ready = results.every(([, outcome]) => outcome.ok);
      const degraded = results.some(([, outcome]) => outcome.ok && outcome.degraded);
      const details = Object.assign({}, ...results.map(([, outcome]) => outcome.details ?? {}));
      return reply.status(ready ? 200 : 503).send({
        status: ready ? (degraded ? 'degraded' : 'ready') : 'unavailable',
        checks: Object.fromEntries(
          results.map(([name, outcome]) => [
            name,
            outcome.ok ? (outcome.degraded ? 'degraded' : 'ok') : 'failing',
          ]),
        ),
        ...details,
      });
    });
  };
}
