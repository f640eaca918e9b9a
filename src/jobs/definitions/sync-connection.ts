import { z } from 'zod';
import { LedgerError } from '../../../connectors/errors.js';
import { syncConnection } from '../../sync/sync-connection.js';
import { defineAppJob } from '../deps.js';

/** Brings one connection's mirror up to date; one at a time per connection, one waiting at most. */
export const syncConnectionJob = defineAppJob({
  name: 'ledger.sync',
  payload: z.object({ connectionId: z.uuid(), mode: z.enum(['full', 'incremental']) }),
  retry: { limit: 5, delaySeconds: 30, backoff: true, maxDelaySeconds: 900 },
  expireInSeconds: 3_600,
  serialiseBy: ({ connectionId }) => connectionId,
  dedupeBy: ({ connectionId, mode }) => `${connectionId}:${mode}`,
  async handle({ connectionId, mode }, { deps, logger }) {
    let result: Awaited<ReturnType<typeof syncConnection>>;
    try {
      result = await syncConnection(deps.ledger, connectionId, mode);
    } catch (error) {
      // The vendor asked for a long pause (Xero's day limit): come back then rather than retry now.
      if (error instanceof LedgerError && error.code === 'rate_limited' && error.retryAfterSeconds) {
        await deps.requests.sync(connectionId, mode, error.retryAfterSeconds);
        logger.warn(
          { connectionId, retryAfterSeconds: error.retryAfterSeconds },
          'sync deferred by the vendor limit',
        );
        return;
      }
      throw error;
    }
    if (result.outcome === 'needs_reauth')
      logger.warn({ connectionId }, 'connection needs to be reconnected');
    else logger.info({ connectionId, mode, ...result }, 'sync finished');
  },
});
