import { desc, eq } from 'drizzle-orm';
import { type CreditTargetOption, creditTargetLimit } from '../../connectors/ledger.js';
import { type Vendor, vendorNamesInWords, vendors } from '../../connectors/vendors.js';
import { ledgerConnections } from '../db/schema/index.js';
import { AppError } from '../errors.js';
import type { LedgerContext } from '../ledger/context.js';
import { openLedgerConnection } from '../ledger/open-connection.js';

const notConnected = (reconnect: Vendor | null) =>
  new AppError(
    409,
    'ledger_not_connected',
    reconnect
      ? `Reconnect ${vendors[reconnect].name} in Settings first: the accounts and items to choose from are read from it.`
      : `Connect ${vendorNamesInWords()} first: the accounts and items to choose from are read from your books.`,
  );

/**
 * The items (QuickBooks) or accounts (Xero) the organisation may book write-offs and settlement
 * discounts against, read now from its connected ledger and sorted by name, for a person to choose
 * `writeOffTarget` and `settlementTarget` from. Without an active connection: a 409 saying what to do.
 */
export async function creditTargetsOf(ctx: LedgerContext, orgId: string): Promise<CreditTargetOption[]> {
  const connections = await ctx.db
    .select({ id: ledgerConnections.id, vendor: ledgerConnections.vendor, status: ledgerConnections.status })
    .from(ledgerConnections)
    .where(eq(ledgerConnections.orgId, orgId))
    .orderBy(desc(ledgerConnections.createdAt));
  const active = connections.find((connection) => connection.status === 'active');
  if (!active) {
    const expired = connections.find((connection) => connection.status === 'needs_reauth');
    throw notConnected(expired?.vendor ?? null);
  }
  const opened = await openLedgerConnection(ctx, active.id);
  if (!opened) throw notConnected(null);
  const targets = await opened.connector.listCreditTargets(opened.handle);
  if (targets.length >= creditTargetLimit) {
    ctx.logger.warn(
      { orgId, connectionId: active.id, limit: creditTargetLimit },
      'the ledger has more credit targets than are listed; the list was cut short',
    );
  }
  return [...targets].sort(
    (a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.ref.localeCompare(b.ref),
  );
}
