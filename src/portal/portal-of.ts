import { sql } from 'drizzle-orm';
import { type DebtorContext, debtorScope } from '../services/context.js';
import { loadPortal, type PortalData } from './portal-data.js';

/** A visit is logged at most once in this long per debtor: the feed says they looked, not how often. */
const visitEveryMs = 12 * 3_600_000;

/**
 * Everything the debtor's page shows, read for that debtor only; null when they are gone. The visit
 * goes in the activity log (what debtors did lately, on the dashboard and the activity feed).
 */
export async function portalOf(ctx: DebtorContext): Promise<PortalData | null> {
  const scope = debtorScope(ctx);
  const data = await loadPortal(ctx.db, scope, ctx.now);
  if (data)
    await ctx.db.execute(sql`
      insert into activity_log (org_id, customer_id, kind, actor, summary, occurred_at)
      select ${scope.orgId}::uuid, ${scope.customerId}::uuid, 'portal.visited', 'debtor',
        'The customer opened their page', ${ctx.now.toISOString()}::timestamptz
      where not exists (
        select 1 from activity_log
        where org_id = ${scope.orgId}::uuid and customer_id = ${scope.customerId}::uuid
          and kind = 'portal.visited'
          and occurred_at > ${new Date(ctx.now.getTime() - visitEveryMs).toISOString()}::timestamptz)`);
  return data;
}
