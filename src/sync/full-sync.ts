import { and, eq } from 'drizzle-orm';
import type {
  ConnectionHandle,
  LedgerConnector,
  LedgerCredit,
  LedgerCreditRef,
  LedgerPage,
} from '../../connectors/ledger.js';
import { invoices, ledgerConnections, type SyncProgress } from '../db/schema/index.js';
import type { LedgerContext } from '../ledger/context.js';
import type { ConnectionRow } from '../ledger/open-connection.js';
import { upsertCustomers, upsertInvoices, upsertPayments } from './mirror.js';
import type { MirrorScope } from './mirror-batch.js';
import { upsertCredits, zeroCreditsNotListed } from './mirror-credits.js';
import { applyDeletions } from './mirror-deletions.js';
import { recordProgress } from './progress.js';

/** How far back payments are mirrored: enough history for lifetime value and payment habits. */
const paymentHistoryDays = 730;
/** Where the change cursor starts, before the sync began: changes made during it are read again. */
const cursorOverlapMs = 5 * 60_000;
/** A bound on pages per list; hitting it is logged, never silent. */
const maxPages = 10_000;

/** Reads every page; false when it stopped at the bound before the end of the list. */
async function eachPage<Page extends LedgerPage<unknown>>(
  ctx: LedgerContext,
  what: string,
  fetch: (page: string | null) => Promise<Page>,
  use: (page: Page) => Promise<void>,
): Promise<boolean> {
  let page: string | null = null;
  for (let count = 0; count < maxPages; count++) {
    const result: Page = await fetch(page);
    await use(result);
    page = result.next;
    if (page === null) return true;
  }
  ctx.logger.error({ what, maxPages }, 'stopped paging at the bound; the list is longer than expected');
  return false;
}

/** Imports everything that is owed, every customer and recent payments, then starts the change cursor. */
export async function runFullSync(
  ctx: LedgerContext,
  opened: { row: ConnectionRow; connector: LedgerConnector; handle: ConnectionHandle },
): Promise<SyncProgress> {
  const { row, connector, handle } = opened;
  const now = ctx.now ?? (() => new Date());
  const scope: MirrorScope = { orgId: row.orgId, connectionId: row.id };
  const startedAt = now();
  const progress: SyncProgress = {
    phase: 'customers',
    kind: 'full',
    startedAt: startedAt.toISOString(),
    customers: 0,
    invoices: 0,
    payments: 0,
  };
  const save = () => recordProgress(ctx.db, row.id, progress);
  await save();

  await eachPage(
    ctx,
    'customers',
    (page) => connector.listCustomers(handle, page),
    async ({ items }) => {
      await upsertCustomers(ctx.db, scope, items);
      progress.customers += items.length;
      await save();
    },
  );

  progress.phase = 'invoices';
  const stillOpen = new Set<string>();
  await eachPage(
    ctx,
    'open invoices',
    (page) => connector.listOpenInvoices(handle, page),
    async ({ items }) => {
      await upsertInvoices(ctx.db, scope, items);
      for (const invoice of items) stillOpen.add(invoice.externalId);
      progress.invoices += items.length;
      await save();
    },
  );
  await closeInvoicesNoLongerOpen(ctx, opened, scope, stillOpen);

  progress.phase = 'payments';
  const since = new Date(startedAt.getTime() - paymentHistoryDays * 86_400_000).toISOString().slice(0, 10);
  // Credits the debtors hold are read in the payments phase (money received and not yet used); some
  // come with the payments themselves.
  const listed: LedgerCreditRef[] = [];
  const mirrorCredits = async (items: LedgerCredit[]) => {
    await upsertCredits(ctx.db, scope, items);
    for (const credit of items) listed.push({ kind: credit.kind, externalId: credit.externalId });
  };
  const paymentsRead = await eachPage(
    ctx,
    'payments',
    (page) => connector.listPayments(handle, since, page),
    async (page) => {
      progress.payments += await upsertPayments(ctx.db, scope, page.items);
      if (page.credits) await mirrorCredits(page.credits);
      await save();
    },
  );
  const creditsRead = await eachPage(
    ctx,
    'credits',
    (page) => connector.listCredits(handle, page),
    async (page) => {
      await mirrorCredits(page.items);
      await save();
    },
  );
  // Only a complete read shows which credits are gone; a cut-short one leaves the others as they were.
  if (paymentsRead && creditsRead) await zeroCreditsNotListed(ctx.db, scope, listed);

  progress.phase = 'done';
  progress.finishedAt = now().toISOString();
  await ctx.db
    .update(ledgerConnections)
    .set({
      syncCursor: { changes: connector.cursorAt(new Date(startedAt.getTime() - cursorOverlapMs)) },
      fullSyncedAt: now(),
      lastSyncedAt: now(),
      lastError: null,
      syncProgress: progress,
    })
    .where(eq(ledgerConnections.id, row.id));
  return progress;
}

/**
 * Invoices the mirror has as open that the ledger no longer lists as open were paid, voided or
 * deleted while we were not looking: re-read them to know which.
 */
async function closeInvoicesNoLongerOpen(
  ctx: LedgerContext,
  opened: { connector: LedgerConnector; handle: ConnectionHandle },
  scope: MirrorScope,
  stillOpen: Set<string>,
): Promise<void> {
  const mirrorOpen = await ctx.db
    .select({ externalId: invoices.externalId })
    .from(invoices)
    .where(and(eq(invoices.connectionId, scope.connectionId), eq(invoices.status, 'open')));
  const gone = mirrorOpen
    .map((invoice) => invoice.externalId)
    .filter((externalId) => !stillOpen.has(externalId));
  if (gone.length === 0) return;
  const current = await opened.connector.fetchInvoices(opened.handle, gone);
  await upsertInvoices(ctx.db, scope, current);
  const found = new Set(current.map((invoice) => invoice.externalId));
  await applyDeletions(ctx.db, scope, {
    invoices: gone.filter((externalId) => !found.has(externalId)),
    customers: [],
    payments: [],
  });
}
