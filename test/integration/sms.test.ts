import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TwilioEmulator, twilioErrors } from '../../emulators/twilio/index.js';
import {
  activityLog,
  customerPhones,
  customers,
  inboundSms,
  ledgerConnections,
  organisations,
  smsMessages,
  smsStatusEvents,
} from '../../src/db/schema/index.js';
import { createLogger } from '../../src/logger.js';
import { recordPhoneConsent } from '../../src/messaging/sms/phones.js';
import { sendText } from '../../src/messaging/sms/send.js';
import type { ServiceContext } from '../../src/services/context.js';
import { type DunwellUnderTest, startDunwell } from '../helpers/dunwell-harness.js';

const accountSid = `AC${randomBytes(16).toString('hex')}`;
const authToken = randomBytes(16).toString('hex');
const from = '+15005550006';

describe('text messages through the real twilio library and the Twilio emulator', () => {
  let twilio: TwilioEmulator;
  let dunwell: DunwellUnderTest;
  let orgId: string;
  const lines: string[] = [];
  let otherOrgId: string;
  const db = () => dunwell.runtime.database.db;
  const deps = () => {
    const sms = dunwell.runtime.sms;
    if (!sms) throw new Error('SMS is off');
    return sms.deps;
  };
  const inboundUrl = () => `${dunwell.environment['PUBLIC_URL']}/webhooks/twilio/inbound`;
  const statusUrl = () => `${dunwell.environment['PUBLIC_URL']}/webhooks/twilio/status`;

  async function customerWithPhone(org: string, phone: string, name: string, consent = true) {
    const [connection] = await db().select().from(ledgerConnections).where(eq(ledgerConnections.orgId, org));
    const [customer] = await db()
      .insert(customers)
      .values({
        orgId: org,
        connectionId: connection?.id ?? '',
        externalId: `c-${name}-${randomBytes(4).toString('hex')}`,
        name,
      })
      .returning();
    const customerId = customer?.id ?? '';
    const ctx: ServiceContext = {
      orgId: org,
      actor: { kind: 'person', userId: '00000000-0000-4000-8000-000000000001' },
      db: db(),
      now: new Date(),
    };
    if (consent) {
      const recorded = await recordPhoneConsent(ctx, {
        customerId,
        phone,
        source: 'written',
        method: 'signed the credit application',
      });
      expect(recorded.ok).toBe(true);
    } else {
      await db().insert(customerPhones).values({ orgId: org, customerId, phone });
    }
    return customerId;
  }

  async function organisation(name: string, settings: Record<string, unknown> = {}) {
    const [org] = await db().insert(organisations).values({ name, currency: 'GBP', settings }).returning();
    await db()
      .insert(ledgerConnections)
      .values({
        orgId: org?.id ?? '',
        vendor: 'xero',
        tenantId: `t-${randomBytes(4).toString('hex')}`,
        status: 'active',
      });
    return org?.id ?? '';
  }

  const send = (customerId: string, key: string, org = orgId) =>
    sendText(deps(), {
      orgId: org,
      customerId,
      idempotencyKey: key,
      body: 'Acme: £120.00 overdue. Pay: https://x.example/p/abc',
      now: new Date(),
    });

  beforeAll(async () => {
    twilio = new TwilioEmulator({ accountSid, authToken, phoneNumbers: [from] });
    await twilio.listen(0);
    const capture = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    dunwell = await startDunwell(
      inject('adminUrl'),
      {
        TWILIO_ACCOUNT_SID: accountSid,
        TWILIO_AUTH_TOKEN: authToken,
        TWILIO_FROM: from,
        TWILIO_EMULATOR_URL: twilio.url,
        LOG_LEVEL: 'debug',
      },
      createLogger('debug', capture),
    );
    orgId = await organisation('Acme Plumbing', {
      contactEmail: 'accounts@acme.example',
      contactPhone: '+44 20 7946 0000',
    });
    otherOrgId = await organisation('Other Ltd');
  }, 60_000);
  afterAll(async () => {
    await dunwell?.stop();
    await twilio?.close();
  });

  it('sends once per idempotency key, and records queued → sent → delivered from the signed callbacks', async () => {
    const customerId = await customerWithPhone(orgId, '+447700900001', 'Ann');
    const first = await send(customerId, 'reminder-1');
    expect(first).toMatchObject({ status: 'sent', providerStatus: 'queued', segments: 1 });
    const again = await send(customerId, 'reminder-1');
    expect(again).toMatchObject({ status: 'duplicate' });
    expect(twilio.messages().filter((message) => message.to === '+447700900001')).toHaveLength(1);

    if (first.status !== 'sent') throw new Error('not sent');
    await twilio.settle();
    const [row] = await db().select().from(smsMessages).where(eq(smsMessages.id, first.smsId));
    expect(row).toMatchObject({ status: 'delivered', providerSid: first.sid, toPhone: '+447700900001' });
    const history = await db().select().from(smsStatusEvents).where(eq(smsStatusEvents.smsId, first.smsId));
    expect(history.map((event) => event.status).sort()).toEqual(['delivered', 'queued', 'sent']);
    expect(twilio.callbacksOf(first.sid).map((callback) => callback.status)).toEqual([200, 200]);
    const timeline = await db().select().from(activityLog).where(eq(activityLog.customerId, customerId));
    expect(timeline.map((entry) => entry.kind)).toEqual(
      expect.arrayContaining(['sms.consent_recorded', 'sms.sent', 'sms.delivered']),
    );
  });

  it('a replayed callback changes nothing, and a late "sent" does not move a delivered text back', async () => {
    const customerId = await customerWithPhone(orgId, '+447700900002', 'Bob');
    const sent = await send(customerId, 'reminder-replay');
    if (sent.status !== 'sent') throw new Error('not sent');
    await twilio.settle();
    const [sentCallback, deliveredCallback] = twilio.callbacksOf(sent.sid);
    const before = await db().select().from(smsStatusEvents).where(eq(smsStatusEvents.smsId, sent.smsId));
    const timelineBefore = await db()
      .select()
      .from(activityLog)
      .where(eq(activityLog.customerId, customerId));
    expect(await twilio.replay(deliveredCallback ?? fail())).toBe(200);
    expect(await twilio.replay(sentCallback ?? fail())).toBe(200);
    expect(await db().select().from(smsStatusEvents).where(eq(smsStatusEvents.smsId, sent.smsId))).toEqual(
      before,
    );
    expect(await db().select().from(activityLog).where(eq(activityLog.customerId, customerId))).toEqual(
      timelineBefore,
    );
    const [row] = await db().select().from(smsMessages).where(eq(smsMessages.id, sent.smsId));
    expect(row?.status).toBe('delivered');
  });

  it('records an undelivered text with its error code', async () => {
    const customerId = await customerWithPhone(orgId, '+447700900003', 'Cat');
    twilio.endWith('+447700900003', 'undelivered', 30003);
    const sent = await send(customerId, 'reminder-undelivered');
    if (sent.status !== 'sent') throw new Error('not sent');
    await twilio.settle();
    const [row] = await db().select().from(smsMessages).where(eq(smsMessages.id, sent.smsId));
    expect(row).toMatchObject({ status: 'undelivered', errorCode: 30003 });
  });

  it('refuses a forged or missing signature with 403 and stores nothing; a malformed body gets 400', async () => {
    const params = new URLSearchParams({
      MessageSid: `SM${'0'.repeat(32)}`,
      From: '+447700900009',
      To: from,
      Body: 'STOP',
      AccountSid: accountSid,
    });
    const post = (headers: Record<string, string>, body = params.toString()) =>
      fetch(inboundUrl(), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body,
      });
    expect((await post({})).status).toBe(403);
    expect((await post({ 'x-twilio-signature': 'Zm9yZ2VkIHNpZ25hdHVyZQ==' })).status).toBe(403);
    const statusForged = await fetch(statusUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'Zm9yZ2Vk' },
      body: 'MessageSid=SM00&MessageStatus=delivered',
    });
    expect(statusForged.status).toBe(403);
    const json = await fetch(inboundUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(400);
    const tooBig = await post({}, `Body=${'a'.repeat(20_000)}`);
    expect(tooBig.status).toBe(413);
    expect(await db().select().from(inboundSms).where(eq(inboundSms.fromPhone, '+447700900009'))).toEqual([]);
  });

  it('STOP opts the number out of texts (not emails) for every customer holding it; sends are refused; START opts back in', async () => {
    const phone = '+447700900004';
    const customerId = await customerWithPhone(orgId, phone, 'Dan');
    const elsewhere = await customerWithPhone(otherOrgId, phone, 'Dan at Other');
    expect((await send(customerId, 'before-stop')).status).toBe('sent');
    await twilio.settle();

    const stop = await twilio.inbound(inboundUrl(), { from: phone, body: 'Stop' });
    expect(stop.status).toBe(200);
    expect(stop.contentType).toContain('text/xml');
    expect(stop.replies).toHaveLength(1); // Twilio's own confirmation, nothing of ours
    const phones = await db().select().from(customerPhones).where(eq(customerPhones.phone, phone));
    expect(phones.map((row) => row.smsOptOutSource)).toEqual(['keyword', 'keyword']);
    const [customer] = await db().select().from(customers).where(eq(customers.id, customerId));
    expect(customer?.optedOutAt).toBeNull(); // emails go on
    const optOuts = await db()
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.kind, 'sms.opted_out'), eq(activityLog.customerId, customerId)));
    expect(optOuts).toHaveLength(1);
    const [stored] = await db().select().from(inboundSms).where(eq(inboundSms.providerSid, stop.sid));
    expect(stored).toMatchObject({ keyword: 'stop', status: 'processed', orgId, customerId });

    // Dunwell no longer asks; and the emulator refuses the number with 21610 as Twilio would.
    expect(await send(customerId, 'after-stop')).toEqual({ status: 'not_allowed', reason: 'opted_out' });
    expect(await send(elsewhere, 'after-stop', otherOrgId)).toEqual({
      status: 'not_allowed',
      reason: 'opted_out',
    });
    expect(twilio.isOptedOut(phone)).toBe(true);

    const start = await twilio.inbound(inboundUrl(), { from: phone, body: 'START' });
    expect(start.status).toBe(200);
    const after = await db().select().from(customerPhones).where(eq(customerPhones.phone, phone));
    expect(after.map((row) => row.smsOptedOutAt)).toEqual([null, null]);
    expect((await send(customerId, 'after-start')).status).toBe('sent');
  });

  it('a number Twilio refuses as unsubscribed (21610) is recorded as opted out, and the text as refused', async () => {
    const phone = '+447700900005';
    const customerId = await customerWithPhone(orgId, phone, 'Eve');
    twilio.failNext(twilioErrors.unsubscribed());
    const refused = await send(customerId, 'carrier-stop');
    expect(refused).toMatchObject({ status: 'refused', code: 21610 });
    const [row] = await db().select().from(customerPhones).where(eq(customerPhones.phone, phone));
    expect(row?.smsOptOutSource).toBe('carrier');
    // The same key is not tried again.
    expect(await send(customerId, 'carrier-stop')).toMatchObject({
      status: 'duplicate',
      smsStatus: 'refused',
    });
  });

  it("HELP answers with the organisation's contact details as TwiML, and free text is on the timeline", async () => {
    const phone = '+447700900006';
    const customerId = await customerWithPhone(orgId, phone, 'Fay');
    expect((await send(customerId, 'help-first')).status).toBe('sent');
    const help = await twilio.inbound(inboundUrl(), { from: phone, body: 'help' });
    expect(help.status).toBe(200);
    expect(help.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Response><Message>/);
    expect(help.replies).toEqual([
      'Acme Plumbing: payment reminders. Questions: +44 20 7946 0000 or accounts@acme.example. Reply STOP to opt out.',
    ]);
    const text = await twilio.inbound(inboundUrl(), { from: phone, body: 'Paid yesterday, thanks' });
    expect(text.replies).toEqual([]);
    const kinds = (await db().select().from(activityLog).where(eq(activityLog.customerId, customerId))).map(
      (entry) => entry.kind,
    );
    expect(kinds).toEqual(expect.arrayContaining(['sms.help', 'sms.received']));
  });

  it('texts only numbers with consent on record, and says why not', async () => {
    const customerId = await customerWithPhone(orgId, '+447700900007', 'Gus', false);
    expect(await send(customerId, 'no-consent')).toEqual({ status: 'not_allowed', reason: 'no_consent' });
    const [connection] = await db()
      .select()
      .from(ledgerConnections)
      .where(eq(ledgerConnections.orgId, orgId));
    const [bare] = await db()
      .insert(customers)
      .values({ orgId, connectionId: connection?.id ?? '', externalId: 'c-bare', name: 'No phone' })
      .returning();
    expect(await send(bare?.id ?? '', 'no-phone')).toEqual({ status: 'not_allowed', reason: 'no_phone' });
    expect(twilio.messages().some((message) => message.to === '+447700900007')).toBe(false);
  });

  it('holds a text outside the debtor’s hours, and says when it may go', async () => {
    const customerId = await customerWithPhone(orgId, '+447700900008', 'Hal');
    const night = await sendText(deps(), {
      orgId,
      customerId,
      idempotencyKey: 'night',
      body: 'Hello',
      now: new Date('2026-01-14T22:00:00Z'),
      hours: { timeZone: 'Europe/London' },
    });
    expect(night).toEqual({
      status: 'not_allowed',
      reason: 'quiet_hours',
      notBefore: new Date('2026-01-15T08:00:00Z'),
    });
  });

  it('writes neither the auth token, the Basic credentials nor a signature to the log, and redacts them by key', () => {
    const log = lines.join('');
    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toContain(authToken);
    expect(log).not.toContain(Buffer.from(`${accountSid}:${authToken}`).toString('base64'));
    for (const message of twilio.messages())
      for (const callback of twilio.callbacksOf(message.sid)) expect(log).not.toContain(callback.signature);
    const written: string[] = [];
    const probe = createLogger(
      'info',
      new Writable({
        write(chunk, _encoding, done) {
          written.push(String(chunk));
          done();
        },
      }),
    );
    probe.info(
      {
        sms: { authToken },
        env: { TWILIO_AUTH_TOKEN: authToken },
        headers: { 'x-twilio-signature': 'c2lnbmVk' },
      },
      'probe',
    );
    probe.info(`Authorization: Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`);
    expect(written.join('')).not.toContain(authToken);
    expect(written.join('')).not.toContain('c2lnbmVk');
    expect(written.join('')).not.toContain(Buffer.from(`${accountSid}:${authToken}`).toString('base64'));
  });
});

function fail(): never {
  throw new Error('missing callback');
}
