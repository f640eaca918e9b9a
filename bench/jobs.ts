// npm run bench:jobs — throughput of trivial jobs with 1 and 2 worker processes, and the delay from
// queueing an immediate job to its start. Uses TEST_DATABASE_URL's server when set, else an
// embedded PostgreSQL; each run gets a fresh database, dropped afterwards.
import pg from 'pg';
import { createJobQueue } from '../src/jobs/queue.js';
import { createLogger } from '../src/logger.js';
import { createScratchDatabase } from '../test/helpers/databases.js';
import { type RunningProcess, runTypeScript } from '../test/helpers/processes.js';
import { openTestServer } from '../test/helpers/test-server.js';
import { noopRegistry } from './support/noop-jobs.js';

const jobCount = 2000;
const latencySamples = 50;

async function measure(workerCount: number, adminUrl: string) {
  const database = await createScratchDatabase(adminUrl, `bench_jobs_${workerCount}`);
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  const producer = createJobQueue<{ report: (line: string) => void }, typeof noopRegistry>({
    connectionString: database.url,
    registry: noopRegistry,
    logger: createLogger('warn'),
    role: 'producer',
    concurrency: 1,
  });
  const workers: RunningProcess[] = [];
  try {
    await producer.start();
    for (let i = 0; i < workerCount; i++) {
      workers.push(runTypeScript('bench/support/noop-worker.ts', [], { DATABASE_URL: database.url }));
    }
    await Promise.all(workers.map((worker) => worker.waitForOutput('ready')));

    const completed = async () =>
      (
        await pool.query<{ done: number }>(
          "select count(*)::int as done from pgboss.job where name = 'bench.noop' and state = 'completed'",
        )
      ).rows[0]?.done ?? 0;

    const started = performance.now();
    await producer.sendMany(
      'bench.noop',
      Array.from({ length: jobCount }, () => ({})),
    );
    while ((await completed()) < jobCount) await new Promise((resolve) => setTimeout(resolve, 10));
    const seconds = (performance.now() - started) / 1000;

    const latencies: number[] = [];
    for (let sample = 0; sample < latencySamples; sample++) {
      const marker = `started `;
      const before = workers.map((worker) => worker.output().split(marker).length);
      await producer.send('bench.noop', { sentAt: Date.now() });
      let reported: string | undefined;
      while (!reported) {
        await new Promise((resolve) => setTimeout(resolve, 2));
        const index = workers.findIndex(
          (worker, i) => worker.output().split(marker).length > (before[i] ?? 0),
        );
        reported = index === -1 ? undefined : workers[index]?.output().split(marker).at(-1);
      }
      latencies.push(Number.parseInt(reported, 10));
      await new Promise((resolve) => setTimeout(resolve, 20)); // let the worker go idle again
    }
    latencies.sort((a, b) => a - b);
    return {
      bench: 'jobs',
      workers: workerCount,
      jobs: jobCount,
      seconds: Number(seconds.toFixed(3)),
      jobs_per_s: Math.round(jobCount / seconds),
      start_latency_ms: latencies[Math.floor(latencies.length / 2)],
      start_latency_p90_ms: latencies[Math.floor(latencies.length * 0.9)],
    };
  } finally {
    for (const worker of workers) worker.child.kill('SIGTERM');
    await Promise.all(workers.map((worker) => worker.exited));
    await producer.stop(500);
    await pool.end();
    await database.drop();
  }
}

const server = await openTestServer(process.env);
try {
  for (const workerCount of [1, 2]) console.log(JSON.stringify(await measure(workerCount, server.adminUrl)));
} finally {
  await server.stop();
}
