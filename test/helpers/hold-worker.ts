// A worker process running the long `test.hold` job until SIGTERM (or a SIGKILL from the test).
import { holdRegistry } from './hold-jobs.js';
import { runTestWorker } from './run-test-worker.js';

await runTestWorker(holdRegistry, {
  concurrency: 2,
  heartbeat: {
    intervalSeconds: Number(process.env['JOB_HEARTBEAT_SECONDS'] ?? 10),
    timeoutSeconds: Number(process.env['JOB_HEARTBEAT_TIMEOUT_SECONDS'] ?? 40),
  },
});
