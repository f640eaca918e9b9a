import type { Database } from '../db/client.js';
import type { LedgerContext } from '../ledger/context.js';
import { openLedgerConnection } from '../ledger/open-connection.js';
import { upsertInvoices } from './mirror.js';
import { applyDeletions } from './mirror-deletions.js';

/** What re-reading some invoices did, and the connections whose re-read failed. */
export interface InvoicesRefreshed {
  ledgerReads: number;
  invoicesRead: number;
  /** Connections whose re-read failed, in the order they were tried, with why: their invoices are unconfirmed. */
  failed: Array<{ connectionId: string; error: unknown }>;
}

/**
 * Re-reads these invoices from the ledger now, however recently they were read, and writes what comes
 * back to the mirror; what the ledger no longer returns was deleted there. Grouped by connection, up
 * to the connector's `invoicesPerFetch` a call. A connection that is gone is skipped (its invoices
 * went with it); one whose re-read fails is reported in `failed`, and the others carry on.
 */
export async function refreshInvoices(
  deps: { db: Database; ledger: LedgerContext },
  orgId: string,
  wanted: Array<{ connectionId: string; externalId: string }>,
): Promise<InvoicesRefreshed> {
  const refreshed: InvoicesRefreshed = { ledgerReads: 0, invoicesRead: 0, failed: [] };
  const byConnection = new Map<string, Set<string>>();
  for (const { connectionId, externalId } of wanted) {
    let externalIds = byConnection.get(connectionId);
    if (!externalIds) {
      externalIds = new Set();
      byConnection.set(connectionId, externalIds);
    }
    externalIds.add(externalId);
  }
  for (const [connectionId, ids] of byConnection) {
    try {
      const opened = await openLedgerConnection(deps.ledger, connectionId);
      if (!opened) continue; // the connection is gone, and its invoices with it
      const perRead = opened.connector.invoicesPerFetch;
      const externalIds = [...ids];
      for (let start = 0; start < externalIds.length; start += perRead) {
        const asked = externalIds.slice(start, start + perRead);
        refreshed.ledgerReads += 1;
        const current = await opened.connector.fetchInvoices(opened.handle, asked);
        refreshed.invoicesRead += current.length;
        await upsertInvoices(deps.db, { orgId, connectionId }, current);
        const found = new Set(current.map((invoice) => invoice.externalId));
        const gone = asked.filter((externalId) => !found.has(externalId));
        if (gone.length > 0)
          await applyDeletions(
            deps.db,
            { orgId, connectionId },
            { invoices: gone, customers: [], payments: [] },
          );
      }
    } catch (error) {
      refreshed.failed.push({ connectionId, error });
    }
  }
  return refreshed;
}
