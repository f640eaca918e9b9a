// A separate worker process for multi-worker tests: runs the recording jobs until SIGTERM.
import { recordingRegistry } from './recording-jobs.js';
import { runTestWorker } from './run-test-worker.js';

await runTestWorker(recordingRegistry, {
  concurrency: Number(process.env['JOB_CONCURRENCY'] ?? 2),
  batchSize: Number(process.env['JOB_BATCH_SIZE'] ?? 20),
  schema: process.env['JOBS_SCHEMA'] ?? 'pgboss',
});
