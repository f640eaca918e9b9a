import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import {
  collectionFlags,
  customers,
  invoices,
  ledgerConnections,
  ledgerWrites,
  outboundMessages,
  payments,
  settlements,
} from '../../src/db/schema/index.js';
import { addDays } from '../../src/domain/local-time.js';
import { deliverLedgerWrite } from '../../src/ledger-writes/deliver-ledger-write.js';
import { syncConnection } from '../../src/sync/sync-connection.js';
import { today, weekdayAt } from '../helpers/calendar.js';
import { seedFinalNotice } from '../helpers/journey.js';
import { deliverPendingLedgerWrites } from '../helpers/ledger-writes.js';
import { evaluateAndSend, portalClient } from '../helpers/portal.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';

const seed: CompanySeed = {
  name: 'Outcomes Ltd',
  homeCurrency: 'GBP',
  country: 'GB',
  customers: [
    { id: '1', displayName: 'Written Off Ltd', email: 'ap@gone.example' },
    { id: '2', displayName: 'Settling Sam', email: 'sam@settle.example' },
    { id: '3', displayName: 'Agency Bound', email: 'ap@agency.example' },
  ],
  invoices: [
    {
      id: '601',
      docNumber: 'WO-601',
      customerId: '1',
      total: 80_000,
      status: 'overdue',
      dueDate: addDays(today, -130),
    },
    {
      id: '701',
      docNumber: 'SET-701',
      customerId: '2',
      total: 100_000,
      status: 'overdue',
      dueDate: addDays(today, -125),
    },
    {
      id: '801',
      docNumber: 'AG-801',
      customerId: '3',
      total: 64_000,
      status: 'overdue',
      dueDate: addDays(today, -70),
    },
  ],
};

describe('what an approved flag does, in Dunwell and in the ledger', () => {
  let qbo: QuickBooksHarness;
  let orgId: string;
  let connectionId: string;
  let cookie: string;
  let csrf: string;
  let portal: ReturnType<typeof portalClient>;
  const db = () => qbo.runtime.database.db;
  const customerId = async (name: string) =>
    (await db().select({ id: customers.id }).from(customers).where(eq(customers.name, name)))[0]?.id ?? '';
  const invoiceOf = async (externalId: string) =>
    (await db().select().from(invoices).where(eq(invoices.externalId, externalId)))[0];
  const raiseFlag = async (name: string, externalId: string, kinds: string[]) => {
    const invoice = await invoiceOf(externalId);
    // As the planner raises it: after the final notice and its grace (approval checks it again).
    await seedFinalNotice(db(), orgId, name, new Date());
    const [flag] = await db()
      .insert(collectionFlags)
      .values({
        orgId,
        customerId: await customerId(name),
        idempotencyKey: `test-flag-${externalId}`,
        kinds,
        invoiceIds: [invoice?.id ?? ''],
        daysOverdue: 120,
        recommendation: { recommended: kinds[0] },
      })
      .returning();
    return flag?.id ?? '';
  };
  const decide = (flagId: string, choice: string) =>
    fetch(`${qbo.runtime.url}/api/flags/${flagId}/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
      body: JSON.stringify({ decision: 'approved', choice }),
    });
  const deliverPending = () => deliverPendingLedgerWrites(qbo.runtime.ledger);
  const memosFor = (customerRef: string) =>
    qbo.emulator
      .company(qbo.realmId)
      .creditMemos.filter((memo) => (memo['CustomerRef'] as { value: string }).value === customerRef);
  const evaluate = (now: Date) => evaluateAndSend(qbo, orgId, now);

  beforeAll(async () => {
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed);
    ({ orgId, connectionId, cookie, csrf } = await qbo.connectAndSync());
    portal = portalClient(qbo);
  }, 120_000);
  afterAll(() => qbo?.stop());

  it('refuses a write-off until a bad-debt item is chosen, then credits the balance exactly once, through a fault', async () => {
    const flagId = await raiseFlag('Written Off Ltd', '601', ['settlement_offer', 'write_off']);
    const refused = await decide(flagId, 'write_off');
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
      /Choose the bad-debt account or item/,
    );
    expect((await db().select().from(collectionFlags).where(eq(collectionFlags.id, flagId)))[0]?.status).toBe(
      'pending',
    );

    // The settings API: a bad value is refused with every problem and saves nothing.
    const put = (body: unknown) =>
      fetch(`${qbo.runtime.url}/api/organisations/${orgId}/settings`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
        body: JSON.stringify(body),
      });
    const invalid = await put({
      brandColour: 'red',
      logoUrl: 'http://insecure.example/logo.png',
      writeOffTarget: { ref: '' },
    });
    expect(invalid.status).toBe(400);
    const problems = ((await invalid.json()) as { error: { details: { problems: Array<{ path: string }> } } })
      .error.details.problems;
    expect(problems.map((problem) => problem.path).sort()).toEqual([
      'brandColour',
      'logoUrl',
      'writeOffTarget.description',
      'writeOffTarget.ref',
    ]);
    const saved = await put({
      writeOffTarget: { ref: '1', description: 'Bad debts' },
      settlementTarget: { ref: '1', description: 'Settlement discounts' },
      contactEmail: 'accounts@outcomes.example',
    });
    expect(saved.status).toBe(200);
    const read = await fetch(`${qbo.runtime.url}/api/organisations/${orgId}/settings`, {
      headers: { cookie },
    });
    expect(((await read.json()) as { settings: { brandColour: string } }).settings.brandColour).toBe(
      '#1a5fb4',
    );
    expect((await fetch(`${qbo.runtime.url}/api/organisations/${orgId}/settings`)).status).toBe(404);
    expect((await decide(flagId, 'write_off')).status).toBe(200);
    expect((await invoiceOf('601'))?.collectionHold).toBe('write_off');
    const [credit] = await db()
      .select()
      .from(ledgerWrites)
      .where(
        and(eq(ledgerWrites.kind, 'credit'), eq(ledgerWrites.invoiceId, (await invoiceOf('601'))?.id ?? '')),
      );
    expect(credit?.payload).toMatchObject({
      amountMinor: 80_000,
      currency: 'GBP',
      target: { description: 'Bad debts' },
    });

    // The ledger fails every call: the write stays pending for the job to retry.
    qbo.emulator.configure({ faults: { errorRate: 1 } });
    await expect(deliverLedgerWrite(qbo.runtime.ledger, credit?.id ?? '')).rejects.toThrow();
    expect(
      (
        await db()
          .select()
          .from(ledgerWrites)
          .where(eq(ledgerWrites.id, credit?.id ?? ''))
      )[0]?.status,
    ).toBe('pending');
    qbo.emulator.configure({ faults: { errorRate: 0 } });
    expect(await deliverLedgerWrite(qbo.runtime.ledger, credit?.id ?? '')).toBe('done');
    // Delivered again (as if the answer had been lost): no second credit.
    await db()
      .update(ledgerWrites)
      .set({ status: 'pending' })
      .where(eq(ledgerWrites.id, credit?.id ?? ''));
    expect(await deliverLedgerWrite(qbo.runtime.ledger, credit?.id ?? '')).toBe('done');
    expect(memosFor('1')).toHaveLength(1);
    expect(qbo.emulator.company(qbo.realmId).invoice('601')?.['Balance']).toBe(0);

    // Out of the schedule: no reminder, task or flag for it any more.
    await evaluate(weekdayAt(1));
    const goneCustomer = await customerId('Written Off Ltd');
    expect(
      await db().select().from(outboundMessages).where(eq(outboundMessages.customerId, goneCustomer)),
    ).toEqual([]);
  });

  it('offers a settlement, lets the debtor accept it, and credits the forgiven part once the rest is paid', async () => {
    const flagId = await raiseFlag('Settling Sam', '701', ['settlement_offer', 'write_off']);
    expect((await decide(flagId, 'settlement_offer')).status).toBe(200);
    const sam = await customerId('Settling Sam');
    const [offer] = await db().select().from(settlements).where(eq(settlements.customerId, sam));
    expect(offer).toMatchObject({ startBalanceMinor: 100_000, offerMinor: 75_000, status: 'offered' });

    // The offer waits for the contact cap like any message (Sam was reminded on day 1).
    await evaluate(weekdayAt(8));
    const [email] = await db()
      .select()
      .from(outboundMessages)
      .where(and(eq(outboundMessages.customerId, sam), eq(outboundMessages.template, 'settlement')));
    expect(email?.subject).toMatch(/An offer to settle your balance/);
    expect(email?.bodyText).toContain('£750.00');
    const link = /https?:\/\/\S+\/portal\/[\w.-]+/.exec(email?.bodyText ?? '')?.[0] ?? '';
    const token = link.split('/portal/')[1] ?? '';
    const page = await (await portal.page(token)).text();
    expect(page).toContain('An offer to settle');
    const accepted = await portal.post(token, `settlements/${offer?.id}/accept`, []);
    expect(accepted.status).toBe(303);
    expect(
      (
        await db()
          .select()
          .from(settlements)
          .where(eq(settlements.id, offer?.id ?? ''))
      )[0]?.status,
    ).toBe('accepted');

    // Sam pays the £750 in QuickBooks; the next sync and evaluation settle it.
    qbo.emulator
      .changes(qbo.realmId)
      .receivePayment({ customerId: '2', amount: 75_000, invoiceIds: ['701'] });
    await syncConnection(qbo.runtime.ledger, connectionId, 'incremental');
    expect((await invoiceOf('701'))?.balanceMinor).toBe(25_000);
    await evaluate(weekdayAt(9));
    expect(
      (
        await db()
          .select()
          .from(settlements)
          .where(eq(settlements.id, offer?.id ?? ''))
      )[0]?.status,
    ).toBe('paid');
    await deliverPending();
    await db().update(ledgerWrites).set({ status: 'pending' }).where(eq(ledgerWrites.kind, 'credit'));
    await deliverPending();
    const memos = memosFor('2');
    expect(memos).toHaveLength(1);
    expect(memos[0]?.['TotalAmt']).toBe(250);
    expect(qbo.emulator.company(qbo.realmId).invoice('701')?.['Balance']).toBe(0);
    // The credit is applied by a zero-amount payment in QuickBooks: the mirror keeps Sam's £750 as
    // the only cash, so a settlement never reads as the debtor paying.
    await syncConnection(qbo.runtime.ledger, connectionId, 'incremental');
    expect((await invoiceOf('701'))?.status).toBe('paid');
    const paid = await db().select().from(payments).where(eq(payments.customerId, sam));
    expect(paid.map((payment) => payment.amountMinor)).toEqual([75_000]);
  });

  it('refers to an agency: chasing stops, the invoice is marked, and the evidence pack holds the record', async () => {
    const agency = await customerId('Agency Bound');
    await evaluate(weekdayAt(1)); // the reminders so far, for the record
    const flagId = await raiseFlag('Agency Bound', '801', ['agency_referral']);
    expect((await decide(flagId, 'agency_referral')).status).toBe(200);
    expect((await invoiceOf('801'))?.collectionHold).toBe('agency_referral');
    const before = (await db().select().from(outboundMessages).where(eq(outboundMessages.customerId, agency)))
      .length;
    const flagsBefore = (
      await db().select().from(collectionFlags).where(eq(collectionFlags.customerId, agency))
    ).length;
    // By day 50 the invoice is 120 days overdue: were it still chased, the settle-or-write-off flag
    // would be raised now (flags are not held back by the contact cap).
    await evaluate(weekdayAt(50));
    expect(
      await db().select().from(outboundMessages).where(eq(outboundMessages.customerId, agency)),
    ).toHaveLength(before);
    expect(
      await db().select().from(collectionFlags).where(eq(collectionFlags.customerId, agency)),
    ).toHaveLength(flagsBefore);
    await deliverPending();

    const csv = await fetch(
      `${qbo.runtime.url}/api/organisations/${orgId}/customers/${agency}/evidence.csv`,
      {
        headers: { cookie },
      },
    );
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    expect(text.split('\n')[0]).toBe('section,date,type,channel,by,invoices,detail');
    expect(text).toContain('AG-801');
    expect(text).toContain('invoice.referred');
    expect(text).toContain('message.sent');
    expect(text).toContain('ledger.note.done');
    const printable = await fetch(
      `${qbo.runtime.url}/api/organisations/${orgId}/customers/${agency}/evidence.html`,
      {
        headers: { cookie },
      },
    );
    expect(await printable.text()).toContain('Evidence pack: Agency Bound');
    // Another organisation's session, or none, gets the same 404 as a missing customer.
    const anonymous = await fetch(
      `${qbo.runtime.url}/api/organisations/${orgId}/customers/${agency}/evidence.csv`,
    );
    expect(anonymous.status).toBe(404);
  });

  it('keeps the connection row untouched by all of it', async () => {
    const [connection] = await db()
      .select()
      .from(ledgerConnections)
      .where(eq(ledgerConnections.id, connectionId));
    expect(connection?.status).toBe('active');
  });
});
