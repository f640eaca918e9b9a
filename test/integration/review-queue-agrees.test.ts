import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import { evaluateOrganisation } from '../../src/collections/evaluate.js';
import {
  activityLog,
  collectionFlags,
  customers,
  invoices,
  ledgerConnections,
  organisations,
  outboundMessages,
  paymentAllocations,
  paymentPlans,
  payments,
} from '../../src/db/schema/index.js';
import { addDays } from '../../src/domain/local-time.js';
import { daysFromToday, today, weekdayAt } from '../helpers/calendar.js';
import { Browser } from '../helpers/dunwell-harness.js';
import { seedFinalNotice } from '../helpers/journey.js';
import { evaluateAndSend, portalClient } from '../helpers/portal.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';
import { visibleText } from '../helpers/visible-text.js';
import { waitFor } from '../helpers/wait.js';

const names = ['Plan Paula', 'Promising Pat', 'Disputing Dan', 'Paying Polly', 'Fresh Fred'] as const;
const seed: CompanySeed = {
  name: 'Agreeing Queue Ltd',
  homeCurrency: 'GBP',
  customers: names.map((name, index) => ({
    id: String(index + 1),
    displayName: name,
    email: `ap${index + 1}@debtor.example`,
  })),
  invoices: names.map((_, index) => ({
    id: String(101 + index),
    docNumber: `INV-${101 + index}`,
    customerId: String(index + 1),
    total: 120_000,
    status: 'overdue' as const,
    dueDate: addDays(today, -75),
  })),
};

describe('one review queue that agrees with itself', () => {
  let qbo: QuickBooksHarness;
  let owner: Browser;
  let orgId: string;
  let portal: ReturnType<typeof portalClient>;
  const db = () => qbo.runtime.database.db;
  const url = (suffix: string) => `${qbo.runtime.url}${suffix}`;
  const customerId = async (name: string) =>
    (await db().select({ id: customers.id }).from(customers).where(eq(customers.name, name)))[0]?.id ?? '';
  const flagsOf = async (name: string) =>
    db()
      .select()
      .from(collectionFlags)
      .where(eq(collectionFlags.customerId, await customerId(name)));
  const pendingFlag = async (name: string) => {
    const flag = (await flagsOf(name)).find((row) => row.status === 'pending');
    if (!flag) throw new Error(`no flag waits for ${name}`);
    return flag;
  };
  const token = async (name: string) => portal.tokenFor(orgId, await customerId(name));
  const reviewPage = async () =>
    (await owner.request(url(`/app/${orgId}/review`), { headers: { accept: 'text/html' } })).text();
  const post = (fields: Array<[string, string]>) =>
    owner.request(url(`/app/${orgId}/review`), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams([['_csrf', owner.csrfToken ?? ''], ...fields]).toString(),
    });
  const withdrawals = async (name: string) =>
    db()
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.customerId, await customerId(name)), eq(activityLog.kind, 'flag.withdrawn')));

  beforeAll(async () => {
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed);
    owner = new Browser();
    const { connectionId } = await owner.connect(qbo.runtime.url, 'quickbooks', { preview: true });
    await waitFor(
      async () => (await db().select({ id: invoices.id }).from(invoices)).length === names.length,
      {
        what: 'the sync',
      },
    );
    orgId =
      (await db().select().from(ledgerConnections).where(eq(ledgerConnections.id, connectionId)))[0]?.orgId ??
      '';
    portal = portalClient(qbo);
    // Live (a new organisation starts in preview), in UTC (the sending window of weekdayAt).
    await db()
      .update(organisations)
      .set({ sending: 'live', timeZone: 'UTC' })
      .where(eq(organisations.id, orgId));
    const now = new Date();
    // Four debtors walked the ladder: the final notice went three weeks ago, so the planner flags them.
    for (const name of names.slice(0, 4)) await seedFinalNotice(db(), orgId, name, now, 21);
    await evaluateOrganisation(db(), orgId, { now });
    for (const name of names.slice(0, 4))
      expect((await pendingFlag(name)).kinds).toContain('agency_referral');
  }, 120_000);
  afterAll(() => qbo?.stop());

  it('a plan request appears once; approving the plan withdraws the agency suggestion, and bulk approval cannot act on it', async () => {
    const flag = await pendingFlag('Plan Paula');
    // Ten installments: outside the limits (six at most), so the plan waits for a person.
    const asked = await portal.post(await token('Plan Paula'), 'plan', [
      ['installments', '10'],
      ['firstDate', daysFromToday(7)],
    ]);
    expect(asked.status).toBe(303);
    const [plan] = await db()
      .select()
      .from(paymentPlans)
      .where(eq(paymentPlans.customerId, await customerId('Plan Paula')));
    expect(plan?.status).toBe('awaiting_approval');

    const page = visibleText(await reviewPage());
    // Listed as the plan to decide, not again as a task.
    expect(page).not.toContain('Approve or decline a payment plan');

    // While the plan request waits, the flag cannot be approved (the plan is decided first).
    const early = await post([
      ['bulk', 'approve'],
      ['pick', `flag:${flag.id}`],
    ]);
    expect(await early.text()).toContain('decide that first');
    expect((await pendingFlag('Plan Paula')).id).toBe(flag.id);

    expect((await post([['act', `plan:${plan?.id}:approve`]])).status).toBe(303);
    const [withdrawn] = (await flagsOf('Plan Paula')).filter((row) => row.id === flag.id);
    expect(withdrawn?.status).toBe('withdrawn');
    expect(withdrawn?.withdrawnReason).toContain('approved the requested payment plan');
    expect((await withdrawals('Plan Paula'))[0]?.summary).toMatch(
      /^Withdrew the agency referral suggestion: /,
    );
    expect(visibleText(await reviewPage())).not.toContain('Plan Paula');

    // A bulk approval sent from a page loaded before: refused, nothing carried out.
    const late = await post([
      ['bulk', 'approve'],
      ['pick', `flag:${flag.id}`],
    ]);
    expect(await late.text()).toContain('already withdrawn');
    const [after] = (await flagsOf('Plan Paula')).filter((row) => row.id === flag.id);
    expect(after).toMatchObject({ status: 'withdrawn', decision: null });
    const [invoice] = await db()
      .select()
      .from(invoices)
      .where(eq(invoices.customerId, await customerId('Plan Paula')));
    expect(invoice?.collectionHold).toBeNull();
    // The next evaluation does not raise it again while the plan is kept.
    await evaluateOrganisation(db(), orgId, { now: new Date() });
    expect((await flagsOf('Plan Paula')).filter((row) => row.status === 'pending')).toHaveLength(0);
  });

  it('a promise withdraws the suggestion at once', async () => {
    const flag = await pendingFlag('Promising Pat');
    const made = await portal.post(await token('Promising Pat'), 'promise', [
      ['promisedDate', daysFromToday(5)],
    ]);
    expect(made.status).toBe(303);
    const [row] = (await flagsOf('Promising Pat')).filter((candidate) => candidate.id === flag.id);
    expect(row?.status).toBe('withdrawn');
    expect(row?.withdrawnReason).toContain(`promised to pay INV-102 by ${daysFromToday(5)}`);
  });

  it('a dispute withdraws the suggestion and appears once; the count is what the page lists', async () => {
    const flag = await pendingFlag('Disputing Dan');
    const disputed = await portal.post(await token('Disputing Dan'), 'dispute', [
      ['reason', 'quality'],
      ['message', 'The parts arrived broken.'],
    ]);
    expect(disputed.status).toBe(303);
    const [row] = (await flagsOf('Disputing Dan')).filter((candidate) => candidate.id === flag.id);
    expect(row?.status).toBe('withdrawn');
    expect(row?.withdrawnReason).toContain('disputed INV-103');
    const html = await reviewPage();
    const page = visibleText(html);
    expect(page.match(/Disputing Dan/g)).toHaveLength(1);
    expect(page).not.toContain('Answer the dispute');
    const count = Number(/(\d+) things? needs? a decision/.exec(page)?.[1]);
    const items = (html.match(/name="pick"/g) ?? []).length;
    const disputes = (html.match(/name="resolution\./g) ?? []).length;
    expect(count).toBe(items + disputes);
  });

  it('a payment since the flag re-evaluates it: withdrawn, and raised again on what is left', async () => {
    const flag = await pendingFlag('Paying Polly');
    const [invoice] = await db()
      .select()
      .from(invoices)
      .where(eq(invoices.customerId, await customerId('Paying Polly')));
    // The sync mirrors a part payment of £500 (as it would from the ledger).
    const [payment] = await db()
      .insert(payments)
      .values({
        orgId,
        connectionId: invoice?.connectionId ?? '',
        customerId: await customerId('Paying Polly'),
        externalId: 'part-payment-1',
        currency: 'GBP',
        amountMinor: 50_000,
        paidOn: today,
      })
      .returning();
    await db()
      .insert(paymentAllocations)
      .values({ orgId, paymentId: payment?.id ?? '', invoiceId: invoice?.id ?? '', amountMinor: 50_000 });
    await db()
      .update(invoices)
      .set({ balanceMinor: 70_000 })
      .where(eq(invoices.id, invoice?.id ?? ''));

    await evaluateOrganisation(db(), orgId, { now: new Date() });
    const rows = await flagsOf('Paying Polly');
    const old = rows.find((row) => row.id === flag.id);
    expect(old?.status).toBe('withdrawn');
    expect(old?.withdrawnReason).toContain('a payment of £500 came in');
    const fresh = rows.filter((row) => row.status === 'pending');
    expect(fresh).toHaveLength(1);
    expect(fresh[0]?.id).not.toBe(flag.id);
  });

  it('no agency or write-off suggestion for a debtor whose first reminder went out within the hour', async () => {
    // The next weekday at 11:00 UTC, in the sending window: Fred's first reminder goes (planned then,
    // or already by the evaluation before these tests when the wall clock was in the window).
    await evaluateAndSend(qbo, orgId, weekdayAt(1));
    const fred = await customerId('Fresh Fred');
    const sent = await db()
      .select()
      .from(outboundMessages)
      .where(and(eq(outboundMessages.customerId, fred), eq(outboundMessages.status, 'sent')));
    expect(sent).toHaveLength(1);
    expect((await flagsOf('Fresh Fred')).filter((row) => row.status === 'pending')).toHaveLength(0);
    const [invoice] = await db().select().from(invoices).where(eq(invoices.customerId, fred));
    // A flag raised as an older planner did, at +60 days whatever had been sent: the queue does not keep it.
    const legacy = async (key: string) => {
      const [flag] = await db()
        .insert(collectionFlags)
        .values({
          orgId,
          customerId: fred,
          idempotencyKey: key,
          kinds: ['agency_referral'],
          invoiceIds: [invoice?.id ?? ''],
          daysOverdue: 75,
          recommendation: { recommended: 'agency_referral' },
        })
        .returning();
      return flag?.id ?? '';
    };
    const byEvaluation = await legacy('legacy-flag-1');
    await evaluateOrganisation(db(), orgId, { now: new Date() });
    const [withdrawn] = (await flagsOf('Fresh Fred')).filter((row) => row.id === byEvaluation);
    expect(withdrawn?.status).toBe('withdrawn');
    expect(withdrawn?.withdrawnReason).toContain('the final notice has not been sent');

    const atApproval = await legacy('legacy-flag-2');
    const approved = await post([
      ['bulk', 'approve'],
      ['pick', `flag:${atApproval}`],
    ]);
    expect(await approved.text()).toContain('this suggestion was withdrawn');
    const [row] = (await flagsOf('Fresh Fred')).filter((candidate) => candidate.id === atApproval);
    expect(row).toMatchObject({ status: 'withdrawn', decision: null });
    const [still] = await db()
      .select()
      .from(invoices)
      .where(eq(invoices.id, invoice?.id ?? ''));
    expect(still?.collectionHold).toBeNull();
  });
});
