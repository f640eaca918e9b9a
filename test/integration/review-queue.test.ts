import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import {
  activityLog,
  collectionFlags,
  collectionSteps,
  collectionTasks,
  customers,
  invoices,
  ledgerConnections,
  ledgerWrites,
  organisations,
  outboundMessages,
  settlements,
} from '../../src/db/schema/index.js';
import { addDays, localMoment } from '../../src/domain/local-time.js';
import { today } from '../helpers/calendar.js';
import { Browser } from '../helpers/dunwell-harness.js';
import { seedFinalNotice } from '../helpers/journey.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';
import { waitFor } from '../helpers/wait.js';

const seed: CompanySeed = {
  name: 'Queue & Co',
  homeCurrency: 'GBP',
  customers: [
    { id: '1', displayName: 'Big Client plc', email: 'ap@big.example' },
    { id: '2', displayName: 'Bounced Bob', email: 'bob@bounced.example' },
  ],
  invoices: [
    { id: '11', customerId: '1', total: 900_000, status: 'overdue', dueDate: addDays(today, -35) },
    { id: '21', customerId: '2', total: 10_000, status: 'overdue', dueDate: addDays(today, -10) },
  ],
};

describe('the review queue: one click or in bulk, and only for this organisation', () => {
  let qbo: QuickBooksHarness;
  let owner: Browser;
  let orgId: string;
  const db = () => qbo.runtime.database.db;
  const url = (suffix: string) => `${qbo.runtime.url}${suffix}`;
  const post = (fields: Array<[string, string]>) =>
    owner.request(url(`/app/${orgId}/review`), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams([['_csrf', owner.csrfToken ?? ''], ...fields]).toString(),
    });
  const customerId = async (name: string) =>
    (await db().select({ id: customers.id }).from(customers).where(eq(customers.name, name)))[0]?.id ?? '';
  const waiting = async (name: string, key: string) => {
    const [message] = await db()
      .insert(outboundMessages)
      .values({
        orgId,
        customerId: await customerId(name),
        idempotencyKey: key,
        status: 'awaiting_approval',
        to: [{ email: 'ap@big.example' }],
        template: 'formal',
      })
      .returning();
    return message?.id ?? '';
  };
  const task = async (name: string, key: string, description: string) => {
    const [row] = await db()
      .insert(collectionTasks)
      .values({ orgId, customerId: await customerId(name), idempotencyKey: key, description, invoiceIds: [] })
      .returning();
    return row?.id ?? '';
  };
  const statusOf = async (id: string) =>
    (await db().select().from(outboundMessages).where(eq(outboundMessages.id, id)))[0]?.status;

  beforeAll(async () => {
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed);
    owner = new Browser();
    const { connectionId } = await owner.connect(qbo.runtime.url, 'quickbooks');
    await waitFor(async () => (await db().select({ id: customers.id }).from(customers)).length === 2, {
      what: 'the sync',
    });
    orgId =
      (await db().select().from(ledgerConnections).where(eq(ledgerConnections.id, connectionId)))[0]?.orgId ??
      '';
  }, 120_000);
  afterAll(() => qbo?.stop());

  it('lists reminders waiting for approval and tasks, and decides one with one click', async () => {
    const formal = await waiting('Big Client plc', 'approve-me');
    await task('Bounced Bob', 'bounce-task', 'Fix the bounced address bob@bounced.example');
    const page = await (
      await owner.request(url(`/app/${orgId}/review`), { headers: { accept: 'text/html' } })
    ).text();
    expect(page).toContain('Reminders waiting for your approval');
    expect(page).toContain('Fix the bounced address bob@bounced.example');
    const approvedAt = new Date();
    const approved = await post([['act', `message:${formal}:approve`]]);
    expect(approved.status).toBe(303);
    // Approved: on its way (a delivery may take it at once when its window is open).
    expect(['pending', 'sending', 'sent']).toContain(await statusOf(formal));
    // It goes in the debtor's next sending window (now, when it is open): a working day, 9:00–17:00.
    const [row] = await db().select().from(outboundMessages).where(eq(outboundMessages.id, formal));
    const [organisation] = await db().select().from(organisations).where(eq(organisations.id, orgId));
    const sendAfter = row?.sendAfter ?? new Date(0);
    expect(sendAfter.getTime()).toBeGreaterThanOrEqual(approvedAt.getTime() - 1_000);
    const local = localMoment(sendAfter, organisation?.timeZone ?? 'UTC');
    expect(local.weekday).toBeLessThanOrEqual(5);
    expect(local.hour).toBeGreaterThanOrEqual(9);
    expect(local.hour).toBeLessThan(17);
    const log = await db().select().from(activityLog).where(eq(activityLog.kind, 'reminder.approved'));
    expect(log).toHaveLength(1);
    // Deciding twice says so and changes nothing.
    const again = await post([['act', `message:${formal}:reject`]]);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('no longer waiting for approval');
    // Still on its way (a delivery may have taken it already, its window being open), never rejected.
    expect(['pending', 'sending', 'sent']).toContain(await statusOf(formal));
    expect(await db().select().from(activityLog).where(eq(activityLog.kind, 'reminder.rejected'))).toEqual(
      [],
    );
  });

  it('rejects several reminders and closes several tasks in bulk', async () => {
    const first = await waiting('Big Client plc', 'bulk-1');
    const second = await waiting('Big Client plc', 'bulk-2');
    const taskA = await task('Bounced Bob', 'bulk-task-a', 'Call Bob');
    const taskB = await task('Big Client plc', 'bulk-task-b', 'Call Big Client');
    expect(
      (
        await post([
          ['bulk', 'reject'],
          ['pick', `message:${first}`],
          ['pick', `message:${second}`],
        ])
      ).status,
    ).toBe(303);
    expect([await statusOf(first), await statusOf(second)]).toEqual(['cancelled', 'cancelled']);
    expect(
      (
        await post([
          ['bulk', 'done'],
          ['pick', `task:${taskA}`],
          ['pick', `task:${taskB}`],
          ['pick', `message:${first}`],
        ])
      ).status,
    ).toBe(303);
    const tasks = await db().select().from(collectionTasks).where(eq(collectionTasks.orgId, orgId));
    expect(tasks.filter((row) => [taskA, taskB].includes(row.id)).map((row) => row.status)).toEqual([
      'done',
      'done',
    ]);
  });

  it('asks a person about an email the provider could not account for, and records the answer once', async () => {
    const bigClient = await customerId('Big Client plc');
    const [invoice] = await db().select().from(invoices).where(eq(invoices.externalId, '11'));
    // The send attempt whose fate is unknown began then; the crash was noticed later.
    const triedAt = new Date(Date.now() - 3 * 3_600_000);
    const inDoubt = async (key: string) => {
      const [message] = await db()
        .insert(outboundMessages)
        .values({
          orgId,
          customerId: bigClient,
          idempotencyKey: key,
          status: 'uncertain',
          sendingSince: triedAt,
          to: [{ email: 'ap@big.example' }],
          subject: `Formal request ${key}`,
          template: 'formal',
        })
        .returning();
      await db()
        .insert(collectionSteps)
        .values({
          orgId,
          customerId: bigClient,
          invoiceId: invoice?.id ?? '',
          stepKey: key,
          kind: 'email',
          effectKey: key,
          takenAt: new Date(),
        });
      return message?.id ?? '';
    };
    const arrived = await inDoubt('doubt-arrived');
    const resend = await inDoubt('doubt-resend');
    const page = await (
      await owner.request(url(`/app/${orgId}/review`), { headers: { accept: 'text/html' } })
    ).text();
    expect(page).toContain('Emails that may not have gone');
    expect(page).toContain('Formal request doubt-arrived');

    expect((await post([['act', `message:${arrived}:arrived`]])).status).toBe(303);
    const [sent] = await db().select().from(outboundMessages).where(eq(outboundMessages.id, arrived));
    expect(sent?.status).toBe('sent');
    expect(sent?.sentAt).toEqual(triedAt);
    const confirmed = await db().select().from(activityLog).where(eq(activityLog.kind, 'reminder.sent'));
    expect(confirmed.map((entry) => entry.actor)).toEqual([expect.stringMatching(/^user:/)]);
    const notes = await db()
      .select()
      .from(ledgerWrites)
      .where(eq(ledgerWrites.idempotencyKey, 'note:doubt-arrived'));
    expect(notes).toHaveLength(1);
    expect(JSON.stringify(notes[0]?.payload)).toContain('Formal request doubt-arrived');

    expect((await post([['act', `message:${resend}:resend`]])).status).toBe(303);
    expect(await statusOf(resend)).toBe('pending');
    expect(await db().select().from(activityLog).where(eq(activityLog.kind, 'reminder.resend'))).toHaveLength(
      1,
    );

    // Answered already: a second answer changes nothing.
    const again = await post([['act', `message:${arrived}:resend`]]);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('no longer in doubt');
    expect(await statusOf(arrived)).toBe('sent');
  });

  it('approves a settlement at a discount the person chooses, within the policy’s limit', async () => {
    const [invoice] = await db().select().from(invoices).where(eq(invoices.externalId, '11'));
    await db()
      .update(organisations)
      .set({ settings: { settlementTarget: { ref: '1', description: 'Settlement discounts' } } })
      .where(eq(organisations.id, orgId));
    // As the planner raises it: after the final notice and its grace (approval checks it again).
    await seedFinalNotice(db(), orgId, 'Big Client plc', new Date());
    const [flag] = await db()
      .insert(collectionFlags)
      .values({
        orgId,
        customerId: await customerId('Big Client plc'),
        idempotencyKey: 'settle-me',
        kinds: ['settlement_offer', 'write_off'],
        invoiceIds: [invoice?.id ?? ''],
        daysOverdue: 35,
        recommendation: {
          recommended: 'settlement_offer',
          balance: { amountMinor: 900_000, currency: 'GBP' },
          otherCurrencies: [],
        },
      })
      .returning();
    const approve = (discount: string) =>
      post([
        ['act', `flag:${flag?.id}:approve`],
        [`choice.${flag?.id}`, 'settlement_offer'],
        [`discount.${flag?.id}`, discount],
      ]);
    const tooMuch = await approve('60');
    expect(tooMuch.status).toBe(409);
    expect(await tooMuch.text()).toContain('from 0% to 50%');
    expect(
      (
        await db()
          .select()
          .from(collectionFlags)
          .where(eq(collectionFlags.id, flag?.id ?? ''))
      )[0]?.status,
    ).toBe('pending');
    expect((await approve('30')).status).toBe(303);
    const [offer] = await db().select().from(settlements).where(eq(settlements.orgId, orgId));
    expect(offer).toMatchObject({ startBalanceMinor: 900_000, offerMinor: 630_000 });
  });

  it('cannot act on another organisation’s items, and says so', async () => {
    const [other] = await db()
      .insert(organisations)
      .values({ name: 'Elsewhere Ltd', currency: 'GBP' })
      .returning();
    const [connection] = await db()
      .select()
      .from(ledgerConnections)
      .where(eq(ledgerConnections.orgId, orgId));
    const [theirCustomer] = await db()
      .insert(customers)
      .values({
        orgId: other?.id ?? '',
        connectionId: connection?.id ?? '',
        externalId: 'x-1',
        name: 'Their Customer',
      })
      .returning();
    const [theirs] = await db()
      .insert(outboundMessages)
      .values({
        orgId: other?.id ?? '',
        customerId: theirCustomer?.id ?? '',
        idempotencyKey: 'theirs',
        status: 'awaiting_approval',
        to: [{ email: 'x@elsewhere.example' }],
        template: 'formal',
      })
      .returning();
    const refused = await post([['act', `message:${theirs?.id}:approve`]]);
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('No such message');
    expect(await statusOf(theirs?.id ?? '')).toBe('awaiting_approval');
    expect((await post([['act', 'drop-table:1']])).status).toBe(409);
  });
});
