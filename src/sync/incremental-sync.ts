import { eq } from 'drizzle-orm';
import type { ConnectionHandle, LedgerConnector } from '../../connectors/ledger.js';
import { ledgerConnections, type SyncProgress } from '../db/schema/index.js';
import type { LedgerContext } from '../ledger/context.js';
import type { ConnectionRow } from '../ledger/open-connection.js';
import { upsertCustomers, upsertInvoices, upsertPayments } from './mirror.js';
import type { MirrorScope } from './mirror-batch.js';
import { upsertCredits } from './mirror-credits.js';
import { applyDeletions, dropPaymentsNotListed } from './mirror-deletions.js';

/**
 * Applies what changed since the connection's cursor (QuickBooks CDC, Xero If-Modified-Since) in one
 * transaction with the new cursor. Returns 'needs_full' when there is no cursor or it is too old.
 */
export async function runIncrementalSync(
  ctx: LedgerContext,
  opened: { row: ConnectionRow; connector: LedgerConnector; handle: ConnectionHandle },
): Promise<SyncProgress | 'needs_full'> {
  const { row, connector, handle } = opened;
  const now = ctx.now ?? (() => new Date());
  const cursor = row.syncCursor['changes'];
  if (!row.fullSyncedAt || !cursor) return 'needs_full';
  const startedAt = now();
  const changes = await connector.changesSince(handle, cursor);
  if (!changes) return 'needs_full';

  const scope: MirrorScope = { orgId: row.orgId, connectionId: row.id };
  const progress: SyncProgress = {
    phase: 'done',
    kind: 'incremental',
    startedAt: startedAt.toISOString(),
    finishedAt: now().toISOString(),
    customers: changes.customers.length,
    invoices: changes.invoices.length + changes.deleted.invoices.length,
    payments: changes.payments.length + changes.deleted.payments.length,
  };
  // Customers first: invoices and payments refer to them.
  await ctx.db.transaction(async (tx) => {
    await upsertCustomers(tx, scope, changes.customers);
    await upsertInvoices(tx, scope, changes.invoices);
    await upsertPayments(tx, scope, changes.payments);
    await upsertCredits(tx, scope, changes.credits);
    await applyDeletions(tx, scope, changes.deleted);
    if (changes.paymentsCompleteFor) {
      await dropPaymentsNotListed(
        tx,
        scope,
        changes.paymentsCompleteFor,
        changes.payments.map((payment) => payment.externalId),
      );
    }
    await tx
      .update(ledgerConnections)
      .set({
        syncCursor: { ...row.syncCursor, changes: changes.cursor },
        lastSyncedAt: now(),
        lastError: null,
        syncProgress: progress,
      })
      .where(eq(ledgerConnections.id, row.id));
  });
  return progress;
}
