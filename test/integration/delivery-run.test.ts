import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { queueReminders } from '../../bench/support/queue-reminders.js';
import type { LedgerConnector } from '../../connectors/ledger.js';
import { invoicesPerFetch } from '../../connectors/quickbooks/reads.js';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import {
  activityLog,
  collectionSteps,
  customers,
  invoices,
  ledgerWrites,
  outboundMessages,
} from '../../src/db/schema/index.js';
import type { LedgerContext } from '../../src/ledger/context.js';
import { deliverMessage } from '../../src/messaging/delivery/deliver-message.js';
import { deliverDue } from '../../src/messaging/delivery/delivery-run.js';
import type { DeliveryDeps } from '../../src/messaging/delivery/deps.js';
import { createLocalTransport, type LocalTransport } from '../../src/messaging/transport/local.js';
import { portalClient } from '../helpers/portal.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';

const dayFromToday = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
/** Debtors of the batching test: two invoices each, 1,200 in all. */
const bulkDebtors = 600;

const seed: CompanySeed = {
  name: 'Runs Ltd',
  homeCurrency: 'GBP',
  country: 'GB',
  customers: [
    { id: '1', displayName: 'Pays Within The Minute', email: 'ap@minute.example' },
    { id: '2', displayName: 'Pays Everything', email: 'ap@everything.example' },
    { id: '3', displayName: 'Pays Some', email: 'ap@some.example' },
    ...Array.from({ length: bulkDebtors }, (_, n) => ({
      id: String(100 + n),
      displayName: `Bulk ${n}`,
      email: `ap${n}@bulk.example`,
    })),
  ],
  invoices: [
    { id: '11', docNumber: 'M-11', customerId: '1', total: 10_000 },
    { id: '21', docNumber: 'E-21', customerId: '2', total: 20_000 },
    { id: '22', docNumber: 'E-22', customerId: '2', total: 30_000 },
    { id: '31', docNumber: 'S-31', customerId: '3', total: 40_000 },
    { id: '32', docNumber: 'S-32', customerId: '3', total: 50_000 },
    ...Array.from({ length: bulkDebtors }, (_, n) => [
      { id: String(10_000 + 2 * n), customerId: String(100 + n), total: 1_000 + n },
      { id: String(10_001 + 2 * n), customerId: String(100 + n), total: 2_000 + n },
    ]).flat(),
  ].map((invoice) => ({ ...invoice, status: 'overdue' as const, dueDate: dayFromToday(-10) })),
};

describe('delivery runs: balances re-read every time, batched per connection', () => {
  let qbo: QuickBooksHarness;
  let orgId: string;
  let transport: LocalTransport;
  /** The ids each fetchInvoices call asked for, in order. */
  let reads: number[];
  const db = () => qbo.runtime.database.db;

  /** The ledger with its QuickBooks connector counting re-reads. */
  const countingLedger = (): LedgerContext => {
    const ledger = qbo.runtime.ledger;
    const quickbooks = ledger.connectors.quickbooks as LedgerConnector;
    return {
      ...ledger,
      connectors: {
        ...ledger.connectors,
        quickbooks: {
          ...quickbooks,
          fetchInvoices: (handle, ids) => {
            reads.push(ids.length);
            return quickbooks.fetchInvoices(handle, ids);
          },
        },
      },
    };
  };
  const deps = (): DeliveryDeps => ({
    db: db(),
    ledger: countingLedger(),
    transport,
    from: { email: 'reminders@dunwell.example', name: 'Runs Ltd' },
    links: portalClient(qbo).links,
    unsubscribeUrl: ({ id }) => `https://dunwell.example/opt-out/${id}`,
    now: () => new Date(),
  });
  const customerId = async (externalId: string) =>
    (
      await db()
        .select({ id: customers.id })
        .from(customers)
        .where(and(eq(customers.orgId, orgId), eq(customers.externalId, externalId)))
    )[0]?.id ?? '';
  const invoiceRow = async (externalId: string) =>
    (
      await db()
        .select()
        .from(invoices)
        .where(and(eq(invoices.orgId, orgId), eq(invoices.externalId, externalId)))
    )[0];
  const messageOf = async (customer: string) =>
    (await db().select().from(outboundMessages).where(eq(outboundMessages.customerId, customer)))[0];
  const queue = async (externalIds: string[]) =>
    queueReminders(qbo.runtime.database.pool, orgId, {
      customerIds: await Promise.all(externalIds.map(customerId)),
    });

  beforeAll(async () => {
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed);
    ({ orgId } = await qbo.connectAndSync());
  }, 180_000);
  beforeEach(() => {
    transport = createLocalTransport({ keep: 2_000 });
    reads = [];
  });
  afterAll(() => qbo?.stop());

  it('does not remind an invoice paid in the ledger a minute after its balance was checked', async () => {
    const debtor = await customerId('1');
    expect(await queue(['1'])).toBe(1);
    // Checked with the ledger a minute ago: well inside the old 15-minute freshness window.
    await db()
      .update(invoices)
      .set({ balanceCheckedAt: sql`now() - interval '1 minute'` })
      .where(and(eq(invoices.orgId, orgId), eq(invoices.externalId, '11')));
    qbo.emulator.changes(qbo.realmId).receivePayment({ customerId: '1', amount: 10_000, invoiceIds: ['11'] });

    const result = await deliverDue(deps(), orgId);
    expect(result).toMatchObject({ messages: 1, sent: 0, cancelled: 1, ledgerReads: 1 });
    expect(transport.sent()).toEqual([]);
    expect(await messageOf(debtor)).toMatchObject({ status: 'cancelled' });
    expect(await invoiceRow('11')).toMatchObject({ status: 'paid', balanceMinor: 0 });
  });

  it('cancels a message whose every invoice is paid, and sends one whose some are paid with the rest', async () => {
    const [everything, some] = [await customerId('2'), await customerId('3')];
    expect(await queue(['2', '3'])).toBe(2);
    const changes = qbo.emulator.changes(qbo.realmId);
    changes.receivePayment({ customerId: '2', amount: 50_000, invoiceIds: ['21', '22'] });
    changes.receivePayment({ customerId: '3', amount: 40_000, invoiceIds: ['31'] });

    const result = await deliverDue(deps(), orgId);
    // Both debtors' invoices in one read.
    expect(result).toMatchObject({ messages: 2, sent: 1, cancelled: 1, ledgerReads: 1 });
    expect(reads).toEqual([4]);

    // Every invoice paid: cancelled as before, its steps released and the reason in the log.
    const cancelled = await messageOf(everything);
    expect(cancelled?.status).toBe('cancelled');
    expect(
      await db()
        .select()
        .from(collectionSteps)
        .where(eq(collectionSteps.effectKey, cancelled?.idempotencyKey ?? '')),
    ).toEqual([]);
    const log = await db()
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.customerId, everything), eq(activityLog.kind, 'reminder.cancelled')));
    expect(log).toHaveLength(1);

    // Some paid: it goes, listing and noting only what is still owed.
    const sent = await messageOf(some);
    expect(sent?.status).toBe('sent');
    expect(transport.sent().map((email) => email.to[0]?.email)).toEqual(['debtor-3@example.com']);
    expect(transport.sent()[0]?.text).toContain('S-32');
    expect(transport.sent()[0]?.text).not.toContain('S-31');
    const owed = await invoiceRow('32');
    const steps = await db()
      .select({ invoiceId: collectionSteps.invoiceId })
      .from(collectionSteps)
      .where(eq(collectionSteps.effectKey, sent?.idempotencyKey ?? ''));
    expect(steps).toEqual([{ invoiceId: owed?.id }]);
    const [note] = await db()
      .select()
      .from(ledgerWrites)
      .where(eq(ledgerWrites.idempotencyKey, `note:${sent?.idempotencyKey}`));
    expect(note?.payload['invoiceIds']).toEqual([owed?.id]);
  });

  it(`re-reads ${bulkDebtors * 2} invoices of ${bulkDebtors} messages in ceil(invoices / ${invoicesPerFetch}) ledger calls`, async () => {
    const bulk = Array.from({ length: bulkDebtors }, (_, n) => String(100 + n));
    expect(await queue(bulk)).toBe(bulkDebtors);
    // Paid in the ledger after the last sync: the run finds it out.
    qbo.emulator.changes(qbo.realmId).receivePayment({
      customerId: '100',
      amount: 3_000,
      invoiceIds: ['10000', '10001'],
    });

    const result = await deliverDue(deps(), orgId, { batchSize: 1_000 });
    const invoicesOwed = bulkDebtors * 2;
    const calls = Math.ceil(invoicesOwed / invoicesPerFetch);
    expect(reads).toEqual(
      Array.from({ length: calls }, (_, n) =>
        Math.min(invoicesPerFetch, invoicesOwed - n * invoicesPerFetch),
      ),
    );
    expect(result).toMatchObject({
      messages: bulkDebtors,
      sent: bulkDebtors - 1,
      cancelled: 1,
      ledgerReads: calls,
    });
    expect(transport.sent()).toHaveLength(bulkDebtors - 1);
    const statuses = await db()
      .select({ status: outboundMessages.status, count: sql<number>`count(*)::int` })
      .from(outboundMessages)
      .where(
        and(
          eq(outboundMessages.orgId, orgId),
          inArray(outboundMessages.customerId, await Promise.all(bulk.map(customerId))),
        ),
      )
      .groupBy(outboundMessages.status);
    expect(Object.fromEntries(statuses.map((row) => [row.status, row.count]))).toEqual({
      sent: bulkDebtors - 1,
      cancelled: 1,
    });
    // A second run finds nothing due and reads nothing.
    reads = [];
    expect(await deliverDue(deps(), orgId)).toMatchObject({ messages: 0, ledgerReads: 0 });
    expect(reads).toEqual([]);
  });

  it('sends a message once when a single delivery of it races a run', async () => {
    const debtor = await customerId('3');
    await queueReminders(qbo.runtime.database.pool, orgId, {
      customerIds: [debtor],
      keyPrefix: 'again:',
      stepKey: 'firm',
    });
    const message = await db()
      .select()
      .from(outboundMessages)
      .where(and(eq(outboundMessages.customerId, debtor), eq(outboundMessages.status, 'pending')));
    expect(message).toHaveLength(1);
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slowLedger = countingLedger();
    const quickbooks = slowLedger.connectors.quickbooks as LedgerConnector;
    const run = deliverDue(
      {
        ...deps(),
        ledger: {
          ...slowLedger,
          connectors: {
            ...slowLedger.connectors,
            quickbooks: {
              ...quickbooks,
              fetchInvoices: async (handle, ids) => {
                await held;
                return quickbooks.fetchInvoices(handle, ids);
              },
            },
          },
        },
      },
      orgId,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    // While the run re-reads balances, a retry of the message delivers it: whoever claims it first
    // sends it, and the other finds it claimed.
    expect(await deliverMessage(deps(), message[0]?.id ?? '')).toBe('sent');
    release();
    expect(await run).toMatchObject({ messages: 1, sent: 0 });
    expect(await deliverMessage(deps(), message[0]?.id ?? '')).toBe('not_due');
    expect(transport.sent()).toHaveLength(1);
  });
});
