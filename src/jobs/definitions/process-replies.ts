import { z } from 'zod';
import { processInboundEmails } from '../../replies/process-inbound.js';
import { defineAppJob } from '../deps.js';

/**
 * Routes stored inbound emails (debtors' replies) to their debtors: asked for by each stored post,
 * and every minute for what a failed request left waiting. One pass at a time.
 */
export const processRepliesJob = defineAppJob({
  name: 'replies.process',
  payload: z.object({}),
  retry: { limit: 5, delaySeconds: 10, backoff: true },
  dedupeBy: () => 'inbound',
  serialiseBy: () => 'inbound',
  schedule: { cron: '* * * * *', timeZone: 'UTC', payload: {} },
  async handle(_payload, { deps, logger }) {
    const result = await processInboundEmails(deps.db, deps.collections.replyAddresses);
    if (result.matched + result.unmatched > 0) logger.info(result, 'processed inbound emails');
  },
});
