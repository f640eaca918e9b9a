import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import { TwilioEmulator } from '../../emulators/twilio/index.js';
import type { RenderEmail } from '../../src/collections/apply-plan.js';
import { evaluateOrganisation } from '../../src/collections/evaluate.js';
import { loadOrganisationContext, loadSnapshots } from '../../src/collections/load-snapshots.js';
import { plan } from '../../src/collections/plan.js';
import { policyOf, savePolicy } from '../../src/collections/policy-versions.js';
import {
  activityLog,
  customers,
  ledgerWrites,
  outboundMessages,
  smsMessages,
} from '../../src/db/schema/index.js';
import { defaultPolicy, type ReminderVia } from '../../src/domain/policy.js';
import { evidencePack } from '../../src/evidence/evidence-pack.js';
import { deliverMessage } from '../../src/messaging/delivery/deliver-message.js';
import type { DeliveryDeps } from '../../src/messaging/delivery/deps.js';
import { optOutNumber, recordPhoneConsent } from '../../src/messaging/sms/phones.js';
import { createLocalTransport, type LocalTransport } from '../../src/messaging/transport/local.js';
import { weekdayAt } from '../helpers/calendar.js';
import { pdfText } from '../helpers/pdf-text.js';
import { portalClient } from '../helpers/portal.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';

const accountSid = `AC${randomBytes(16).toString('hex')}`;
const authToken = randomBytes(16).toString('hex');
const from = '+15005550006';
/** Noon UTC on a working day (the organisation's zone is UTC): inside the sending window and texting hours. */
const noon = weekdayAt(1, 12);
const dayMs = 86_400_000;
const dueDate = new Date(noon.getTime() - 3 * dayMs).toISOString().slice(0, 10);
const names = [
  'By Text',
  'Both Ways',
  'No Consent',
  'Opted Out',
  'Late Evening',
  'Stopped',
  'Stopped No Email',
];
const seed: CompanySeed = {
  name: 'Text Co',
  homeCurrency: 'GBP',
  country: 'GB',
  customers: names.map((displayName, index) => ({
    id: String(index + 1),
    displayName,
    email: `ap@${index + 1}.example`,
  })),
  invoices: names.map((_, index) => ({
    id: String(100 + index),
    customerId: String(index + 1),
    total: 12_000,
    status: 'overdue' as const,
    dueDate,
  })),
};
const render: RenderEmail = async (_action, snapshot) => ({
  subject: `Reminder for ${snapshot.customerName}`,
  html: '<p>h</p>',
  text: 't',
});

describe('reminders by text, by email and text, and by email when a text cannot go', () => {
  let qbo: QuickBooksHarness;
  let twilio: TwilioEmulator;
  let orgId: string;
  let transport: LocalTransport;
  const phones = new Map(names.map((name, index) => [name, `+4477009001${String(index).padStart(2, '0')}`]));
  const db = () => qbo.runtime.database.db;
  const deps = (now: Date): DeliveryDeps => {
    const sms = qbo.runtime.sms;
    if (!sms) throw new Error('texts are off');
    return {
      db: db(),
      ledger: qbo.runtime.ledger,
      transport,
      sms: sms.deps,
      from: { email: 'reminders@dunwell.example', name: 'Text Co' },
      links: portalClient(qbo).links,
      unsubscribeUrl: ({ id }) => `https://dunwell.example/opt-out/${id}`,
      now: () => now,
    };
  };
  const customerNamed = async (name: string) => {
    const [customer] = await db()
      .select()
      .from(customers)
      .where(and(eq(customers.orgId, orgId), eq(customers.name, name)));
    if (!customer) throw new Error(`no customer ${name}`);
    return customer;
  };
  const messageOf = async (name: string) => {
    const [message] = await db()
      .select()
      .from(outboundMessages)
      .where(eq(outboundMessages.customerId, (await customerNamed(name)).id));
    if (!message) throw new Error(`no reminder for ${name}`);
    return message;
  };
  const textsTo = (name: string) => twilio.messages().filter((text) => text.to === phones.get(name));
  const emailsTo = (name: string) =>
    transport
      .sent()
      .filter((email) =>
        email.to.some((address) => address.email === `ap@${names.indexOf(name) + 1}.example`),
      );
  const deliver = async (name: string, at = noon) => deliverMessage(deps(at), (await messageOf(name)).id);

  beforeAll(async () => {
    twilio = new TwilioEmulator({ accountSid, authToken, phoneNumbers: [from] });
    await twilio.listen(0);
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed, {
      TWILIO_ACCOUNT_SID: accountSid,
      TWILIO_AUTH_TOKEN: authToken,
      TWILIO_FROM: from,
      TWILIO_EMULATOR_URL: twilio.url,
    });
    ({ orgId } = await qbo.connectAndSync());
    const via: Record<string, ReminderVia> = { 'Both Ways': 'both' };
    // Every email step goes by text, except where `via` says otherwise, per customer: one policy,
    // so the customers differ in what is on record for them instead.
    await savePolicy(db(), {
      orgId,
      basedOnVersion: 0,
      policy: {
        ...defaultPolicy,
        steps: defaultPolicy.steps.map((step) =>
          step.action === 'email' ? { ...step, via: 'text', attachStatement: true } : step,
        ),
      },
      actor: 'test',
    });
    const ctx = {
      orgId,
      actor: { kind: 'person' as const, userId: '00000000-0000-4000-8000-000000000001' },
      db: db(),
      now: new Date(noon.getTime() - dayMs),
    };
    for (const name of names) {
      if (name === 'No Consent') continue;
      const customer = await customerNamed(name);
      const recorded = await recordPhoneConsent(ctx, {
        customerId: customer.id,
        phone: phones.get(name) ?? '',
        source: 'written',
        method: 'signed the credit application',
      });
      expect(recorded.ok).toBe(true);
    }
    await db()
      .update(customers)
      .set({ optedOutAt: new Date(noon.getTime() - dayMs) })
      .where(and(eq(customers.orgId, orgId), eq(customers.name, 'Opted Out')));
    await db()
      .update(customers)
      .set({ optedOutAt: new Date(noon.getTime() - dayMs) })
      .where(and(eq(customers.orgId, orgId), eq(customers.name, 'Stopped No Email')));
    // One policy per organisation, so "Both Ways" is planned by text like the others and its reminder
    // is then made one of both channels (the planner's choice of both is unit-tested).
    const result = await evaluateOrganisation(db(), orgId, { now: noon, render });
    expect(result.emails).toBe(names.length);
    for (const [name, choice] of Object.entries(via))
      await db()
        .update(outboundMessages)
        .set({ via: choice })
        .where(eq(outboundMessages.customerId, (await customerNamed(name)).id));
  }, 120_000);
  afterAll(async () => {
    await qbo?.stop();
    await twilio?.close();
  });

  it('texts a debtor with consent on record instead of emailing, once, with the amount and the portal link', async () => {
    transport = createLocalTransport();
    expect(await deliver('By Text')).toBe('sent');
    expect(await deliver('By Text')).toBe('not_due');
    expect(emailsTo('By Text')).toEqual([]);
    const [text] = textsTo('By Text');
    expect(textsTo('By Text')).toHaveLength(1);
    expect(text?.body).toMatch(/^Text Co: £120(\.00)? overdue since \d{1,2} \w{3}\b/);
    expect(text?.body).toContain('/portal/');
    expect(text?.body).toContain('STOP');
    const message = await messageOf('By Text');
    expect(message).toMatchObject({ status: 'sent', via: 'text' });
    const [entry] = await db()
      .select()
      .from(activityLog)
      .where(
        and(eq(activityLog.kind, 'reminder.sent'), eq(activityLog.customerId, message.customerId ?? '')),
      );
    expect(entry?.summary).toBe(`Texted "Reminder for By Text" to ${phones.get('By Text')}`);
    expect(entry?.details).toMatchObject({ channels: ['text'] });
    // The evidence pack shows the text with its channel, number and words, and no email that never went.
    const pack = await evidencePack(db(), orgId, message.customerId ?? '');
    const contacts = pack?.timeline.filter((line) => line.channel !== 'record' && line.channel !== 'ledger');
    expect(contacts?.map((line) => [line.type, line.channel])).toEqual(
      expect.arrayContaining([
        ['reminder.sent', 'text'],
        [expect.stringMatching(/^text\./), 'text'],
      ]),
    );
    expect(
      contacts?.filter((line) => line.channel === 'email').map((line) => [line.type, line.detail]),
    ).toEqual([]);
    expect(pack?.timeline.find((line) => line.type.startsWith('text.'))?.detail).toBe(
      `To ${phones.get('By Text')} — ${text?.body}`,
    );
    const writes = await db().select().from(ledgerWrites).where(eq(ledgerWrites.orgId, orgId));
    const note = writes.find((write) => write.idempotencyKey.startsWith(`note:${message.idempotencyKey}`));
    expect(String(note?.payload['text'])).toMatch(
      new RegExp(
        `^Dunwell \\d{4}-\\d{2}-\\d{2}: texted "Reminder for By Text" to \\${phones.get('By Text')}\\.$`,
      ),
    );
  });

  it('sends a reminder by email and by text at once, as one contact', async () => {
    transport = createLocalTransport();
    expect(await deliver('Both Ways')).toBe('sent');
    expect(textsTo('Both Ways')).toHaveLength(1);
    expect(emailsTo('Both Ways')).toHaveLength(1);
    const [entry] = await db()
      .select()
      .from(activityLog)
      .where(
        and(
          eq(activityLog.kind, 'reminder.sent'),
          eq(activityLog.customerId, (await customerNamed('Both Ways')).id),
        ),
      );
    expect(entry?.summary).toBe(
      `Sent "Reminder for Both Ways" to ap@2.example and texted it to ${phones.get('Both Ways')}`,
    );
  });

  it('emails a debtor with no consent on record, and says why it did not text', async () => {
    transport = createLocalTransport();
    const message = await messageOf('No Consent');
    expect(message.via).toBe('email');
    expect(await deliver('No Consent')).toBe('sent');
    expect(emailsTo('No Consent')).toHaveLength(1);
    // The step asks for the statement of account with the reminder: it goes with the email.
    const [statement] = emailsTo('No Consent')[0]?.attachments ?? [];
    expect(statement?.contentType).toBe('application/pdf');
    const pdf = await pdfText(Buffer.from(statement?.contentBase64 ?? '', 'base64'));
    expect(pdf).toContain('Statement of account');
    expect(pdf).toContain('No Consent');
    expect(textsTo('No Consent')).toEqual([]);
    expect(
      await db()
        .select()
        .from(smsMessages)
        .where(eq(smsMessages.customerId, message.customerId ?? '')),
    ).toEqual([]);
  });

  it('texts a debtor who opted out of emails, and never emails them', async () => {
    transport = createLocalTransport();
    const message = await messageOf('Opted Out');
    expect(message).toMatchObject({ via: 'text', to: [] });
    expect(await deliver('Opted Out')).toBe('sent');
    expect(textsTo('Opted Out')).toHaveLength(1);
    expect(transport.sent()).toEqual([]);
  });

  it("waits for the debtor's texting hours: nothing goes at 22:00, the reminder goes in the morning", async () => {
    transport = createLocalTransport();
    const evening = new Date(noon.getTime() + 10 * 3_600_000);
    expect(await deliver('Late Evening', evening)).toBe('not_due');
    expect(textsTo('Late Evening')).toEqual([]);
    const waiting = await messageOf('Late Evening');
    expect(waiting.status).toBe('pending');
    expect(waiting.sendAfter.getTime()).toBeGreaterThan(evening.getTime());
    expect(waiting.sendAfter.getUTCHours()).toBe(8);
    expect(await deliver('Late Evening', waiting.sendAfter)).toBe('sent');
    expect(textsTo('Late Evening')).toHaveLength(1);
    expect(transport.sent()).toEqual([]);
  });

  it('emails instead when the number texted STOP after the reminder was planned', async () => {
    transport = createLocalTransport();
    await optOutNumber(db(), phones.get('Stopped') ?? '', { at: noon, source: 'keyword', details: {} });
    expect(await deliver('Stopped')).toBe('sent');
    expect(textsTo('Stopped')).toEqual([]);
    expect(emailsTo('Stopped')).toHaveLength(1);
    const [entry] = await db()
      .select()
      .from(activityLog)
      .where(
        and(
          eq(activityLog.kind, 'reminder.sent'),
          eq(activityLog.customerId, (await customerNamed('Stopped')).id),
        ),
      );
    expect(entry?.summary).toBe(
      'Sent "Reminder for Stopped" to ap@6.example (by email: not texted, the number opted out of texts)',
    );
  });

  it('sends nothing, and plans afresh, when a debtor who takes no emails texted STOP', async () => {
    transport = createLocalTransport();
    await optOutNumber(db(), phones.get('Stopped No Email') ?? '', {
      at: noon,
      source: 'keyword',
      details: {},
    });
    expect(await deliver('Stopped No Email')).toBe('cancelled');
    expect(textsTo('Stopped No Email')).toEqual([]);
    expect(transport.sent()).toEqual([]);
    const next = await evaluateOrganisation(db(), orgId, {
      now: new Date(noon.getTime() + 3_600_000),
      render,
    });
    expect(next.emails).toBe(0);
  });

  it('counts a text as a contact: the next reminder waits out the cap, then goes', async () => {
    const customer = await customerNamed('By Text');
    const org = await loadOrganisationContext(db(), orgId);
    if (!org) throw new Error('no organisation');
    const beforeCap = new Date(noon.getTime() + (defaultPolicy.minDaysBetweenContacts - 1) * dayMs);
    const [snapshot] = await loadSnapshots(db(), org, { customerIds: [customer.id], now: beforeCap });
    if (!snapshot) throw new Error('no snapshot');
    expect(snapshot.textable).toBe(true);
    const held = plan(snapshot, await policyOf(db(), orgId), beforeCap);
    expect(held.actions).toEqual([]);
    expect(held.notes.join(' ')).toContain('contact cap');
    const capOver = new Date(noon.getTime() + defaultPolicy.minDaysBetweenContacts * dayMs);
    await evaluateOrganisation(db(), orgId, { now: capOver, render });
    const reminders = await db()
      .select()
      .from(outboundMessages)
      .where(eq(outboundMessages.customerId, customer.id));
    expect(reminders.map((message) => message.via)).toEqual(['text', 'text']);
  });
});
