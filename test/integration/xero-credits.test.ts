import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { OrganisationSeed } from '../../emulators/xero/index.js';
import { customers, ledgerConnections, ledgerCredits } from '../../src/db/schema/index.js';
import { waitFor } from '../helpers/wait.js';
import { startXeroHarness, type XeroHarness } from '../helpers/xero-harness.js';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const owner = { email: 'owner@kauri.example', firstName: 'Hemi', lastName: 'Walker' };
const ids = {
  kowhai: '11111111-1111-4111-8111-111111111111',
  totara: '22222222-2222-4222-8222-222222222222',
  rimu: '33333333-3333-4333-8333-333333333333',
  overdue: 'a0000000-0000-4000-8000-000000000001',
  later: 'a0000000-0000-4000-8000-000000000002',
  rimuInvoice: 'a0000000-0000-4000-8000-000000000003',
  note: 'c0000000-0000-4000-8000-000000000001',
  usedNote: 'c0000000-0000-4000-8000-000000000002',
  draftNote: 'c0000000-0000-4000-8000-000000000003',
  overpayment: 'd0000000-0000-4000-8000-000000000001',
  voidedOverpayment: 'd0000000-0000-4000-8000-000000000002',
  prepayment: 'e0000000-0000-4000-8000-000000000001',
};

const kauri: OrganisationSeed = {
  name: 'Kauri Timber',
  baseCurrency: 'NZD',
  countryCode: 'NZ',
  user: owner,
  contacts: [
    {
      id: ids.kowhai,
      name: 'Kowhai Orchards',
      emailAddress: 'accounts@kowhai.example',
      addresses: [
        { addressType: 'STREET', city: 'Sydney', country: 'Australia' },
        { addressType: 'POBOX', addressLine1: 'PO Box 12', city: 'Nelson', country: 'New Zealand' },
      ],
    },
    {
      id: ids.totara,
      name: 'Totara Tours',
      emailAddress: 'ap@totara.example',
      addresses: [{ addressType: 'STREET', country: 'GB' }],
    },
    { id: ids.rimu, name: 'Rimu Rentals', emailAddress: 'ap@rimu.example' },
  ],
  invoices: [
    { id: ids.overdue, contactId: ids.kowhai, total: 120_000, dueDate: day(-30) },
    { id: ids.later, contactId: ids.kowhai, total: 30_000, dueDate: day(10) },
    { id: ids.rimuInvoice, contactId: ids.rimu, total: 20_000, dueDate: day(-5) },
  ],
  creditNotes: [
    { id: ids.note, contactId: ids.kowhai, total: 15_000 },
    {
      id: ids.usedNote,
      contactId: ids.kowhai,
      total: 5_000,
      allocations: [{ invoiceId: ids.later, amount: 5_000 }],
    },
    { id: ids.draftNote, contactId: ids.totara, total: 7_000, status: 'DRAFT' },
  ],
  overpayments: [
    {
      id: ids.overpayment,
      contactId: ids.totara,
      total: 9_000,
      allocations: [],
    },
    { id: ids.voidedOverpayment, contactId: ids.totara, total: 4_000, status: 'VOIDED' },
  ],
  prepayments: [
    {
      id: ids.prepayment,
      contactId: ids.rimu,
      total: 25_000,
      allocations: [{ invoiceId: ids.rimuInvoice, amount: 20_000 }],
    },
  ],
};

describe('Xero credits and countries in the mirror', () => {
  let xero: XeroHarness;
  let tenantId: string;
  let connectionId: string;
  const db = () => xero.runtime.database.db;
  const credits = async () =>
    (await db().select().from(ledgerCredits).where(eq(ledgerCredits.connectionId, connectionId)))
      .map((row) => [row.kind, row.externalId, row.remainingMinor])
      .sort((a, b) => String(a).localeCompare(String(b)));
  const credit = async (kind: 'credit_note' | 'overpayment' | 'prepayment', externalId: string) =>
    (
      await db()
        .select()
        .from(ledgerCredits)
        .where(
          and(
            eq(ledgerCredits.connectionId, connectionId),
            eq(ledgerCredits.kind, kind),
            eq(ledgerCredits.externalId, externalId),
          ),
        )
    )[0];
  const syncedAfter = async (action: () => Promise<unknown>) => {
    const [before] = await db()
      .select()
      .from(ledgerConnections)
      .where(eq(ledgerConnections.id, connectionId));
    await action();
    await xero.waitForSync(
      connectionId,
      (row) => (row.lastSyncedAt?.getTime() ?? 0) > (before?.lastSyncedAt?.getTime() ?? 0),
    );
  };

  beforeAll(async () => {
    xero = await startXeroHarness(inject('adminUrl'), [kauri]);
    tenantId = xero.tenantIds[0] as string;
    connectionId = (await xero.connect(owner.email)).connectionId;
    await xero.waitForSync(
      connectionId,
      (row: typeof ledgerConnections.$inferSelect) =>
        row.syncProgress?.phase === 'done' && row.fullSyncedAt !== null,
    );
  }, 120_000);
  afterAll(() => xero?.stop());

  it('mirrors authorised credit notes, overpayments and prepayments with what remains of them', async () => {
    expect(await credits()).toEqual([
      ['credit_note', ids.note, 15_000],
      ['overpayment', ids.overpayment, 9_000],
      ['prepayment', ids.prepayment, 5_000],
    ]);
    const note = await credit('credit_note', ids.note);
    expect(note).toMatchObject({ currency: 'NZD', number: expect.stringMatching(/^CN-/) });
    const [owed] = await db()
      .select()
      .from(customers)
      .where(eq(customers.id, note?.customerId ?? ''));
    expect(owed?.externalId).toBe(ids.kowhai);
  });

  it('maps the contact country, postal address first, then street', async () => {
    const rows = await db().select().from(customers).where(eq(customers.connectionId, connectionId));
    expect(Object.fromEntries(rows.map((row) => [row.externalId, row.country]))).toEqual({
      [ids.kowhai]: 'NZ',
      [ids.totara]: 'GB',
      [ids.rimu]: null,
    });
  });

  it('picks up a new credit and credits being used up in the incremental sync', async () => {
    const changes = xero.emulator.changes(tenantId);
    const fresh = changes.createCreditNote({ contactId: ids.rimu, amount: 3_300 });
    const prepaid = changes.receivePrepayment({ contactId: ids.kowhai, amount: 2_500 });
    changes.allocateCreditNote(ids.note, { invoiceId: ids.overdue, amount: 15_000 });
    const rimuInvoice = changes.createInvoice({ contactId: ids.rimu, amount: 6_000, dueDate: day(20) });
    changes.allocateReceivedCredit(ids.prepayment, { invoiceId: rimuInvoice, amount: 5_000 });

    // Credit note and invoice changes are announced by webhook; overpayments and prepayments are not,
    // but the incremental read they trigger looks at every credit list.
    await syncedAfter(() => xero.emulator.deliverWebhooks());
    await waitFor(async () => (await credit('credit_note', fresh))?.remainingMinor === 3_300, {
      what: 'the new credit note',
    });
    expect(await credit('credit_note', ids.note)).toMatchObject({ remainingMinor: 0 });
    expect(await credit('prepayment', ids.prepayment)).toMatchObject({ remainingMinor: 0 });
    expect(await credit('prepayment', prepaid)).toMatchObject({ remainingMinor: 2_500 });
    expect(await credit('overpayment', ids.overpayment)).toMatchObject({ remainingMinor: 9_000 });
  });

  it('reads an overpayment no webhook announced in the reconcile', async () => {
    const overpaid = xero.emulator
      .changes(tenantId)
      .receiveOverpayment({ contactId: ids.rimu, amount: 1_200 });
    await xero.runtime.jobs.send('ledger.reconcile', {});
    await waitFor(async () => (await credit('overpayment', overpaid))?.remainingMinor === 1_200, {
      what: 'the reconcile',
    });
  });
});
