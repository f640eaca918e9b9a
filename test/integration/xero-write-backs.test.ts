import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { OrganisationSeed } from '../../emulators/xero/index.js';
import { requestPaymentPlan } from '../../src/arrangements/payment-plans.js';
import { makePromise } from '../../src/arrangements/promises.js';
import { decideFlag } from '../../src/collections/decide-flag.js';
import {
  collectionFlags,
  customers,
  invoices,
  ledgerConnections,
  ledgerWrites,
} from '../../src/db/schema/index.js';
import { addDays } from '../../src/domain/local-time.js';
import { defaultArrangementLimits } from '../../src/domain/policy.js';
import { openLedgerConnection } from '../../src/ledger/open-connection.js';
import { organisationSettingsSchema, saveOrganisationSettings } from '../../src/organisations/settings.js';
import { today } from '../helpers/calendar.js';
import { seedFinalNotice } from '../helpers/journey.js';
import { deliverPendingLedgerWrites } from '../helpers/ledger-writes.js';
import { waitFor } from '../helpers/wait.js';
import { startXeroHarness, type XeroHarness } from '../helpers/xero-harness.js';

/** Xero's JSON dates: `/Date(1795824000000+0000)/`. */
const xeroDate = (value: unknown) =>
  new Date(Number(/\/Date\((\d+)/.exec(String(value))?.[1])).toISOString().slice(0, 10);
const owner = { email: 'owner@kauri.example', firstName: 'Hine', lastName: 'Parata' };
const unpaid = 'b0000000-0000-4000-8000-000000000001';
const partPaid = 'b0000000-0000-4000-8000-000000000002';
const badDebt = 'b0000000-0000-4000-8000-000000000003';
const firstOfTwo = 'b0000000-0000-4000-8000-000000000004';
const secondOfTwo = 'b0000000-0000-4000-8000-000000000005';
const twoInvoices = '44444444-4444-4444-8444-444444444444';
const retried = 'b0000000-0000-4000-8000-000000000006';
const retriedContact = '55555555-5555-4555-8555-555555555555';

const kauri: OrganisationSeed = {
  name: 'Kauri Timber',
  baseCurrency: 'NZD',
  countryCode: 'NZ',
  user: owner,
  contacts: [
    { id: '11111111-1111-4111-8111-111111111111', name: 'Plan Co', emailAddress: 'ap@plan.example' },
    { id: '22222222-2222-4222-8222-222222222222', name: 'Part Paid Co', emailAddress: 'ap@part.example' },
    { id: '33333333-3333-4333-8333-333333333333', name: 'Bad Debt Co', emailAddress: 'ap@bad.example' },
    { id: twoInvoices, name: 'Two Invoices Co', emailAddress: 'ap@two.example' },
    { id: retriedContact, name: 'Retried Co', emailAddress: 'ap@retried.example' },
  ],
  invoices: [
    { id: firstOfTwo, contactId: twoInvoices, total: 10_000, dueDate: addDays(today, -12) },
    { id: retried, contactId: retriedContact, total: 50_000, dueDate: addDays(today, -30) },
    { id: secondOfTwo, contactId: twoInvoices, total: 20_000, dueDate: addDays(today, -6) },
    {
      id: unpaid,
      contactId: '11111111-1111-4111-8111-111111111111',
      total: 60_000,
      dueDate: addDays(today, -20),
    },
    {
      id: partPaid,
      contactId: '22222222-2222-4222-8222-222222222222',
      total: 90_000,
      dueDate: addDays(today, -25),
    },
    {
      id: badDebt,
      contactId: '33333333-3333-4333-8333-333333333333',
      total: 33_300,
      dueDate: addDays(today, -140),
    },
  ],
  payments: [{ invoiceId: partPaid, amount: 30_000, date: addDays(today, -10) }],
};

describe('write-backs to Xero: due dates, the fallback note, credit notes', () => {
  let xero: XeroHarness;
  let orgId: string;
  const db = () => xero.runtime.database.db;
  const org = () => xero.emulator.organisation(xero.tenantIds[0] ?? '');
  const customerId = async (name: string) =>
    (await db().select({ id: customers.id }).from(customers).where(eq(customers.name, name)))[0]?.id ?? '';
  const deliverPending = () => deliverPendingLedgerWrites(xero.runtime.ledger);
  const planFor = async (name: string) =>
    requestPaymentPlan(db(), {
      orgId,
      customerId: await customerId(name),
      invoiceIds: [],
      source: 'portal',
      actor: 'debtor',
      now: new Date(),
      today,
      limits: defaultArrangementLimits,
      installmentCount: 3,
      firstDate: addDays(today, 5),
    });

  beforeAll(async () => {
    xero = await startXeroHarness(inject('adminUrl'), [kauri]);
    const { connectionId } = await xero.connect(owner.email);
    await waitFor(async () => {
      const [row] = await db().select().from(ledgerConnections).where(eq(ledgerConnections.id, connectionId));
      return row?.syncProgress?.phase === 'done' ? row : null;
    });
    orgId =
      (await db().select().from(ledgerConnections).where(eq(ledgerConnections.id, connectionId)))[0]?.orgId ??
      '';
    await saveOrganisationSettings(
      db(),
      orgId,
      organisationSettingsSchema.parse({ writeOffTarget: { ref: '480', description: 'Bad debts' } }),
    );
  }, 120_000);
  afterAll(() => xero?.stop());

  it('moves an unallocated invoice’s due date to the first installment, once', async () => {
    await planFor('Plan Co');
    await deliverPending();
    await db().update(ledgerWrites).set({ status: 'pending' });
    await deliverPending();
    expect(xeroDate(org().invoice(unpaid)?.['DueDate'])).toBe(addDays(today, 5));
    const planNotes = org()
      .history(unpaid)
      .filter((entry) => String(entry['Details']).includes('3 payments'));
    expect(planNotes.length).toBeGreaterThanOrEqual(1);
    expect(new Set(planNotes.map((entry) => entry['Details'])).size).toBe(planNotes.length);
  });

  it('leaves the due date of a part-paid invoice alone (Xero refuses) and says so in a note instead', async () => {
    const dueBefore = org().invoice(partPaid)?.['DueDate'];
    await planFor('Part Paid Co');
    await deliverPending();
    expect(org().invoice(partPaid)?.['DueDate']).toBe(dueBefore);
    expect(
      (await db().select().from(ledgerWrites).where(eq(ledgerWrites.kind, 'due_date'))).some(
        (row) => row.status === 'done' && row.result?.['applied'] === false,
      ),
    ).toBe(true);
    const fallback = org()
      .history(partPaid)
      .filter((entry) => String(entry['Details']).includes('the due date was left as it is'));
    expect(fallback).toHaveLength(1);
  });

  it('writes off with a credit note allocated to the invoice, exactly once', async () => {
    const [invoice] = await db().select().from(invoices).where(eq(invoices.externalId, badDebt));
    // A flag stands only once the final notice has had its grace: approval checks it again.
    await seedFinalNotice(db(), orgId, 'Bad Debt Co', new Date());
    const [flag] = await db()
      .insert(collectionFlags)
      .values({
        orgId,
        customerId: await customerId('Bad Debt Co'),
        idempotencyKey: 'xero-write-off',
        kinds: ['write_off'],
        invoiceIds: [invoice?.id ?? ''],
        daysOverdue: 140,
        recommendation: { recommended: 'write_off' },
      })
      .returning();
    await decideFlag(db(), {
      orgIds: [orgId],
      flagId: flag?.id ?? '',
      decision: 'approved',
      choice: 'write_off',
      actor: 'user:owner',
    });
    await deliverPending();
    await db().update(ledgerWrites).set({ status: 'pending' }).where(eq(ledgerWrites.kind, 'credit'));
    await deliverPending();
    const credits = org().creditNotes.filter(
      (note) =>
        (note['Contact'] as { ContactID: string }).ContactID === '33333333-3333-4333-8333-333333333333',
    );
    expect(credits).toHaveLength(1);
    expect(credits[0]?.['Type']).toBe('ACCRECCREDIT');
    expect(org().invoice(badDebt)?.['AmountDue']).toBe(0);
  });

  it('credits once when a credit is retried after Xero has forgotten its idempotency key', async () => {
    const [connection] = await db().select().from(ledgerConnections);
    const opened = await openLedgerConnection(xero.runtime.ledger, connection?.id ?? '');
    if (!opened) throw new Error('no connection');
    // A settlement's forgiven part: less than the balance, so the balance alone cannot tell a retry.
    const credit = () =>
      opened.connector.applyCredit(opened.handle, {
        invoiceId: retried,
        amount: { amountMinor: 10_000, currency: 'NZD' },
        target: { ref: '400', description: 'Settlement discount' },
        memo: 'Dunwell: settlement agreed on 1 December',
        idempotencyKey: 'settlement-retried-once',
      });
    const first = await credit();
    xero.advance(7 * 60_000);
    const again = await credit();
    expect(again).toEqual(first);
    expect(first).toHaveProperty('creditId');
    const notes = org().creditNotes.filter(
      (note) => (note['Contact'] as { ContactID: string }).ContactID === retriedContact,
    );
    expect(notes).toHaveLength(1);
    expect(notes[0]?.['Reference']).toMatch(
      /^Dunwell: settlement agreed on 1 December \[dunwell-[0-9a-f]{12}\]$/,
    );
    expect(org().invoice(retried)?.['AmountDue']).toBe(400);
    expect(org().invoice(retried)?.['AmountCredited']).toBe(100);
  });

  it('writes one note about two invoices to each invoice’s History, once each', async () => {
    await makePromise(db(), {
      orgId,
      customerId: await customerId('Two Invoices Co'),
      invoiceIds: [],
      source: 'portal',
      actor: 'debtor',
      now: new Date(),
      today,
      limits: defaultArrangementLimits,
      promisedDate: addDays(today, 7),
    });
    await deliverPending();
    await db().update(ledgerWrites).set({ status: 'pending' });
    await deliverPending();
    for (const invoiceId of [firstOfTwo, secondOfTwo]) {
      const promised = org()
        .history(invoiceId)
        .filter((entry) => String(entry['Details']).includes('promised to pay'));
      expect(promised).toHaveLength(1);
    }
  });
});
