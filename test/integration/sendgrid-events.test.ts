import { generateKeyPairSync, sign } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import type { RenderEmail } from '../../src/collections/apply-plan.js';
import { evaluateOrganisation } from '../../src/collections/evaluate.js';
import { activityLog, customerContacts, customers, outboundMessages } from '../../src/db/schema/index.js';
import { weekdayAt } from '../helpers/calendar.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';

/** Noon UTC on a working day, today or the next (the organisation's zone is UTC): inside the default sending window. */
const firstEvaluation = weekdayAt(0, 12);
const nextWeek = new Date(firstEvaluation.getTime() + 7 * 86_400_000);
const dayFromToday = (offset: number) =>
  new Date(firstEvaluation.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
const seed: CompanySeed = {
  name: 'Bounces Ltd',
  homeCurrency: 'USD',
  customers: [
    { id: '1', displayName: 'Gone Away', email: 'ap@gone.example' },
    { id: '2', displayName: 'Not Interested', email: 'ap@annoyed.example' },
    { id: '3', displayName: 'Still Listening', email: 'ap@listening.example' },
  ],
  invoices: [
    { id: '81', customerId: '1', total: 50_000, status: 'overdue', dueDate: dayFromToday(-10) },
    { id: '82', customerId: '2', total: 70_000, status: 'overdue', dueDate: dayFromToday(-10) },
    { id: '83', customerId: '3', total: 90_000, status: 'overdue', dueDate: dayFromToday(-10) },
  ],
};
const render: RenderEmail = async () => ({ subject: 's', html: 'h', text: 't' });
const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const shownKey = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');

describe('the SendGrid event webhook', () => {
  let qbo: QuickBooksHarness;
  let orgId: string;
  const messageFor = new Map<string, string>();

  const post = (events: unknown, signing: 'valid' | 'forged' | 'stale' = 'valid') => {
    const body = Buffer.from(JSON.stringify(events));
    const seconds = Math.floor(Date.now() / 1000) - (signing === 'stale' ? 3600 : 5);
    const timestamp = String(seconds);
    const signedBytes = Buffer.concat([
      Buffer.from(timestamp),
      signing === 'forged' ? Buffer.from('[]') : body,
    ]);
    return fetch(`${qbo.runtime.url}/webhooks/sendgrid`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-twilio-email-event-webhook-signature': sign('sha256', signedBytes, privateKey).toString('base64'),
        'x-twilio-email-event-webhook-timestamp': timestamp,
      },
      body,
    });
  };
  const event = (customerName: string, fields: Record<string, unknown>) => ({
    timestamp: Math.floor(Date.now() / 1000) - 30,
    sg_event_id: `${customerName}-${String(fields['event'])}`,
    sg_message_id: 'abc.filter-1',
    dunwell_message_id: messageFor.get(customerName),
    dunwell_org_id: orgId,
    ...fields,
  });

  beforeAll(async () => {
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed, { SENDGRID_WEBHOOK_PUBLIC_KEY: shownKey });
    ({ orgId } = await qbo.connectAndSync());
    const db = qbo.runtime.database.db;
    await evaluateOrganisation(db, orgId, { now: firstEvaluation, render });
    const queued = await db
      .select({ id: outboundMessages.id, name: customers.name })
      .from(outboundMessages)
      .innerJoin(customers, eq(customers.id, outboundMessages.customerId));
    for (const row of queued) messageFor.set(row.name, row.id);
    // They went out through SendGrid then (its events about them are what this file posts).
    await db
      .update(outboundMessages)
      .set({ status: 'sent', sentAt: firstEvaluation })
      .where(eq(outboundMessages.orgId, orgId));
  }, 120_000);
  afterAll(() => qbo?.stop());

  it('refuses posts SendGrid did not sign, or signed long ago, and bodies it cannot read', async () => {
    expect(messageFor.size).toBe(3);
    const bounce = [event('Gone Away', { email: 'ap@gone.example', event: 'bounce', type: 'bounce' })];
    expect((await post(bounce, 'forged')).status).toBe(401);
    expect((await post(bounce, 'stale')).status).toBe(401);
    const malformed = await post({ not: 'an array' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: 'malformed_webhook' } });
    const [contact] = await qbo.runtime.database.db
      .select()
      .from(customerContacts)
      .where(eq(customerContacts.email, 'ap@gone.example'));
    expect(contact?.bouncedAt).toBeNull();
  });

  it('retires a hard-bounced address and opts out a customer who reports spam, once each', async () => {
    const events = [
      event('Gone Away', {
        email: 'AP@gone.example',
        event: 'bounce',
        type: 'bounce',
        reason: '550 5.1.1 The email account that you tried to reach does not exist',
      }),
      event('Not Interested', { email: 'ap@annoyed.example', event: 'spamreport' }),
      event('Not Interested', { email: 'ap@annoyed.example', event: 'delivered' }),
      // Not Dunwell's mail, or claiming another organisation: ignored.
      { ...event('Gone Away', { email: 'ap@gone.example', event: 'spamreport' }), dunwell_org_id: undefined },
      {
        ...event('Gone Away', { email: 'ap@gone.example', event: 'unsubscribe' }),
        dunwell_org_id: '00000000-0000-4000-8000-000000000000',
      },
    ];
    expect((await post(events)).status).toBe(200);
    expect((await post(events)).status).toBe(200); // SendGrid retries; nothing changes twice.

    const db = qbo.runtime.database.db;
    const people = await db.select().from(customers).where(eq(customers.orgId, orgId));
    const byName = new Map(people.map((person) => [person.name, person]));
    expect(byName.get('Not Interested')?.optedOutAt).toBeInstanceOf(Date);
    expect(byName.get('Gone Away')?.optedOutAt).toBeNull();
    const [goneContact] = await db
      .select()
      .from(customerContacts)
      .where(eq(customerContacts.customerId, byName.get('Gone Away')?.id ?? ''));
    expect(goneContact?.bouncedAt).toBeInstanceOf(Date);

    const logged = await db
      .select({ kind: activityLog.kind, customerId: activityLog.customerId, actor: activityLog.actor })
      .from(activityLog)
      .where(and(eq(activityLog.orgId, orgId)));
    const emailEntries = logged.filter((entry) => entry.kind.startsWith('email.'));
    expect(emailEntries).toEqual(
      expect.arrayContaining([
        { kind: 'email.bounced', customerId: byName.get('Gone Away')?.id, actor: 'system' },
        { kind: 'email.opted_out', customerId: byName.get('Not Interested')?.id, actor: 'debtor' },
      ]),
    );
    expect(emailEntries).toHaveLength(2);

    // Each message keeps its delivery state, for the timeline and the evidence pack.
    const sentMessages = await db.select().from(outboundMessages).where(eq(outboundMessages.orgId, orgId));
    const messageOf = (name: string) =>
      sentMessages.find((message) => message.customerId === byName.get(name)?.id);
    expect(messageOf('Not Interested')?.deliveredAt).toBeInstanceOf(Date);
    expect(messageOf('Gone Away')?.deliveryProblem).toMatch(/^bounced: 550 5\.1\.1/);
    expect(messageOf('Gone Away')?.deliveredAt).toBeNull();
  });

  it('writes again only to the customer whose address still works, at the next step', async () => {
    const db = qbo.runtime.database.db;
    await evaluateOrganisation(db, orgId, { now: nextWeek, render });
    const queued = await db
      .select({ name: customers.name })
      .from(outboundMessages)
      .innerJoin(customers, eq(customers.id, outboundMessages.customerId));
    const perCustomer = countBy(queued.map((row) => row.name));
    expect(perCustomer.get('Still Listening')).toBe(2);
    expect(perCustomer.get('Gone Away')).toBe(1);
    expect(perCustomer.get('Not Interested')).toBe(1);
  });

  it('never opts a customer out for an unsubscribe or spam report on a notice to the organisation about them', async () => {
    const db = qbo.runtime.database.db;
    const [third] = await db.select().from(customers).where(eq(customers.externalId, '3'));
    const [notice] = await db
      .insert(outboundMessages)
      .values({
        orgId,
        customerId: third?.id ?? '',
        purpose: 'notice',
        idempotencyKey: 'dispute:test:notice',
        to: [{ email: 'owner@organisation.example' }],
        subject: 'Dispute',
        template: 'dispute-notice',
        bodyText: 'A customer disputed an invoice.',
        bodyHtml: '<p>A customer disputed an invoice.</p>',
        status: 'sent',
      })
      .returning();
    const onNotice = (kind: string) => ({
      timestamp: Math.floor(Date.now() / 1000) - 20,
      sg_event_id: `notice-${kind}`,
      sg_message_id: 'notice.filter-1',
      dunwell_message_id: notice?.id,
      dunwell_org_id: orgId,
      email: 'owner@organisation.example',
      event: kind,
    });
    expect((await post([onNotice('spamreport'), onNotice('unsubscribe')])).status).toBe(200);
    const [after] = await db
      .select()
      .from(customers)
      .where(eq(customers.id, third?.id ?? ''));
    expect(after?.optedOutAt).toBeNull();
  });
});

function countBy(names: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts;
}
