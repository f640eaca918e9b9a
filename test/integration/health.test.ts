import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { createJobQueue } from '../../src/jobs/queue.js';
import { createLogger } from '../../src/logger.js';
import { buildApp } from '../../src/web/app.js';
import { uniqueSchema } from '../helpers/databases.js';

const logger = createLogger('silent');

function readinessApp(database: DatabaseHandle, jobsReachable: () => Promise<boolean>) {
  return buildApp({
    logger,
    readinessChecks: [
      { name: 'database', check: async () => (await database.pool.query('select 1')).rowCount === 1 },
      { name: 'jobs', check: jobsReachable },
    ],
  });
}

describe('health and readiness', () => {
  const jobs = createJobQueue({
    connectionString: inject('databaseUrl'),
    registry: {},
    logger,
    role: 'producer',
    concurrency: 1,
    schema: uniqueSchema('health'),
  });
  let database: DatabaseHandle;
  let app: FastifyInstance;

  beforeAll(async () => {
    await jobs.start();
    database = connectDatabase(inject('databaseUrl'), { poolMax: 2, logger });
    app = await readinessApp(database, () => jobs.isReachable());
  });
  afterAll(async () => {
    await app.close();
    await jobs.stop(1000);
    await database.pool.end();
  });

  it('is ready when the database and the job queue answer', async () => {
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', checks: { database: 'ok', jobs: 'ok' } });
  });

  it('is not ready (503) when the database cannot be reached, but stays alive', async () => {
    const unreachable = new URL(inject('databaseUrl'));
    unreachable.port = '1'; // nothing listens on port 1
    const deadDatabase = connectDatabase(unreachable.toString(), { poolMax: 1, logger });
    const deadJobs = createJobQueue({
      connectionString: unreachable.toString(),
      registry: {},
      logger,
      role: 'producer',
      concurrency: 1,
    });
    const broken = await readinessApp(deadDatabase, () => deadJobs.isReachable());
    try {
      const ready = await broken.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({
        status: 'unavailable',
        checks: { database: 'failing', jobs: 'failing' },
      });
      expect((await broken.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await broken.close();
      await deadDatabase.pool.end();
    }
  });

  it('names the failing dependency when only the job queue is down', async () => {
    const partial = await readinessApp(database, async () => false);
    try {
      const response = await partial.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(503);
      expect(response.json().checks).toEqual({ database: 'ok', jobs: 'failing' });
    } finally {
      await partial.close();
    }
  });
});
