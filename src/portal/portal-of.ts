import { type DebtorContext, debtorScope } from '../services/context.js';
import { loadPortal, type PortalData } from './portal-data.js';

/** Everything the debtor's page shows, read for that debtor only; null when they are gone. */
export function portalOf(ctx: DebtorContext): Promise<PortalData | null> {
  return loadPortal(ctx.db, debtorScope(ctx), ctx.now);
}
