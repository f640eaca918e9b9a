import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import type { RenderEmail } from '../../src/collections/apply-plan.js';
import { evaluateOrganisation } from '../../src/collections/evaluate.js';
import { loadOrganisationContext, loadSnapshots } from '../../src/collections/load-snapshots.js';
import {
  activityLog,
  customers,
  debtorReplies,
  inboundEmails,
  outboundMessages,
  ownerEvents,
} from '../../src/db/schema/index.js';
import { replyAddresses, replyAddressKey } from '../../src/domain/reply-address.js';
import { deliverMessage } from '../../src/messaging/delivery/deliver-message.js';
import type { DeliveryDeps } from '../../src/messaging/delivery/deps.js';
import { createLocalTransport } from '../../src/messaging/transport/local.js';
import { debtorTimeline } from '../../src/timeline/timeline.js';
import { weekdayAt } from '../helpers/calendar.js';
import { portalClient } from '../helpers/portal.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';
import { visibleText } from '../helpers/visible-text.js';
import { waitFor } from '../helpers/wait.js';

const secret = 'inbound-secret-0123456789abcdef';
const domain = 'in.dunwell.example';
/** Noon UTC on a working day, today or the next (the organisation's zone is UTC): inside the default sending window. */
const firstEvaluation = weekdayAt(0, 12);
const dayFromToday = (offset: number) =>
  new Date(firstEvaluation.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
const seed: CompanySeed = {
  name: 'Replies Ltd',
  homeCurrency: 'USD',
  customers: [
    { id: '1', displayName: 'Will Pay', email: 'ap@willpay.example' },
    { id: '2', displayName: 'Quiet One', email: 'ap@quiet.example' },
  ],
  invoices: [
    { id: '91', customerId: '1', total: 50_000, status: 'overdue', dueDate: dayFromToday(-10) },
    { id: '92', customerId: '2', total: 70_000, status: 'overdue', dueDate: dayFromToday(-10) },
  ],
};
const render: RenderEmail = async (_action, snapshot) => ({
  subject: `Reminder for ${snapshot.customerName}`,
  html: '<p>h</p>',
  text: 't',
});

describe("a debtor's reply to a reminder", () => {
  let qbo: QuickBooksHarness;
  let orgId: string;
  let owner: { cookie: string; csrf: string };
  const transport = createLocalTransport();
  const db = () => qbo.runtime.database.db;
  const addresses = () => replyAddresses(replyAddressKey(qbo.environment['SESSION_SECRET'] ?? ''), domain);
  const deps = (): DeliveryDeps => ({
    db: db(),
    ledger: qbo.runtime.ledger,
    transport,
    from: { email: 'reminders@dunwell.example', name: 'Replies Ltd' },
    links: portalClient(qbo).links,
    unsubscribeUrl: ({ id }) => `https://dunwell.example/opt-out/${id}`,
    now: () => new Date(),
    replyAddresses: addresses(),
  });
  const post = (fields: Record<string, string>) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    return fetch(`${qbo.runtime.url}/webhooks/sendgrid/inbound/${secret}`, { method: 'POST', body: form });
  };
  const customerNamed = async (name: string) =>
    (
      await db()
        .select()
        .from(customers)
        .where(and(eq(customers.orgId, orgId), eq(customers.name, name)))
    )[0];

  beforeAll(async () => {
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed, {
      INBOUND_EMAIL_SECRET: secret,
      INBOUND_REPLY_DOMAIN: domain,
    });
    const connected = await qbo.connectAndSync();
    orgId = connected.orgId;
    owner = { cookie: connected.cookie, csrf: connected.csrf };
    const result = await evaluateOrganisation(db(), orgId, { now: firstEvaluation, render });
    expect(result.emails).toBe(2);
  }, 120_000);
  afterAll(() => qbo?.stop());

  it('is sent with its own Reply-To, and the reply is matched, classified and told to the owner', async () => {
    const [message] = await db()
      .select()
      .from(outboundMessages)
      .where(eq(outboundMessages.subject, 'Reminder for Will Pay'));
    expect(await deliverMessage(deps(), message?.id ?? '')).toBe('sent');
    const replyTo = transport.sent()[0]?.replyTo?.email ?? '';
    expect(replyTo).toMatch(/^reply\+[0-9a-f]{52}@in\.dunwell\.example$/);
    expect(addresses().messageIdIn(replyTo)).toEqual({ ok: true, messageId: message?.id });

    const response = await post({
      from: 'Ann <ap@willpay.example>',
      to: replyTo,
      subject: 'Re: Reminder for Will Pay',
      text: `We will pay on ${dayFromToday(7)}.\n\nOn Monday Replies Ltd wrote:\n> Reminder`,
      envelope: JSON.stringify({ to: [replyTo], from: 'ap@willpay.example' }),
    });
    expect(response.status).toBe(200);

    const customer = await customerNamed('Will Pay');
    const reply = await waitFor(
      async () => (await db().select().from(debtorReplies).where(eq(debtorReplies.orgId, orgId)))[0],
      { what: 'the reply to be processed' },
    );
    expect(reply).toMatchObject({
      customerId: customer?.id,
      messageId: message?.id,
      class: 'promise',
      promisedDate: dayFromToday(7),
      readAt: null,
    });
    const [entry] = await db()
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.orgId, orgId), eq(activityLog.kind, 'reply.received')));
    expect(entry?.customerId).toBe(customer?.id);
    expect(entry?.summary).toBe(`Will Pay replied promising to pay by ${dayFromToday(7)}`);
    expect(entry?.summary).not.toContain('On Monday');
    const [event] = await db()
      .select()
      .from(ownerEvents)
      .where(and(eq(ownerEvents.orgId, orgId), eq(ownerEvents.kind, 'reply')));
    expect(event?.customerId).toBe(customer?.id);
    const [email] = await db()
      .select()
      .from(inboundEmails)
      .where(eq(inboundEmails.id, reply.inboundEmailId ?? ''));
    expect(email).toMatchObject({ status: 'matched', orgId });
    // A reply is a response: the segments no longer count this debtor as unresponsive.
    const organisation = await loadOrganisationContext(db(), orgId);
    if (!organisation) throw new Error('no organisation');
    const [snapshot] = await loadSnapshots(db(), organisation, {
      customerIds: [customer?.id ?? ''],
      now: new Date(),
    });
    expect(snapshot?.history.lastResponseAt).toBe(reply.receivedAt.toISOString());
  });

  it('pauses the debtor who replied: the next evaluation plans nothing for them, and says why', async () => {
    const willPay = await customerNamed('Will Pay');
    const quiet = await customerNamed('Quiet One');
    const messagesOf = async (customerId: string) =>
      (await db().select().from(outboundMessages).where(eq(outboundMessages.customerId, customerId))).length;
    const [quietReminder] = await db()
      .select()
      .from(outboundMessages)
      .where(eq(outboundMessages.subject, 'Reminder for Quiet One'));
    expect(await deliverMessage(deps(), quietReminder?.id ?? '')).toBe('sent');
    const before = { willPay: await messagesOf(willPay?.id ?? ''), quiet: await messagesOf(quiet?.id ?? '') };
    // Two weeks on, the next step of the schedule is due for both debtors.
    const twoWeeksOn = new Date(firstEvaluation.getTime() + 14 * 86_400_000);
    await evaluateOrganisation(db(), orgId, { now: twoWeeksOn, render });
    expect(await messagesOf(willPay?.id ?? '')).toBe(before.willPay);
    expect(await messagesOf(quiet?.id ?? '')).toBeGreaterThan(before.quiet);

    const timeline = await debtorTimeline(db(), { orgId, customerId: willPay?.id ?? '' });
    expect(timeline.entries.map((entry) => entry.summary)).toContain(
      `Will Pay replied promising to pay by ${dayFromToday(7)}`,
    );
  });

  it('shows the unread reply once in the review queue, and "Mark as read" resumes chasing', async () => {
    const willPay = await customerNamed('Will Pay');
    const page = await fetch(`${qbo.runtime.url}/app/${orgId}/review`, {
      headers: { cookie: owner.cookie, accept: 'text/html' },
    });
    expect(page.status).toBe(200);
    const text = visibleText(await page.text());
    expect(text).toContain('Replies to read');
    expect(text).toContain('promises to pay');
    const promisedOn = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' }).format(
      new Date(`${dayFromToday(7)}T00:00:00Z`),
    );
    expect(text).toContain(`Record the promise to pay by ${promisedOn}`);
    expect(text).toContain(`We will pay on ${dayFromToday(7)}.`);
    expect(text).not.toContain('On Monday Replies Ltd wrote');
    expect(text.split('Mark as read').length - 1).toBe(1);

    const [reply] = await db().select().from(debtorReplies).where(eq(debtorReplies.orgId, orgId));
    const read = await fetch(`${qbo.runtime.url}/app/${orgId}/review`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: owner.cookie,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'text/html',
      },
      body: new URLSearchParams([
        ['_csrf', owner.csrf],
        ['act', `reply:${reply?.id}:read`],
      ]).toString(),
    });
    expect(read.status).toBe(303);
    const [after] = await db()
      .select()
      .from(debtorReplies)
      .where(eq(debtorReplies.id, reply?.id ?? ''));
    expect(after?.readAt).not.toBeNull();
    const [entry] = await db()
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.orgId, orgId), eq(activityLog.kind, 'reply.read')));
    expect(entry?.customerId).toBe(willPay?.id);

    const messagesOf = async () =>
      (
        await db()
          .select()
          .from(outboundMessages)
          .where(eq(outboundMessages.customerId, willPay?.id ?? ''))
      ).length;
    const before = await messagesOf();
    await evaluateOrganisation(db(), orgId, {
      now: new Date(firstEvaluation.getTime() + 14 * 86_400_000),
      render,
    });
    expect(await messagesOf()).toBeGreaterThan(before);
  });

  it('keeps a reply with a forged token or none, unmatched and routed nowhere', async () => {
    const [message] = await db()
      .select()
      .from(outboundMessages)
      .where(eq(outboundMessages.subject, 'Reminder for Quiet One'));
    const genuine = addresses().addressFor(message?.id ?? '');
    const forged = genuine.replace(/[0-9a-f]{20}@/, '00000000000000000000@');
    for (const to of [forged, 'accounts@replies.example']) {
      expect(
        (await post({ from: 'someone@elsewhere.example', to, text: 'We already paid this.' })).status,
      ).toBe(200);
    }
    const kept = await waitFor(
      async () => {
        const rows = await db().select().from(inboundEmails).where(eq(inboundEmails.status, 'unmatched'));
        return rows.length === 2 ? rows : undefined;
      },
      { what: 'the unmatched emails to be marked' },
    );
    expect(kept.map((row) => row.orgId)).toEqual([null, null]);
    const quiet = await customerNamed('Quiet One');
    expect(
      await db()
        .select()
        .from(debtorReplies)
        .where(eq(debtorReplies.customerId, quiet?.id ?? '')),
    ).toEqual([]);
  });

  it('records a reply SendGrid posts twice once, by its Message-ID, the second kept as a duplicate', async () => {
    const [message] = await db()
      .select()
      .from(outboundMessages)
      .where(eq(outboundMessages.subject, 'Reminder for Quiet One'));
    const quiet = await customerNamed('Quiet One');
    const repliesOf = async () =>
      db()
        .select()
        .from(debtorReplies)
        .where(eq(debtorReplies.customerId, quiet?.id ?? ''));
    const before = (await repliesOf()).length;
    const fields = {
      from: 'ap@quiet.example',
      to: addresses().addressFor(message?.id ?? ''),
      subject: 'Re: Reminder for Quiet One',
      text: 'The goods never arrived, we dispute this.',
      headers: 'Message-ID: <dispute-1@quiet.example>\r\nSubject: Re: Reminder for Quiet One',
    };
    expect((await post(fields)).status).toBe(200);
    expect((await post(fields)).status).toBe(200);
    const kept = await waitFor(
      async () => {
        const rows = await db()
          .select()
          .from(inboundEmails)
          .where(eq(inboundEmails.messageId, 'dispute-1@quiet.example'));
        return rows.every((row) => row.status !== 'received') && rows.length === 2 ? rows : undefined;
      },
      { what: 'both posts to be processed' },
    );
    expect(kept.map((row) => row.status).sort()).toEqual(['duplicate', 'matched']);
    expect((await repliesOf()).length).toBe(before + 1);
    await db()
      .update(debtorReplies)
      .set({ readAt: new Date() })
      .where(eq(debtorReplies.customerId, quiet?.id ?? ''));
  });
});
