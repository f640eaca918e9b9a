import { z } from 'zod';
import { routeWebhookEvents } from '../../sync/route-webhooks.js';
import { defineAppJob } from '../deps.js';

/** Routes received webhook events to their connections' syncs; a burst of webhooks queues it once. */
export const routeWebhooksJob = defineAppJob({
  name: 'webhooks.route',
  payload: z.object({}),
  retry: { limit: 5, delaySeconds: 5, backoff: true },
  dedupeBy: () => 'inbox',
  async handle(_payload, { deps, logger }) {
    const result = await routeWebhookEvents(deps.db, deps.requests);
    logger.info(result, 'routed webhook events');
  },
});
