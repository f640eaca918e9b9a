import { z } from 'zod';
import { processWaitingInboundTexts } from '../../messaging/sms/inbound.js';
import { defineAppJob } from '../deps.js';

/**
 * Acts on incoming texts that were stored but not acted on (a failure after the webhook stored one):
 * every minute, oldest first, each once. A text that fails again waits for the next run, and the run
 * fails so the failure is seen and retried.
 */
export const processInboundTextsJob = defineAppJob({
  name: 'sms.process-inbound',
  payload: z.object({}),
  retry: { limit: 5, delaySeconds: 10, backoff: true },
  dedupeBy: () => 'inbound-sms',
  serialiseBy: () => 'inbound-sms',
  schedule: { cron: '* * * * *', timeZone: 'UTC', payload: {} },
  async handle(_payload, { deps, logger }) {
    const result = await processWaitingInboundTexts(deps.db);
    if (result.processed > 0) logger.info({ processed: result.processed }, 'acted on waiting incoming texts');
    if (result.failure !== undefined) {
      logger.error({ err: result.failure, failed: result.failed }, 'incoming texts still not acted on');
      throw result.failure;
    }
  },
});
