import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import {
  activityLog,
  collectionTasks,
  customers,
  disputeInvoices,
  disputes,
  invoices,
  ledgerWrites,
  outboundMessages,
  ownerEvents,
  paymentPlans,
  paymentPromises,
} from '../../src/db/schema/index.js';
import { addMonths } from '../../src/domain/local-time.js';
import { organisationSettingsSchema, saveOrganisationSettings } from '../../src/organisations/settings.js';
import { daysFromToday, weekdayAt } from '../helpers/calendar.js';
import { deliverPendingLedgerWrites } from '../helpers/ledger-writes.js';
import { evaluateAndSend, portalClient } from '../helpers/portal.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';
import { visibleText } from '../helpers/visible-text.js';

const seed: CompanySeed = {
  name: 'Portal Test Ltd',
  homeCurrency: 'GBP',
  country: 'GB',
  customers: [
    { id: '1', displayName: 'Acme Builders', email: 'ap@acme.example' },
    { id: '2', displayName: 'Other Co', email: 'ap@other.example' },
    { id: '3', displayName: 'Planning Pete', email: 'pete@plan.example' },
    { id: '4', displayName: 'Disputing Dora', email: 'dora@dispute.example' },
  ],
  invoices: [
    {
      id: '301',
      docNumber: 'ACME-301',
      customerId: '1',
      total: 120_000,
      status: 'overdue',
      dueDate: daysFromToday(-20),
    },
    {
      id: '302',
      docNumber: 'ACME-302',
      customerId: '1',
      total: 30_000,
      status: 'overdue',
      dueDate: daysFromToday(-5),
    },
    {
      id: '401',
      docNumber: 'OTHER-401',
      customerId: '2',
      total: 55_500,
      status: 'overdue',
      dueDate: daysFromToday(-10),
    },
    {
      id: '501',
      docNumber: 'PETE-501',
      customerId: '3',
      total: 90_000,
      status: 'overdue',
      dueDate: daysFromToday(-10),
    },
    {
      id: '601',
      docNumber: 'DORA-601',
      customerId: '4',
      total: 45_000,
      status: 'overdue',
      dueDate: daysFromToday(-15),
    },
  ],
};

describe('the debtor portal and what each choice does', () => {
  let qbo: QuickBooksHarness;
  let orgId: string;
  let cookie: string;
  let csrf: string;
  let portal: ReturnType<typeof portalClient>;
  const customerIds = new Map<string, string>();
  const db = () => qbo.runtime.database.db;
  const tokenOf = (name: string) => portal.tokenFor(orgId, customerIds.get(name) ?? '');
  const invoiceId = async (externalId: string) =>
    (await db().select({ id: invoices.id }).from(invoices).where(eq(invoices.externalId, externalId)))[0]
      ?.id ?? '';
  const evaluate = (now: Date) => evaluateAndSend(qbo, orgId, now);
  const deliverAll = () => deliverPendingLedgerWrites(qbo.runtime.ledger);
  const messagesOf = (name: string, purpose: 'reminder' | 'notice' = 'reminder') =>
    db()
      .select()
      .from(outboundMessages)
      .where(
        and(
          eq(outboundMessages.customerId, customerIds.get(name) ?? ''),
          eq(outboundMessages.purpose, purpose),
        ),
      )
      .orderBy(outboundMessages.createdAt);
  const notesOn = (externalId: string, text: string) =>
    qbo.emulator
      .company(qbo.realmId)
      .attachables.filter(
        (note) =>
          String(note['Note']).includes(text) &&
          JSON.stringify(note['AttachableRef']).includes(`"value":"${externalId}"`),
      );

  beforeAll(async () => {
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed);
    ({ orgId, cookie, csrf } = await qbo.connectAndSync());
    portal = portalClient(qbo);
    for (const row of await db().select().from(customers)) customerIds.set(row.name, row.id);
    await saveOrganisationSettings(
      db(),
      orgId,
      organisationSettingsSchema.parse({
        contactEmail: 'accounts@portal-test.example',
        contactPhone: '+44 20 7946 0000',
        paymentInstructions: 'Bank transfer to Portal Test Ltd, sort code 00-00-00, account 12345678.',
        notifyEmail: 'owner@portal-test.example',
      }),
    );
  }, 120_000);
  afterAll(() => qbo?.stop());

  it("shows a debtor their own invoices, and nobody else's", async () => {
    const response = await portal.page(tokenOf('Acme Builders'));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const page = await response.text();
    expect(page).toContain('ACME-301');
    expect(page).toContain('ACME-302');
    expect(page).toContain('£1,500.00');
    expect(page).toContain('sort code 00-00-00');
    expect(page).toContain('accounts@portal-test.example');
    expect(page).not.toContain('OTHER-401');
    expect(page).not.toContain('Other Co');
  });

  it('refuses a tampered or expired link with a page that shows no account data', async () => {
    const token = tokenOf('Acme Builders');
    const [header, payload, signature] = token.split('.');
    // The same signature over a payload naming another debtor.
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
    claims.c = customerIds.get('Other Co');
    const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    const refused = await portal.page(forged);
    expect(refused.status).toBe(403);
    const refusedPage = await refused.text();
    expect(refusedPage).toContain('This link is not valid');
    expect(refusedPage).not.toContain('OTHER-401');
    expect(refusedPage).not.toContain('ACME-301');
    expect((await portal.page('not-a-token-at-all-but-long-enough')).status).toBe(403);

    const expired = portal.tokenFor(
      orgId,
      customerIds.get('Acme Builders') ?? '',
      new Date(Date.now() - 1_000),
    );
    const gone = await portal.page(expired);
    expect(gone.status).toBe(410);
    const gonePage = await gone.text();
    expect(gonePage).toContain('This link has expired');
    expect(gonePage).toContain('accounts@portal-test.example');
    expect(gonePage).not.toContain('ACME-301');
    // A forged form post changes nothing either.
    expect((await portal.post(forged, 'promise', [['promisedDate', daysFromToday(3)]])).status).toBe(403);
    expect(await db().select().from(paymentPromises)).toEqual([]);
  });

  it('takes a promise to pay, pauses reminders until its date, and resumes saying so once it is broken', async () => {
    const token = tokenOf('Acme Builders');
    const tooLate = await portal.post(token, 'promise', [['promisedDate', daysFromToday(40)]]);
    expect(tooLate.status).toBe(400);
    expect(await tooLate.text()).toContain('Choose a date within 14 days');
    expect(await db().select().from(paymentPromises)).toEqual([]);

    const made = await portal.post(token, 'promise', [['promisedDate', daysFromToday(5)]]);
    expect(made.status).toBe(303);
    const confirmed = await (
      await fetch(new URL(made.headers.get('location') ?? '', qbo.runtime.url))
    ).text();
    expect(confirmed).toContain('We have noted the date you will pay by');
    const [promise] = await db().select().from(paymentPromises);
    expect(promise).toMatchObject({ promisedDate: daysFromToday(5), status: 'open', source: 'portal' });
    expect(promise?.invoiceIds).toHaveLength(2);

    // The owner's page for Acme says what was arranged and that nothing goes until the date.
    const acme = customerIds.get('Acme Builders') ?? '';
    const ownerPage = await fetch(new URL(`/app/${orgId}/customers/${acme}`, qbo.runtime.url), {
      headers: { cookie },
    });
    expect(ownerPage.status).toBe(200);
    const shown = visibleText(await ownerPage.text());
    expect(shown).toMatch(/What happens next .*[Pp]romised to pay by/);
    expect(shown).toContain('Arranged Promised to pay by');

    // Paused: nothing for Acme while the promise stands.
    await evaluate(weekdayAt(1));
    expect(await db().select().from(outboundMessages).where(eq(outboundMessages.customerId, acme))).toEqual(
      [],
    );

    // Past the date and its three days of grace, unpaid: broken, and the next message says so.
    await evaluate(weekdayAt(9));
    const [kept] = await db().select().from(paymentPromises);
    expect(kept?.status).toBe('broken');
    const [message] = await db().select().from(outboundMessages).where(eq(outboundMessages.customerId, acme));
    expect(message?.bodyText).toMatch(
      /You let us know you would pay by|Thank you for letting us know you planned to pay by/,
    );
    expect(message?.bodyText).toContain('/portal/');

    // Written back once per invoice, even when delivered twice.
    await deliverAll();
    await db().update(ledgerWrites).set({ status: 'pending' });
    await deliverAll();
    expect(notesOn('301', 'promised to pay')).toHaveLength(1);
    expect(notesOn('302', 'promised to pay')).toHaveLength(1);
    // QuickBooks takes one note for both invoices: a single Attachable referencing each.
    const promised = qbo.emulator
      .company(qbo.realmId)
      .attachables.filter((note) => String(note['Note']).includes('promised to pay'));
    expect(promised).toHaveLength(1);
    expect(notesOn('301', 'was broken')).toHaveLength(1);
  });

  it('sets up a plan inside the limits at once, moves the due date, and a missed installment resumes escalation', async () => {
    const token = tokenOf('Planning Pete');
    const firstDate = daysFromToday(7);
    const response = await portal.post(token, 'plan', [
      ['installments', '3'],
      ['firstDate', firstDate],
    ]);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toContain('done=plan');
    const [plan] = await db()
      .select()
      .from(paymentPlans)
      .where(eq(paymentPlans.customerId, customerIds.get('Planning Pete') ?? ''));
    expect(plan).toMatchObject({ status: 'active', startBalanceMinor: 90_000 });
    expect(plan?.installments).toEqual([
      { dueDate: firstDate, amountMinor: 30_000 },
      { dueDate: addMonths(firstDate, 1), amountMinor: 30_000 },
      { dueDate: addMonths(firstDate, 2), amountMinor: 30_000 },
    ]);

    await deliverAll();
    // Delivered twice (a lost answer): the due date moves once.
    const moved = qbo.emulator.company(qbo.realmId).invoice('501');
    expect(moved?.['DueDate']).toBe(firstDate);
    const version = moved?.['SyncToken'];
    await db().update(ledgerWrites).set({ status: 'pending' }).where(eq(ledgerWrites.kind, 'due_date'));
    await deliverAll();
    expect(qbo.emulator.company(qbo.realmId).invoice('501')?.['SyncToken']).toBe(version);
    expect(notesOn('501', '3 payments')).toHaveLength(1);

    // No payment by the first installment and its grace: the plan breaks and escalation resumes at
    // once at the next step (the formal demand, due on day 30 of the schedule, comes now on day 27).
    const before = (await messagesOf('Planning Pete')).length;
    await evaluate(weekdayAt(17));
    const [broken] = await db()
      .select()
      .from(paymentPlans)
      .where(eq(paymentPlans.id, plan?.id ?? ''));
    expect(broken?.status).toBe('broken');
    const messages = await messagesOf('Planning Pete');
    expect(messages).toHaveLength(before + 1);
    expect(messages.at(-1)?.subject).toMatch(/^Formal request for payment/);
    expect(messages.at(-1)?.bodyText).toMatch(/You let us know you would pay by/);
  });

  it('sends a plan outside the limits to a person, and pauses chasing meanwhile', async () => {
    const response = await portal.post(tokenOf('Other Co'), 'plan', [
      ['installments', '10'],
      ['firstDate', daysFromToday(3)],
    ]);
    expect(response.headers.get('location')).toContain('done=plan-requested');
    const other = customerIds.get('Other Co') ?? '';
    const [plan] = await db().select().from(paymentPlans).where(eq(paymentPlans.customerId, other));
    expect(plan?.status).toBe('awaiting_approval');
    expect(plan?.approvalReason).toContain('10 payments is more than the 6');
    const tasks = await db().select().from(collectionTasks).where(eq(collectionTasks.customerId, other));
    expect(tasks.map((task) => task.description)).toEqual([
      expect.stringContaining('Approve or decline a payment plan'),
    ]);
    // Other Co was last emailed on day 9 and its formal demand is due by day 25: only the request holds it.
    const before = (await messagesOf('Other Co')).length;
    await evaluate(weekdayAt(25));
    expect(await messagesOf('Other Co')).toHaveLength(before);
  });

  it('stops chasing a disputed invoice, tells the organisation, and leaves it to a person', async () => {
    const dora = customerIds.get('Disputing Dora') ?? '';
    const response = await portal.post(tokenOf('Disputing Dora'), 'dispute', [
      ['reason', 'wrong_amount'],
      ['message', 'We agreed £400, not £450. <script>alert(1)</script>'],
      ['invoice', await invoiceId('601')],
    ]);
    expect(response.status).toBe(303);
    const [dispute] = await db().select().from(disputes).where(eq(disputes.customerId, dora));
    expect(dispute).toMatchObject({ status: 'open', reason: 'wrong_amount' });
    // The organisation hears through the owner digest (one email per window, not one per event).
    const [told] = await db().select().from(ownerEvents).where(eq(ownerEvents.customerId, dora));
    expect(told).toMatchObject({ kind: 'dispute', digestId: null });
    expect(told?.summary).toContain('disputed DORA-601');
    const tasks = await db().select().from(collectionTasks).where(eq(collectionTasks.customerId, dora));
    expect(tasks[0]?.description).toMatch(/Answer the dispute about DORA-601/);

    const before = (await messagesOf('Disputing Dora')).length;
    await evaluate(weekdayAt(33));
    expect(await messagesOf('Disputing Dora')).toHaveLength(before);
    const page = await (await portal.page(tokenOf('Disputing Dora'))).text();
    expect(page).toContain('Disputed: reminders paused');
    const logged = await db().select().from(activityLog).where(eq(activityLog.customerId, dora));
    expect(logged.map((entry) => entry.kind)).toContain('dispute.opened');
  });

  it('refuses a second dispute of an invoice already under review, with a page saying so (#17)', async () => {
    const dora = customerIds.get('Disputing Dora') ?? '';
    const counts = async () => ({
      disputes: (await db().select().from(disputes).where(eq(disputes.customerId, dora))).length,
      tasks: (await db().select().from(collectionTasks).where(eq(collectionTasks.customerId, dora))).length,
      told: (await db().select().from(ownerEvents).where(eq(ownerEvents.customerId, dora))).length,
      notes: (
        await db()
          .select()
          .from(ledgerWrites)
          .where(and(eq(ledgerWrites.orgId, orgId), eq(ledgerWrites.invoiceId, await invoiceId('601'))))
      ).length,
    });
    const before = await counts();
    expect(before.disputes).toBe(1);
    for (const invoice of [[['invoice', await invoiceId('601')]], []] as Array<Array<[string, string]>>) {
      const again = await portal.post(tokenOf('Disputing Dora'), 'dispute', [
        ['reason', 'quality'],
        ['message', 'Still wrong, and I said so already.'],
        ...invoice,
      ]);
      expect(again.status).toBe(409);
      const page = await again.text();
      expect(page).toContain('We already have your message about DORA-601: it is under review');
      expect(page).toContain('<details open>');
    }
    expect(await counts()).toEqual(before);
    // The database holds the rule too: a second open dispute row for the invoice is refused.
    const [first] = await db().select().from(disputes).where(eq(disputes.customerId, dora));
    const [second] = await db()
      .insert(disputes)
      .values({ orgId, customerId: dora, invoiceIds: [], reason: 'other', message: 'raw', source: 'user' })
      .returning();
    await expect(
      db()
        .insert(disputeInvoices)
        .values({ disputeId: second?.id ?? '', orgId, invoiceId: await invoiceId('601') }),
    ).rejects.toThrow();
    await db()
      .delete(disputes)
      .where(eq(disputes.id, second?.id ?? ''));
    expect(first?.status).toBe('open');
  });

  it('lets a person approve a requested plan and resolve a dispute through the API, with an audit trail', async () => {
    const api = (method: string, path: string, body?: unknown, withSession = true) =>
      fetch(`${qbo.runtime.url}${path}`, {
        method,
        headers: {
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...(withSession ? { cookie, 'x-csrf-token': csrf } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const { plans } = (await (await api('GET', '/api/payment-plans')).json()) as {
      plans: Array<{ id: string; customerName: string }>;
    };
    expect(plans.map((plan) => plan.customerName)).toEqual(['Other Co']);
    // Without the session: nothing listed, and a decision is the same 404 as a missing plan.
    expect(
      ((await (await api('GET', '/api/payment-plans', undefined, false)).json()) as { plans: unknown[] })
        .plans,
    ).toEqual([]);
    expect(
      (await api('POST', `/api/payment-plans/${plans[0]?.id}/decision`, { decision: 'approved' }, false))
        .status,
    ).toBe(403);
    const approved = await api('POST', `/api/payment-plans/${plans[0]?.id}/decision`, {
      decision: 'approved',
    });
    expect(await approved.json()).toMatchObject({ status: 'active' });
    expect(
      (await api('POST', `/api/payment-plans/${plans[0]?.id}/decision`, { decision: 'rejected' })).status,
    ).toBe(409);
    const otherTasks = await db()
      .select()
      .from(collectionTasks)
      .where(eq(collectionTasks.customerId, customerIds.get('Other Co') ?? ''));
    expect(otherTasks.map((task) => task.status)).toEqual(['done']);

    const { disputes: open } = (await (await api('GET', '/api/disputes')).json()) as {
      disputes: Array<{ id: string; message: string }>;
    };
    expect(open).toHaveLength(1);
    expect(open[0]?.message).toContain('We agreed £400');
    expect((await api('POST', `/api/disputes/${open[0]?.id}/resolution`, { resolution: '' })).status).toBe(
      400,
    );
    const resolved = await api('POST', `/api/disputes/${open[0]?.id}/resolution`, {
      resolution: 'Credit note for £50 issued; £400 stands',
    });
    expect(await resolved.json()).toMatchObject({ status: 'resolved' });
    // Chasing resumes: the next evaluation reminds Dora of what is still owed.
    const before = (await messagesOf('Disputing Dora')).length;
    await evaluate(weekdayAt(41));
    expect(await messagesOf('Disputing Dora')).toHaveLength(before + 1);
    const trail = await db()
      .select()
      .from(activityLog)
      .where(eq(activityLog.customerId, customerIds.get('Disputing Dora') ?? ''));
    expect(trail.find((entry) => entry.kind === 'dispute.resolved')?.summary).toContain(
      'Credit note for £50 issued',
    );
  });

  it('stops reminder emails from the one-click link, after a confirmation', async () => {
    const token = tokenOf('Acme Builders');
    const confirm = await portal.page(token, '/opt-out');
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain('Stop reminder emails?');
    const acme = customerIds.get('Acme Builders') ?? '';
    expect((await db().select().from(customers).where(eq(customers.id, acme)))[0]?.optedOutAt).toBeNull();
    const done = await portal.post(token, 'opt-out', [['List-Unsubscribe', 'One-Click']]);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('You will not get reminder emails');
    expect((await db().select().from(customers).where(eq(customers.id, acme)))[0]?.optedOutAt).not.toBeNull();
    await portal.post(token, 'opt-out', []);
    // Mail clients may send the one-click POST as multipart/form-data (RFC 8058).
    const form = new FormData();
    form.set('List-Unsubscribe', 'One-Click');
    const multipart = await fetch(`${qbo.runtime.url}/portal/${tokenOf('Planning Pete')}/opt-out`, {
      method: 'POST',
      body: form,
    });
    expect(multipart.status).toBe(200);
    const pete = customerIds.get('Planning Pete') ?? '';
    expect((await db().select().from(customers).where(eq(customers.id, pete)))[0]?.optedOutAt).not.toBeNull();
    const logged = await db().select().from(activityLog).where(eq(activityLog.customerId, acme));
    expect(logged.filter((entry) => entry.kind === 'email.opted_out')).toHaveLength(1);
  });

  it('limits how often one address may load portal pages', async () => {
    const token = tokenOf('Other Co');
    let status = 200;
    for (let request = 0; request < 70 && status !== 429; request += 1)
      status = (await portal.page(token)).status;
    expect(status).toBe(429);
  });
});
