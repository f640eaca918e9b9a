import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import type { RenderEmail } from '../../src/collections/apply-plan.js';
import { evaluateOrganisation } from '../../src/collections/evaluate.js';
import {
  activityLog,
  customers,
  debtorReplies,
  disputes,
  outboundMessages,
  paymentPromises,
} from '../../src/db/schema/index.js';
import { replyAddresses, replyAddressKey } from '../../src/domain/reply-address.js';
import { deliverMessage } from '../../src/messaging/delivery/deliver-message.js';
import type { DeliveryDeps } from '../../src/messaging/delivery/deps.js';
import { createLocalTransport } from '../../src/messaging/transport/local.js';
import { weekdayAt } from '../helpers/calendar.js';
import { portalClient } from '../helpers/portal.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';
import { reviewPage } from '../helpers/review-page.js';
import { waitFor } from '../helpers/wait.js';

const secret = 'inbound-secret-0123456789abcdef';
const domain = 'in.dunwell.example';
/** Noon UTC on a working day, today or the next (the organisation's zone is UTC): inside the default sending window. */
const firstEvaluation = weekdayAt(0, 12);
const dayFromToday = (offset: number) =>
  new Date(firstEvaluation.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
/** A date as the page shows it to this organisation (its books are in US dollars: en-US). */
const longDate = (iso: string) =>
  new Intl.DateTimeFormat('en-US', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${iso}T00:00:00Z`));
/** Each debtor's reply to their first reminder. */
const replies: Record<string, string> = {
  'Will Pay': `We will pay on ${dayFromToday(20)}.`,
  'Broken Goods': 'The goods arrived broken, we dispute this invoice.',
  'No More': 'Please unsubscribe me, stop sending these emails.',
  'Says Paid': 'We paid this last week by bank transfer.',
};
const seed: CompanySeed = {
  name: 'Replies Ltd',
  homeCurrency: 'USD',
  customers: Object.keys(replies).map((displayName, index) => ({
    id: String(index + 1),
    displayName,
    email: `ap@${index + 1}.example`,
  })),
  invoices: Object.keys(replies).map((_name, index) => ({
    id: String(90 + index),
    customerId: String(index + 1),
    total: 50_000,
    status: 'overdue' as const,
    dueDate: dayFromToday(-10),
  })),
};
const render: RenderEmail = async (_action, snapshot) => ({
  subject: `Reminder for ${snapshot.customerName}`,
  html: '<p>h</p>',
  text: 't',
});

describe('acting on a reply in one click', () => {
  let qbo: QuickBooksHarness;
  let orgId: string;
  let owner: { cookie: string; csrf: string };
  const transport = createLocalTransport();
  const db = () => qbo.runtime.database.db;
  const deps = (): DeliveryDeps => ({
    db: db(),
    ledger: qbo.runtime.ledger,
    transport,
    from: { email: 'reminders@dunwell.example', name: 'Replies Ltd' },
    links: portalClient(qbo).links,
    unsubscribeUrl: ({ id }) => `https://dunwell.example/opt-out/${id}`,
    now: () => new Date(),
    replyAddresses: replyAddresses(replyAddressKey(qbo.environment['SESSION_SECRET'] ?? ''), domain),
  });
  const customerNamed = async (name: string) => {
    const [customer] = await db()
      .select()
      .from(customers)
      .where(and(eq(customers.orgId, orgId), eq(customers.name, name)));
    if (!customer) throw new Error(`no customer ${name}`);
    return customer;
  };
  const replyOf = async (name: string) => {
    const customer = await customerNamed(name);
    const [reply] = await db().select().from(debtorReplies).where(eq(debtorReplies.customerId, customer.id));
    if (!reply) throw new Error(`no reply from ${name}`);
    return reply;
  };
  const review = (act?: string) => reviewPage(qbo.runtime.url, orgId, owner)(act ? [['act', act]] : []);

  beforeAll(async () => {
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed, {
      INBOUND_EMAIL_SECRET: secret,
      INBOUND_REPLY_DOMAIN: domain,
    });
    const connected = await qbo.connectAndSync();
    orgId = connected.orgId;
    owner = { cookie: connected.cookie, csrf: connected.csrf };
    await evaluateOrganisation(db(), orgId, { now: firstEvaluation, render });
    for (const [name, text] of Object.entries(replies)) {
      const [message] = await db()
        .select()
        .from(outboundMessages)
        .where(eq(outboundMessages.subject, `Reminder for ${name}`));
      expect(await deliverMessage(deps(), message?.id ?? '')).toBe('sent');
      const form = new FormData();
      form.append('from', `ap@${name.toLowerCase().replace(' ', '-')}.example`);
      form.append('to', deps().replyAddresses?.addressFor(message?.id ?? '') ?? '');
      form.append('subject', `Re: Reminder for ${name}`);
      form.append('text', text);
      const posted = await fetch(`${qbo.runtime.url}/webhooks/sendgrid/inbound/${secret}`, {
        method: 'POST',
        body: form,
      });
      expect(posted.status).toBe(200);
    }
    await waitFor(
      async () => {
        const rows = await db().select().from(debtorReplies).where(eq(debtorReplies.orgId, orgId));
        return rows.length === 4 ? rows : undefined;
      },
      { what: 'the four replies to be processed' },
    );
  }, 120_000);
  afterAll(() => qbo?.stop());

  it('offers each reply the click its class suggests, beside "Mark as read"', async () => {
    const text = (await review()).text;
    expect(text).toContain(`Record the promise to pay by ${longDate(dayFromToday(20))}`);
    expect(text).toContain('Open a dispute');
    expect(text).toContain('Stop emails to them');
    expect(text.split('Mark as read').length - 1).toBe(4);
  });

  it('records the promise with the date the debtor wrote, as theirs, and marks the reply read', async () => {
    const reply = await replyOf('Will Pay');
    const evaluations = async () =>
      Number(
        (
          await qbo.runtime.database.pool.query(
            `select count(*) from pgboss.job where name = 'collections.evaluate' and data->>'orgId' = $1`,
            [orgId],
          )
        ).rows[0]?.count,
      );
    const asked = await evaluations();
    expect((await review(`reply:${reply.id}:promise`)).status).toBe(303);
    // The organisation is planned again at once, not at the next hourly evaluation.
    expect(await evaluations()).toBe(asked + 1);
    const [promise] = await db()
      .select()
      .from(paymentPromises)
      .where(eq(paymentPromises.customerId, reply.customerId));
    expect(promise).toMatchObject({ promisedDate: dayFromToday(20), source: 'reply', status: 'open' });
    expect(promise?.invoiceIds).toHaveLength(1);
    expect((await replyOf('Will Pay')).readAt).not.toBeNull();
    const summaries = (
      await db().select().from(activityLog).where(eq(activityLog.customerId, reply.customerId))
    ).map((entry) => entry.summary);
    expect(
      summaries.some((summary) => summary.startsWith('The customer (by email reply) promised to pay')),
    ).toBe(true);
    // Chasing waits for the promise: the evaluation a week on plans no email for this debtor.
    const messagesBefore = await db()
      .select()
      .from(outboundMessages)
      .where(eq(outboundMessages.customerId, reply.customerId));
    await evaluateOrganisation(db(), orgId, {
      now: new Date(firstEvaluation.getTime() + 8 * 86_400_000),
      render,
    });
    const messagesAfter = await db()
      .select()
      .from(outboundMessages)
      .where(eq(outboundMessages.customerId, reply.customerId));
    expect(messagesAfter).toHaveLength(messagesBefore.length);
  });

  it("opens a dispute with the debtor's own words, which keeps chasing paused", async () => {
    const reply = await replyOf('Broken Goods');
    expect((await review(`reply:${reply.id}:dispute`)).status).toBe(303);
    const [dispute] = await db().select().from(disputes).where(eq(disputes.customerId, reply.customerId));
    expect(dispute).toMatchObject({ source: 'reply', reason: 'other' });
    expect(dispute?.message).toContain('The goods arrived broken, we dispute this invoice.');
    expect((await replyOf('Broken Goods')).readAt).not.toBeNull();
  });

  it('stops emails to a debtor who asked for no more', async () => {
    const reply = await replyOf('No More');
    expect((await review(`reply:${reply.id}:stop`)).status).toBe(303);
    expect((await customerNamed('No More')).optedOutAt).not.toBeNull();
    const [entry] = await db()
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.customerId, reply.customerId), eq(activityLog.kind, 'email.opted_out')));
    expect(entry?.details).toMatchObject({ via: 'reply', replyId: reply.id });
  });

  it('refuses a click the reply does not offer, and changes nothing', async () => {
    const reply = await replyOf('Says Paid');
    const refused = await review(`reply:${reply.id}:promise`);
    expect(refused.text).toContain('That action is not one this reply offers.');
    expect((await replyOf('Says Paid')).readAt).toBeNull();
    expect(
      await db().select().from(paymentPromises).where(eq(paymentPromises.customerId, reply.customerId)),
    ).toEqual([]);
    // A reply already acted on cannot be acted on twice.
    const done = await replyOf('Will Pay');
    const again = await review(`reply:${done.id}:promise`);
    expect(again.text).toContain('No such unread reply.');
  });
});
