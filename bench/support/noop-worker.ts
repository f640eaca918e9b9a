// One benchmark worker process, tuned as a Dunwell worker is by default.
import { createJobQueue } from '../../src/jobs/queue.js';
import { createLogger } from '../../src/logger.js';
import { noopRegistry } from './noop-jobs.js';

const queue = createJobQueue<{ report: (line: string) => void }, typeof noopRegistry>({
  connectionString: process.env['DATABASE_URL'] ?? '',
  registry: noopRegistry,
  logger: createLogger('warn'),
  role: 'worker',
  concurrency: Number(process.env['JOB_CONCURRENCY'] ?? 4),
});
await queue.start();
await queue.work({ report: (line) => process.stdout.write(`${line}\n`) });
process.stdout.write('ready\n');
process.once('SIGTERM', async () => {
  await queue.stop(2_000);
  process.exit(0);
});
