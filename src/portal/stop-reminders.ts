import { optOutCustomer } from '../messaging/opt-out.js';
import { type DebtorContext, debtorScope } from '../services/context.js';
import { loadPortal, type PortalData } from './portal-data.js';

/**
 * The debtor stops reminder emails from the link in one (List-Unsubscribe, RFC 8058 one-click too):
 * recorded once. Returns whose page it was; null when the debtor is gone.
 */
export async function stopReminders(
  ctx: DebtorContext,
): Promise<{ organisation: PortalData['organisation']; customerName: string } | null> {
  const data = await loadPortal(ctx.db, debtorScope(ctx), ctx.now);
  if (!data) return null;
  await optOutCustomer(ctx.db, debtorScope(ctx), {
    at: ctx.now,
    summary: `${data.customer.name} stopped reminder emails from the link in a reminder; no further automatic emails will be sent.`,
    details: { via: 'unsubscribe link' },
  });
  return { organisation: data.organisation, customerName: data.customer.name };
}
