import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadOrganisationContext, loadSnapshots } from '../../src/collections/load-snapshots.js';
import { plan } from '../../src/collections/plan.js';
import { connectDatabase, type DatabaseHandle } from '../../src/db/client.js';
import {
  collectionSteps,
  customers,
  invoices,
  ledgerConnections,
  ledgerCredits,
  organisations,
} from '../../src/db/schema/index.js';
import { defaultPolicy } from '../../src/domain/policy.js';
import { createLogger } from '../../src/logger.js';
import { upsertCustomers, upsertInvoices, upsertPayments } from '../../src/sync/mirror.js';

describe('debtor snapshots from the mirror', () => {
  let database: DatabaseHandle;
  let orgId: string;
  const now = new Date('2026-11-24T10:00:00Z');

  beforeAll(async () => {
    database = connectDatabase(inject('databaseUrl'), { poolMax: 4, logger: createLogger('silent') });
    const { db } = database;
    const [organisation] = await db
      .insert(organisations)
      .values({ name: 'Snapshot Ltd', currency: 'GBP', timeZone: 'Europe/London' })
      .returning();
    orgId = organisation?.id ?? '';
    const [connection] = await db
      .insert(ledgerConnections)
      .values({ orgId, vendor: 'quickbooks', tenantId: `realm-${Date.now()}` })
      .returning();
    const scope = { orgId, connectionId: connection?.id ?? '' };
    await upsertCustomers(db, scope, [
      {
        externalId: 'c1',
        name: 'Owes Money',
        active: true,
        currency: 'GBP',
        updatedAt: null,
        contacts: [{ name: 'Ann', email: 'ann@owes.example', role: 'billing' }],
      },
      { externalId: 'c2', name: 'All Paid', active: true, currency: 'GBP', updatedAt: null, contacts: [] },
    ]);
    const invoice = (
      externalId: string,
      customer: string,
      dueDate: string,
      balance: number,
      status: 'open' | 'paid',
    ) => ({
      externalId,
      customerExternalId: customer,
      number: externalId.toUpperCase(),
      currency: 'GBP',
      totalMinor: 10_000,
      balanceMinor: balance,
      issueDate: null,
      dueDate,
      status,
      version: '0',
      paymentUrl: null,
      billEmail: null,
      updatedAt: null,
    });
    await upsertInvoices(db, scope, [
      invoice('i1', 'c1', '2026-11-10', 10_000, 'open'),
      invoice('i2', 'c1', '2026-11-23', 4_000, 'open'),
      invoice('old', 'c1', '2026-06-01', 0, 'paid'),
      invoice('i3', 'c2', '2026-11-01', 0, 'paid'),
    ]);
    await upsertPayments(db, scope, [
      {
        externalId: 'p1',
        customerExternalId: 'c1',
        amount: { amountMinor: 6_000, currency: 'GBP' },
        paidOn: '2026-06-05',
        allocations: [{ invoiceExternalId: 'old', amountMinor: 6_000 }],
      },
      {
        externalId: 'p2',
        customerExternalId: 'c1',
        amount: { amountMinor: 4_000, currency: 'GBP' },
        paidOn: '2026-06-20',
        allocations: [{ invoiceExternalId: 'old', amountMinor: 4_000 }],
      },
    ]);
    const [owed] = await db.select().from(invoices).where(eq(invoices.externalId, 'i1'));
    const [debtor] = await db.select().from(customers).where(eq(customers.externalId, 'c1'));
    await db.insert(collectionSteps).values({
      orgId,
      customerId: debtor?.id ?? '',
      invoiceId: owed?.id ?? '',
      stepKey: 'reminder',
      kind: 'email',
      effectKey: 'k1',
      takenAt: new Date('2026-11-11T10:00:00Z'),
    });
  });
  afterAll(() => database.pool.end());

  it('loads only debtors who owe something, with their open invoices, contacts, steps and paid history', async () => {
    const org = await loadOrganisationContext(database.db, orgId);
    if (!org) throw new Error('no organisation');
    const snapshots = await loadSnapshots(database.db, org, { afterCustomerId: null, limit: 100, now });
    expect(snapshots.map((snapshot) => snapshot.customerName)).toEqual(['Owes Money']);
    const [snapshot] = snapshots;
    expect(snapshot?.invoices.map((invoice) => invoice.number).sort()).toEqual(['I1', 'I2']);
    expect(snapshot?.contacts).toEqual([
      { email: 'ann@owes.example', name: 'Ann', role: 'billing', bounced: false },
    ]);
    expect(snapshot?.history.contacts).toEqual([
      {
        at: '2026-11-11T10:00:00.000Z',
        kind: 'email',
        steps: [{ invoiceId: expect.any(String), stepKey: 'reminder' }],
      },
    ]);
    expect(snapshot?.history.paidInvoices).toEqual([
      { dueDate: '2026-06-01', paidOn: '2026-06-20', partPayments: 2 },
    ]);
    expect(snapshot?.history.lifetimePaidMinor).toBe(10_000);

    // The planner takes it from there: i1 is 14 days overdue after a reminder 13 days ago, so the
    // journey's next rung, the firm reminder, is due (one rung at a time, however late).
    const result = plan(snapshot as NonNullable<typeof snapshot>, defaultPolicy, now);
    expect(result.actions[0]).toMatchObject({ kind: 'email', stepKey: 'firm', rung: 1 });
  });

  it('carries what the journey needs: bill-to addresses, closed and held invoices, credits, countries', async () => {
    const { db } = database;
    const [organisation] = await db
      .insert(organisations)
      .values({ name: 'Journey Ltd', currency: 'GBP', timeZone: 'Europe/London' })
      .returning();
    const journeyOrg = organisation?.id ?? '';
    const [connection] = await db
      .insert(ledgerConnections)
      .values({ orgId: journeyOrg, vendor: 'quickbooks', tenantId: `realm-j-${Date.now()}` })
      .returning();
    const scope = { orgId: journeyOrg, connectionId: connection?.id ?? '' };
    await upsertCustomers(db, scope, [
      {
        externalId: 'c3',
        name: 'Journeying',
        active: true,
        currency: 'GBP',
        updatedAt: null,
        country: 'AU',
        contacts: [],
      },
    ]);
    const base = {
      customerExternalId: 'c3',
      currency: 'GBP',
      totalMinor: 10_000,
      issueDate: null,
      version: '0',
      paymentUrl: null,
      updatedAt: null,
    };
    await upsertInvoices(db, scope, [
      {
        ...base,
        externalId: 'j1',
        number: 'J1',
        balanceMinor: 10_000,
        dueDate: '2026-11-01',
        status: 'open',
        billEmail: 'Pay@Journey.example',
      },
      {
        ...base,
        externalId: 'j2',
        number: 'J2',
        balanceMinor: 0,
        dueDate: '2026-10-01',
        status: 'paid',
        billEmail: null,
        updatedAt: '2026-11-05T09:00:00Z',
      },
      {
        ...base,
        externalId: 'j3',
        number: 'J3',
        balanceMinor: 5_000,
        dueDate: '2026-09-01',
        status: 'open',
        billEmail: null,
      },
    ]);
    const heldAt = new Date('2026-11-02T12:00:00Z');
    await db
      .update(invoices)
      .set({ collectionHold: 'agency_referral', heldAt })
      .where(eq(invoices.externalId, 'j3'));
    const [debtor] = await db.select().from(customers).where(eq(customers.orgId, journeyOrg));
    await db.insert(ledgerCredits).values([
      {
        orgId: journeyOrg,
        connectionId: scope.connectionId,
        customerId: debtor?.id ?? '',
        externalId: 'cn1',
        kind: 'credit_note',
        currency: 'GBP',
        remainingMinor: 1_500,
      },
      {
        orgId: journeyOrg,
        connectionId: scope.connectionId,
        customerId: debtor?.id ?? '',
        externalId: 'op1',
        kind: 'overpayment',
        currency: 'GBP',
        remainingMinor: 500,
      },
      {
        orgId: journeyOrg,
        connectionId: scope.connectionId,
        customerId: debtor?.id ?? '',
        externalId: 'cn2',
        kind: 'credit_note',
        currency: 'GBP',
        remainingMinor: 0,
      },
    ]);
    const org = await loadOrganisationContext(db, journeyOrg);
    if (!org) throw new Error('no organisation');
    const [snapshot] = await loadSnapshots(db, org, { customerIds: [debtor?.id ?? ''], now });
    expect(snapshot?.invoices.map((invoice) => [invoice.number, invoice.billEmail])).toEqual([
      ['J1', 'pay@journey.example'],
    ]);
    expect(snapshot?.debtorCountry).toBe('AU');
    expect(snapshot?.credits).toEqual([{ currency: 'GBP', amountMinor: 2_000 }]);
    // The paid one closed when the ledger last changed it; the referred one when the referral was approved.
    expect(
      [...(snapshot?.history.closedInvoices ?? [])].sort((a, b) => a.dueDate.localeCompare(b.dueDate)),
    ).toEqual([
      { dueDate: '2026-09-01', closedAt: heldAt.toISOString() },
      { dueDate: '2026-10-01', closedAt: '2026-11-05T09:00:00.000Z' },
    ]);
  });

  it('pages through debtors in order', async () => {
    const org = await loadOrganisationContext(database.db, orgId);
    if (!org) throw new Error('no organisation');
    const first = await loadSnapshots(database.db, org, { afterCustomerId: null, limit: 1, now });
    const rest = await loadSnapshots(database.db, org, {
      afterCustomerId: first[0]?.customerId ?? null,
      limit: 10,
      now,
    });
    expect(first).toHaveLength(1);
    expect(rest).toEqual([]);
  });
});
