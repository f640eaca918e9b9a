import { z } from 'zod';
import { digestOwnerEvents, organisationsWithOwnerEvents } from '../../messaging/owner-digest.js';
import { postSlackDigests } from '../../messaging/slack-digest.js';
import { defineAppJob } from '../deps.js';

/**
 * Every minute: each organisation with debtor events waiting gets a digest, unless it had one within
 * the window (`OWNER_DIGEST_MINUTES`); its email is delivered through the outbox, exactly once, and
 * the Slack posts waiting (new ones, and failed ones again) go out.
 */
export const ownerDigestsJob = defineAppJob({
  name: 'notifications.owner-digests',
  payload: z.object({}),
  retry: { limit: 1, delaySeconds: 30, backoff: false },
  schedule: { cron: '* * * * *', timeZone: 'UTC', payload: {} },
  async handle(_payload, { deps, logger }) {
    const now = new Date();
    let digests = 0;
    for (const orgId of await organisationsWithOwnerEvents(deps.db)) {
      const outcome = await digestOwnerEvents(deps.db, {
        orgId,
        now,
        windowMinutes: deps.ownerDigest?.windowMinutes ?? 15,
        baseUrl: deps.weeklySummary.links.base,
      });
      if (outcome.status !== 'sent') continue;
      digests++;
      if (outcome.messageId) await deps.requests.deliverMessage(outcome.messageId);
    }
    const slack = await postSlackDigests({ db: deps.db, ...deps.ownerDigest?.slack, logger }, now);
    if (digests > 0 || slack.sent + slack.failed + slack.uncertain > 0)
      logger.info({ digests, slack }, 'owner digests');
  },
});
