import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { ledgerConnections } from '../../db/schema/index.js';
import { defineAppJob } from '../deps.js';

/**
 * Once a day, an incremental sync of every active connection catches whatever webhooks missed. With
 * no changes it costs QuickBooks one CDC read per connection (reads are metered per month).
 */
export const reconcileConnectionsJob = defineAppJob({
  name: 'ledger.reconcile',
  payload: z.object({}),
  retry: { limit: 3, delaySeconds: 300, backoff: true },
  schedule: { cron: '40 4 * * *', timeZone: 'UTC', payload: {} },
  async handle(_payload, { deps, logger }) {
    const active = await deps.db
      .select({ id: ledgerConnections.id })
      .from(ledgerConnections)
      .where(eq(ledgerConnections.status, 'active'));
    for (const connection of active) await deps.requests.sync(connection.id, 'incremental');
    logger.info({ connections: active.length }, 'queued the daily reconcile');
  },
});
