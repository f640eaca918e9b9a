import { z } from 'zod';
import { pruneInboundEmails } from '../../replies/prune-inbound-emails.js';
import { pruneWebhookInbox } from '../../sync/prune-webhook-inbox.js';
import { defineAppJob } from '../deps.js';

const dayMs = 86_400_000;

export const pruneWebhookInboxJob = defineAppJob({
  name: 'webhook-inbox.prune',
  payload: z.object({ keepDays: z.number().int().min(1).max(365) }),
  retry: { limit: 3, delaySeconds: 60, backoff: true },
  schedule: { cron: '17 3 * * *', timeZone: 'UTC', payload: { keepDays: 30 } },
  async handle({ keepDays }, { deps, logger }) {
    const olderThan = new Date(Date.now() - keepDays * dayMs);
    const deleted = await pruneWebhookInbox(deps.db, olderThan);
    // The other inbox: debtors' replies posted by SendGrid's Inbound Parse.
    const inboundEmails = await pruneInboundEmails(deps.db, olderThan);
    logger.info({ deleted, inboundEmails }, 'pruned processed webhook events and inbound emails');
  },
});
