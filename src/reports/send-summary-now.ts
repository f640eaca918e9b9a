import type { ServiceContext } from '../services/context.js';
import { sendWeeklySummaryNow } from './send-weekly-summary.js';
import type { WeeklySummaryLinks } from './summary-links.js';

/**
 * "Send now": the last seven days' summary to the verified people among its recipients, at most a
 * few times an hour (409 when nobody verified is among them, 429 past the limit).
 */
export async function sendSummaryNow(
  ctx: ServiceContext,
  deps: { links: WeeklySummaryLinks; deliver?: (messageId: string) => Promise<void> },
): Promise<{ messageIds: string[]; recipients: string[] }> {
  return sendWeeklySummaryNow({ db: ctx.db, ...deps }, { orgId: ctx.orgId, now: ctx.now });
}
