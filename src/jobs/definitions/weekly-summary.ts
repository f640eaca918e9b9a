import { z } from 'zod';
import { dueWeeklySummaryOrganisations, sendDueWeeklySummaryOf } from '../../reports/send-weekly-summary.js';
import { markMissedWeeklySummaries } from '../../reports/sent-summaries.js';
import { defineAppJob } from '../deps.js';

/**
 * Every hour: queues a `reports.weekly-summary` job for each organisation whose weekly summary is due
 * in its own time zone (default Monday 08:00), on that day from that hour; a summary whose day went
 * by without it (nothing running) is marked missed, shown on the list of sent summaries, not sent late.
 */
export const weeklySummariesJob = defineAppJob({
  name: 'reports.weekly-summaries',
  payload: z.object({}),
  retry: { limit: 2, delaySeconds: 300, backoff: true },
  schedule: { cron: '4 * * * *', timeZone: 'UTC', payload: {} },
  async handle(_payload, { deps, logger }) {
    const now = new Date();
    const missed = await markMissedWeeklySummaries(deps.db, now);
    const due = await dueWeeklySummaryOrganisations(deps.db, now);
    for (const organisation of due) await deps.requests.weeklySummary(organisation.id);
    logger.info({ organisations: due.length, missed }, 'queued the weekly summaries that are due');
  },
});

/**
 * One organisation's weekly summary. The outbox's unique key per ISO week and recipient makes a
 * second run, a restart or a second worker queue nothing more.
 */
export const weeklySummaryJob = defineAppJob({
  name: 'reports.weekly-summary',
  payload: z.object({ orgId: z.uuid() }),
  retry: { limit: 3, delaySeconds: 300, backoff: true },
  expireInSeconds: 900,
  dedupeBy: ({ orgId }) => orgId,
  async handle({ orgId }, { deps, logger }) {
    const outcome = await sendDueWeeklySummaryOf(
      {
        db: deps.db,
        links: deps.weeklySummary.links,
        deliver: (messageId) => deps.requests.deliverMessage(messageId),
        logger,
      },
      orgId,
      new Date(),
    );
    logger.info({ orgId, status: outcome?.status ?? 'gone', isoWeek: outcome?.isoWeek }, 'weekly summary');
  },
});
