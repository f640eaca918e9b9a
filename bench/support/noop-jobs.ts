import { z } from 'zod';
import { jobDefiner, jobRegistryOf } from '../../src/jobs/job.js';

/** A job that does nothing but, when asked, report how long it waited to start. */
export const noop = jobDefiner<{ report: (line: string) => void }>()({
  name: 'bench.noop',
  payload: z.object({ sentAt: z.number().optional() }),
  retry: { limit: 0, delaySeconds: 0, backoff: false },
  async handle({ sentAt }, { deps }) {
    if (sentAt !== undefined) deps.report(`started ${Date.now() - sentAt}`);
  },
});

export const noopRegistry = jobRegistryOf(noop);
