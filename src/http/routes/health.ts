import type { FastifyInstance } from 'fastify';
import { within } from '../../within.js';

export interface ReadinessCheck {
  name: string;
  /** Resolves true when the dependency answers. */
  check(): Promise<boolean>;
}

const checkTimeoutMs = 2_000;

function runCheck(check: ReadinessCheck): Promise<boolean> {
  return within(
    check.check().catch(() => false),
    checkTimeoutMs,
    false,
  );
}

/** `/healthz`: the process answers. `/readyz`: its database and job queue answer too. */
export function healthRoutes(checks: readonly ReadinessCheck[]) {
  return async (app: FastifyInstance) => {
    app.get('/healthz', { logLevel: 'warn' }, async () => ({ status: 'ok' }));

    app.get('/readyz', { logLevel: 'warn' }, async (_request, reply) => {
      const results = await Promise.all(
        checks.map(async (check) => [check.name, await runCheck(check)] as const),
      );
      const ready = results.every(([, ok]) => ok);
      return reply.status(ready ? 200 : 503).send({
        status: ready ? 'ready' : 'unavailable',
        checks: Object.fromEntries(results.map(([name, ok]) => [name, ok ? 'ok' : 'failing'])),
      });
    });
  };
}
