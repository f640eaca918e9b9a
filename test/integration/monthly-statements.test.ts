import { and, eq, ne } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import { evaluateOrganisation } from '../../src/collections/evaluate.js';
import {
  activityLog,
  collectionSteps,
  customers,
  organisations,
  outboundMessages,
} from '../../src/db/schema/index.js';
import { isClosedDay } from '../../src/domain/holidays.js';
import { addDays, startOfLocalDay } from '../../src/domain/local-time.js';
import { deliverMessage } from '../../src/messaging/delivery/deliver-message.js';
import type { DeliveryDeps } from '../../src/messaging/delivery/deps.js';
import { createLocalTransport } from '../../src/messaging/transport/local.js';
import type { OutgoingEmail } from '../../src/messaging/transport/types.js';
import { organisationProfile, saveOrganisationSettings } from '../../src/organisations/settings.js';
import { monthlyStatementTemplate } from '../../src/statements/monthly-keys.js';
import { dueStatementOrganisations, sendMonthlyStatements } from '../../src/statements/monthly-statements.js';
import { debtorTimeline } from '../../src/timeline/timeline.js';
import { daysFromToday } from '../helpers/calendar.js';
import { pdfText } from '../helpers/pdf-text.js';
import { portalClient } from '../helpers/portal.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';

const zone = 'Pacific/Auckland';
const seed: CompanySeed = {
  name: 'Kauri Kitchens',
  homeCurrency: 'NZD',
  country: 'NZ',
  customers: [
    { id: '1', displayName: 'Attach Co', email: 'ap@attach.example' },
    { id: '2', displayName: 'Owes Co', email: 'ap@owes.example' },
    { id: '3', displayName: 'Paid Up Ltd', email: 'ap@paidup.example' },
    { id: '4', displayName: 'Opted Out Ltd', email: 'ap@optedout.example' },
    { id: '5', displayName: 'Leave Alone Ltd', email: 'ap@leavealone.example' },
  ],
  invoices: [
    {
      id: '101',
      docNumber: 'MS-101',
      customerId: '1',
      total: 42_000,
      status: 'overdue',
      dueDate: daysFromToday(-30),
    },
    {
      id: '102',
      docNumber: 'MS-102',
      customerId: '1',
      total: 9_950,
      status: 'open',
      dueDate: daysFromToday(60),
    },
    {
      id: '201',
      docNumber: 'MS-201',
      customerId: '2',
      total: 18_000,
      status: 'overdue',
      dueDate: daysFromToday(-30),
    },
    {
      id: '301',
      docNumber: 'MS-301',
      customerId: '3',
      total: 5_000,
      status: 'paid',
      dueDate: daysFromToday(-30),
    },
    {
      id: '401',
      docNumber: 'MS-401',
      customerId: '4',
      total: 7_000,
      status: 'overdue',
      dueDate: daysFromToday(-30),
    },
    {
      id: '501',
      docNumber: 'MS-501',
      customerId: '5',
      total: 8_000,
      status: 'overdue',
      dueDate: daysFromToday(-30),
    },
  ],
};

/**
 * The statement day: a Monday from the 5th to the 14th of next month, such that it, the day after, the
 * Friday and the Monday after are working days in New Zealand (the days the test sends on).
 */
const statementDate = (() => {
  const first = new Date(`${daysFromToday(0).slice(0, 7)}-01T00:00:00Z`);
  first.setUTCMonth(first.getUTCMonth() + 1);
  for (let day = 5; day <= 14; day++) {
    const date = new Date(first.getTime() + (day - 1) * 86_400_000).toISOString().slice(0, 10);
    const working = [0, 1, 4, 7].every((offset) => !isClosedDay(addDays(date, offset), 'NZ', []));
    if (new Date(date).getUTCDay() === 1 && working) return date;
  }
  throw new Error('no working Monday from the 5th to the 14th next month');
})();
const statementDay = Number(statementDate.slice(8, 10));
/** `hour`:00 in Auckland, `days` from the statement day. */
const local = (days: number, hour: number) =>
  new Date(startOfLocalDay(addDays(statementDate, days), zone).getTime() + hour * 3_600_000);

describe('statements of account by email: attached to a reminder, and every month', () => {
  let qbo: QuickBooksHarness;
  let orgId: string;
  const ids: Record<string, string> = {};
  const transport = createLocalTransport();
  const db = () => qbo.runtime.database.db;
  const deps = (now: Date): DeliveryDeps => ({
    db: db(),
    ledger: qbo.runtime.ledger,
    transport,
    from: { email: 'reminders@dunwell.example', name: 'Kauri Kitchens' },
    links: portalClient(qbo).links,
    unsubscribeUrl: ({ id }) => `https://dunwell.example/opt-out/${id}`,
    now: () => now,
  });
  const statementsOf = (customerId: string) =>
    db()
      .select()
      .from(outboundMessages)
      .where(
        and(
          eq(outboundMessages.customerId, customerId),
          eq(outboundMessages.template, monthlyStatementTemplate),
        ),
      );
  /** The monthly run at `now`, then delivery of what it queued, as the jobs do. */
  const runAt = async (now: Date) => {
    const queued: string[] = [];
    const outcome = await sendMonthlyStatements(
      { db: db(), deliverDue: async (id) => void queued.push(id) },
      orgId,
      now,
    );
    const due = await db()
      .select({ id: outboundMessages.id })
      .from(outboundMessages)
      .where(and(eq(outboundMessages.orgId, orgId), eq(outboundMessages.status, 'pending')));
    for (const message of due) await deliverMessage(deps(now), message.id);
    return { outcome, deliveryAsked: queued.length > 0 };
  };
  const emailsTo = (address: string) =>
    transport.sent().filter((email) => email.to.some((to) => to.email === address));
  const pdfOf = async (email: OutgoingEmail | undefined) => {
    const attachment = email?.attachments?.[0];
    expect(attachment?.contentType).toBe('application/pdf');
    return pdfText(Buffer.from(attachment?.contentBase64 ?? '', 'base64'));
  };

  beforeAll(async () => {
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed);
    ({ orgId } = await qbo.connectAndSync());
    await db()
      .update(organisations)
      .set({ sending: 'live', timeZone: zone })
      .where(eq(organisations.id, orgId));
    for (const row of await db().select().from(customers).where(eq(customers.orgId, orgId)))
      ids[row.externalId] = row.id;
    await db()
      .update(customers)
      .set({ optedOutAt: new Date() })
      .where(eq(customers.id, ids['4'] ?? ''));
    await db()
      .update(customers)
      .set({ collectionOverrides: { doNotContact: true } })
      .where(eq(customers.id, ids['5'] ?? ''));
  }, 120_000);
  afterAll(() => qbo?.stop());

  it('sends a reminder planned with attachStatement with the debtor’s statement as a PDF, as of its sending', async () => {
    const customerId = ids['1'] ?? '';
    const key = `${customerId}:reminder:attach-test`;
    const [message] = await db()
      .insert(outboundMessages)
      .values({
        orgId,
        customerId,
        idempotencyKey: key,
        to: [{ email: 'ap@attach.example' }],
        template: 'neutral',
        renderInputs: {
          stepKey: 'reminder',
          tone: 'neutral',
          template: 'neutral',
          lateFeeNotice: false,
          brokenPromise: null,
          rung: 0,
          attachStatement: true,
        },
        sendAfter: local(-3, 11),
      })
      .returning();
    const [invoice] = await db()
      .select({ id: collectionSteps.invoiceId })
      .from(collectionSteps)
      .where(eq(collectionSteps.customerId, customerId));
    expect(invoice).toBeUndefined();
    const overdue = await db().query.invoices.findFirst({
      where: (table, { eq: equal }) => equal(table.number, 'MS-101'),
    });
    await db()
      .insert(collectionSteps)
      .values({
        orgId,
        customerId,
        invoiceId: overdue?.id ?? '',
        stepKey: 'reminder',
        kind: 'email',
        effectKey: key,
        takenAt: local(-3, 11),
      });

    expect(await deliverMessage(deps(local(-3, 11)), message?.id ?? '')).toBe('sent');
    const [sent] = emailsTo('ap@attach.example');
    expect(sent?.subject).toContain('past due');
    expect(sent?.attachments?.map((file) => file.filename)).toEqual([
      `statement-Attach-Co-${addDays(statementDate, -3)}.pdf`,
    ]);
    const text = await pdfOf(sent);
    // The statement lists every open invoice, the one not yet due too; the reminder only the overdue one.
    expect(text).toContain('Statement of account');
    expect(text).toContain('MS-101');
    expect(text).toContain('MS-102');
    expect(sent?.text).not.toContain('MS-102');
    expect(transport.attachments()).toEqual([
      expect.objectContaining({
        messageId: message?.id,
        contentType: 'application/pdf',
        bytes: expect.any(Number),
      }),
    ]);
  });

  it('sends a reminder without attachStatement with nothing attached', async () => {
    const customerId = ids['2'] ?? '';
    const key = `${customerId}:reminder:plain-test`;
    const overdue = await db().query.invoices.findFirst({
      where: (table, { eq: equal }) => equal(table.number, 'MS-201'),
    });
    const [message] = await db()
      .insert(outboundMessages)
      .values({
        orgId,
        customerId,
        idempotencyKey: key,
        to: [{ email: 'ap@owes.example' }],
        template: 'neutral',
        renderInputs: {
          stepKey: 'reminder',
          tone: 'neutral',
          template: 'neutral',
          lateFeeNotice: false,
          brokenPromise: null,
          rung: 0,
        },
        sendAfter: local(-40, 11),
      })
      .returning();
    await db()
      .insert(collectionSteps)
      .values({
        orgId,
        customerId,
        invoiceId: overdue?.id ?? '',
        stepKey: 'reminder',
        kind: 'email',
        effectKey: key,
        takenAt: local(-40, 11),
      });
    expect(await deliverMessage(deps(local(-40, 11)), message?.id ?? '')).toBe('sent');
    expect(emailsTo('ap@owes.example')[0]?.attachments).toBeUndefined();
  });

  it('sends nothing while monthly statements are off (the default)', async () => {
    expect((await organisationProfile(db(), orgId))?.settings.monthlyStatement).toEqual({
      enabled: false,
      day: 1,
    });
    expect(await dueStatementOrganisations(db(), local(0, 11))).toEqual([]);
    expect((await runAt(local(0, 11))).outcome.status).toBe('disabled');
  });

  it('comes on its day in the organisation’s time zone, not the day before there (though UTC says so)', async () => {
    const profile = await organisationProfile(db(), orgId);
    if (!profile) throw new Error('no organisation');
    await saveOrganisationSettings(db(), orgId, {
      ...profile.settings,
      monthlyStatement: { enabled: true, day: statementDay },
    });
    // 23:00 the evening before, in Auckland: not yet.
    expect(await dueStatementOrganisations(db(), local(0, -1))).toEqual([]);
    expect((await runAt(local(0, -1))).outcome.status).toBe('not_due');
    // 10:00 on the day in Auckland is still the day before in UTC.
    expect(local(0, 10).toISOString().slice(0, 10)).toBe(addDays(statementDate, -1));
    expect(await dueStatementOrganisations(db(), local(0, 10))).toEqual([orgId]);
  });

  it('emails each debtor who owes something their statement, PDF attached; none to one who owes nothing, opted out or is not to be contacted', async () => {
    const { outcome, deliveryAsked } = await runAt(local(0, 10));
    expect(outcome).toMatchObject({ status: 'done', queued: 1 });
    expect(deliveryAsked).toBe(true);
    const [statement] = emailsTo('ap@owes.example').filter((email) => email.attachments);
    expect(statement?.subject).toBe('Your statement of account – Kauri Kitchens');
    expect(statement?.text).toContain('MS-201');
    expect(await pdfOf(statement)).toContain('MS-201');
    for (const id of ['3', '4', '5']) expect(await statementsOf(ids[id] ?? '')).toEqual([]);
    expect(emailsTo('ap@paidup.example')).toEqual([]);
    expect(emailsTo('ap@optedout.example')).toEqual([]);
    expect(emailsTo('ap@leavealone.example')).toEqual([]);
    // On the customer's timeline, as sent, with why.
    const timeline = await debtorTimeline(db(), { orgId, customerId: ids['2'] ?? '' });
    const entry = timeline.entries.find(
      (item) => item.type === 'message' && item.message.template === monthlyStatementTemplate,
    );
    expect(entry).toMatchObject({
      kind: 'message.sent',
      summary: expect.stringContaining('statement of account'),
    });
    expect(entry?.reason).toContain('monthly statement');
  });

  it('holds the statement of a debtor contacted three days ago until the contact cap allows, in the same month', async () => {
    // Attach Co had a reminder on day -3; with 7 days between contacts, the statement waits to day +4.
    expect(await statementsOf(ids['1'] ?? '')).toEqual([]);
    const dayThree = await runAt(local(3, 12));
    expect(dayThree.outcome).toMatchObject({ status: 'done', queued: 0, waiting: 1 });
    expect(await statementsOf(ids['1'] ?? '')).toEqual([]);
    const dayFour = await runAt(local(4, 12));
    expect(dayFour.outcome).toMatchObject({ status: 'done', queued: 1 });
    const [held] = await statementsOf(ids['1'] ?? '');
    expect(held).toMatchObject({ status: 'sent' });
    expect(held?.sentAt?.toISOString()).toBe(local(4, 12).toISOString());
  });

  it('sends each debtor’s statement once a month, however often it runs', async () => {
    await runAt(local(5, 12));
    await Promise.all([runAt(local(6, 12)), runAt(local(6, 12))]);
    expect(await statementsOf(ids['2'] ?? '')).toHaveLength(1);
    expect(await statementsOf(ids['1'] ?? '')).toHaveLength(1);
    expect(emailsTo('ap@owes.example').filter((email) => email.attachments)).toHaveLength(1);
  });

  it('makes the next reminder wait the days between contacts: a statement is a contact', async () => {
    const remindersOf = (customerId: string) =>
      db()
        .select({ id: outboundMessages.id })
        .from(outboundMessages)
        .where(
          and(
            eq(outboundMessages.customerId, customerId),
            ne(outboundMessages.template, monthlyStatementTemplate),
            ne(outboundMessages.idempotencyKey, `${customerId}:reminder:plain-test`),
          ),
        );
    const owes = ids['2'] ?? '';
    // Owes Co is overdue and had its statement on day 0 at 10:00: the planner holds its reminder…
    await evaluateOrganisation(db(), orgId, { now: local(1, 11) });
    expect(await remindersOf(owes)).toEqual([]);
    const [held] = await db()
      .select({ summary: activityLog.summary })
      .from(activityLog)
      .where(and(eq(activityLog.customerId, owes), eq(activityLog.kind, 'reminder.planned')));
    expect(held?.summary).toContain('monthly statement');
    // …until seven days after it, when the reminder is planned.
    await evaluateOrganisation(db(), orgId, { now: local(7, 11) });
    expect(await remindersOf(owes)).toHaveLength(1);
  });
});
