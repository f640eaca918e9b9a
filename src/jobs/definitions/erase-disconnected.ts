import { z } from 'zod';
import {
  erasableOrganisations,
  eraseDisconnectedOrganisation,
  retentionDays,
} from '../../organisations/erase.js';
import { defineAppJob } from '../deps.js';

/**
 * Once a day, erases the organisations whose every connection was disconnected more than
 * `retentionDays` ago. Logs ids and counts only. One that fails is retried with the next attempt;
 * the others are erased meanwhile.
 */
export const eraseDisconnectedJob = defineAppJob({
  name: 'organisations.erase-disconnected',
  payload: z.object({}),
  retry: { limit: 3, delaySeconds: 600, backoff: true },
  expireInSeconds: 3_600,
  schedule: { cron: '47 3 * * *', timeZone: 'UTC', payload: {} },
  async handle(_payload, { deps, logger }) {
    const now = new Date();
    const due = await erasableOrganisations(deps.db, now);
    let erased = 0;
    const failed: string[] = [];
    for (const orgId of due) {
      try {
        const counts = await eraseDisconnectedOrganisation(deps.db, orgId, now);
        if (!counts) continue; // reconnected since it was listed
        erased += 1;
        logger.info({ orgId, ...counts }, 'erased a disconnected organisation');
      } catch (error) {
        failed.push(orgId);
        logger.error({ orgId, err: error }, 'could not erase a disconnected organisation');
      }
    }
    logger.info(
      { due: due.length, erased, failed: failed.length, retentionDays },
      'erased disconnected organisations',
    );
    if (failed.length > 0) throw new Error(`${failed.length} organisation(s) could not be erased`);
  },
});
