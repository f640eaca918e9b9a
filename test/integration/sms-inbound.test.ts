import { randomBytes, randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { TwilioEmulator } from '../../emulators/twilio/index.js';
import { twilioSignature } from '../../emulators/twilio/signature.js';
import {
  activityLog,
  customerPhones,
  customers,
  inboundSms,
  ledgerConnections,
  organisations,
} from '../../src/db/schema/index.js';
import { processInboundTextsJob } from '../../src/jobs/definitions/process-inbound-texts.js';
import type { JobDeps } from '../../src/jobs/deps.js';
import { createLogger } from '../../src/logger.js';
import { recordPhoneConsent } from '../../src/messaging/sms/phones.js';
import { sendText } from '../../src/messaging/sms/send.js';
import { type DunwellUnderTest, startDunwell } from '../helpers/dunwell-harness.js';

const accountSid = `AC${randomBytes(16).toString('hex')}`;
const authToken = randomBytes(16).toString('hex');
const from = '+15005550006';

describe('incoming texts: HELP names who texted last, and what fails after storing is retried', () => {
  let twilio: TwilioEmulator;
  let dunwell: DunwellUnderTest;
  let acme: string;
  let other: string;
  let bare: string;
  const db = () => dunwell.runtime.database.db;
  const inboundUrl = () => `${dunwell.environment['PUBLIC_URL']}/webhooks/twilio/inbound`;
  const runJob = () =>
    processInboundTextsJob.handle(
      {},
      {
        jobId: randomUUID(),
        retryCount: 0,
        logger: createLogger('silent'),
        signal: new AbortController().signal,
        deps: { db: db() } as JobDeps,
      },
    );

  async function organisation(name: string, settings: Record<string, unknown> = {}) {
    const [org] = await db().insert(organisations).values({ name, currency: 'GBP', settings }).returning();
    const orgId = org?.id ?? '';
    await db()
      .insert(ledgerConnections)
      .values({ orgId, vendor: 'xero', tenantId: `t-${randomBytes(4).toString('hex')}`, status: 'active' });
    return orgId;
  }

  async function customerWithPhone(orgId: string, phone: string, name: string) {
    const [connection] = await db()
      .select()
      .from(ledgerConnections)
      .where(eq(ledgerConnections.orgId, orgId));
    const [customer] = await db()
      .insert(customers)
      .values({ orgId, connectionId: connection?.id ?? '', externalId: `c-${randomUUID()}`, name })
      .returning();
    const customerId = customer?.id ?? '';
    const recorded = await recordPhoneConsent(
      { orgId, actor: { kind: 'person', userId: randomUUID() }, db: db(), now: new Date() },
      { customerId, phone, source: 'verbal', method: 'said yes on the phone' },
    );
    expect(recorded.ok).toBe(true);
    return customerId;
  }

  const text = async (orgId: string, customerId: string, key: string) => {
    const sms = dunwell.runtime.sms;
    if (!sms) throw new Error('SMS is off');
    const sent = await sendText(sms.deps, {
      orgId,
      customerId,
      idempotencyKey: key,
      body: 'A reminder',
      now: new Date(),
    });
    expect(sent.status).toBe('sent');
  };

  /** Posts an incoming text signed as Twilio signs it, with the MessageSid given (a replay keeps it). */
  const post = (sid: string, phone: string, body: string) => {
    const params = { AccountSid: accountSid, Body: body, From: phone, MessageSid: sid, To: from };
    return fetch(inboundUrl(), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(authToken, inboundUrl(), params),
      },
      body: new URLSearchParams(params).toString(),
    });
  };
  const newSid = () => `SM${randomBytes(16).toString('hex')}`;
  const stored = async (sid: string) =>
    (await db().select().from(inboundSms).where(eq(inboundSms.providerSid, sid)))[0];
  const timeline = (customerId: string, kind: string) =>
    db()
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.customerId, customerId), eq(activityLog.kind, kind)));
  const optedOut = async (phone: string) =>
    (await db().select().from(customerPhones).where(eq(customerPhones.phone, phone))).map(
      (row) => row.smsOptedOutAt !== null,
    );

  /** A fault after the text is stored: the database refuses to opt a number out, or to note a text. */
  const refuseOptOuts = () =>
    db().execute(sql`
      create or replace function refuse_sms_change() returns trigger language plpgsql as
      $$ begin raise exception 'injected fault'; end $$;
      create trigger refuse_opt_out before update on customer_phones for each row
        when (new.sms_opted_out_at is not null) execute function refuse_sms_change();
      create trigger refuse_received before insert on activity_log for each row
        when (new.kind = 'sms.received') execute function refuse_sms_change();`);
  const healed = () =>
    db().execute(sql`
      drop trigger if exists refuse_opt_out on customer_phones;
      drop trigger if exists refuse_received on activity_log;`);

  beforeAll(async () => {
    twilio = new TwilioEmulator({ accountSid, authToken, phoneNumbers: [from] });
    await twilio.listen(0);
    dunwell = await startDunwell(inject('adminUrl'), {
      TWILIO_ACCOUNT_SID: accountSid,
      TWILIO_AUTH_TOKEN: authToken,
      TWILIO_FROM: from,
      TWILIO_EMULATOR_URL: twilio.url,
    });
    acme = await organisation('Acme Plumbing', {
      contactEmail: 'accounts@acme.example',
      contactPhone: '+44 20 7946 0000',
    });
    other = await organisation('Other Ltd', { contactEmail: 'money@other.example' });
    bare = await organisation('Bare Bones');
  }, 60_000);
  afterEach(healed);
  afterAll(async () => {
    await dunwell?.stop();
    await twilio?.close();
  });

  it('HELP names the organisation that texted the number last, with its contact details', async () => {
    const phone = '+447700900101';
    const atAcme = await customerWithPhone(acme, phone, 'Ann');
    const atOther = await customerWithPhone(other, phone, 'Ann at Other');
    await text(acme, atAcme, 'help-acme');
    expect((await twilio.inbound(inboundUrl(), { from: phone, body: 'HELP' })).replies).toEqual([
      'Acme Plumbing: payment reminders. Questions: +44 20 7946 0000 or accounts@acme.example. Reply STOP to opt out.',
    ]);
    await text(other, atOther, 'help-other');
    const help = await twilio.inbound(inboundUrl(), { from: phone, body: ' info ' });
    expect(help.replies).toEqual([
      'Other Ltd: payment reminders. Questions: money@other.example. Reply STOP to opt out.',
    ]);
    expect(await timeline(atOther, 'sms.help')).toHaveLength(1);
  });

  it('HELP from a number nobody texted gets the generic answer, naming no organisation', async () => {
    const phone = '+447700900102';
    await customerWithPhone(acme, phone, 'Never texted');
    expect((await twilio.inbound(inboundUrl(), { from: phone, body: 'help' })).replies).toEqual([
      'Payment reminders. Reply STOP to opt out, START to opt back in.',
    ]);
    const phoneOfBare = '+447700900103';
    const customer = await customerWithPhone(bare, phoneOfBare, 'Bo');
    await text(bare, customer, 'help-bare');
    expect((await twilio.inbound(inboundUrl(), { from: phoneOfBare, body: 'HELP' })).replies).toEqual([
      'Bare Bones: payment reminders. Reply STOP to opt out.',
    ]);
  });

  it('a STOP that fails after it is stored is answered, kept, and acted on once by the job', async () => {
    const phone = '+447700900104';
    const customerId = await customerWithPhone(acme, phone, 'Cat');
    await refuseOptOuts();
    const sid = newSid();
    const answer = await post(sid, phone, 'STOP');
    expect(answer.status).toBe(200);
    expect(await stored(sid)).toMatchObject({ status: 'received', keyword: 'stop' });
    expect(await optedOut(phone)).toEqual([false]);
    // While the fault lasts, the job fails (and is retried), the text still waiting.
    await expect(runJob()).rejects.toMatchObject({ cause: { message: 'injected fault' } });
    expect((await stored(sid))?.status).toBe('received');

    await healed();
    await runJob();
    expect(await stored(sid)).toMatchObject({ status: 'processed' });
    expect(await optedOut(phone)).toEqual([true]);
    await runJob();
    expect((await post(sid, phone, 'STOP')).status).toBe(200); // Twilio's replay: nothing more
    expect(await timeline(customerId, 'sms.opted_out')).toHaveLength(1);
  });

  it("a replay of the failed text's MessageSid acts on it, once", async () => {
    const phone = '+447700900105';
    const customerId = await customerWithPhone(acme, phone, 'Dan');
    await text(acme, customerId, 'replay-dan');
    await refuseOptOuts();
    const sid = newSid();
    await post(sid, phone, 'Paid on Friday');
    expect((await stored(sid))?.status).toBe('received');
    expect(await timeline(customerId, 'sms.received')).toEqual([]);
    await healed();
    expect((await post(sid, phone, 'Paid on Friday')).status).toBe(200);
    expect((await stored(sid))?.status).toBe('processed');
    await post(sid, phone, 'Paid on Friday');
    await runJob();
    expect(await timeline(customerId, 'sms.received')).toHaveLength(1);
  });

  it('a STOP acted on late does not undo a START the debtor sent after it', async () => {
    const phone = '+447700900106';
    await customerWithPhone(acme, phone, 'Eve');
    await refuseOptOuts();
    const stop = newSid();
    await post(stop, phone, 'STOP');
    const start = newSid();
    await post(start, phone, 'START');
    expect((await stored(start))?.status).toBe('processed');
    await healed();
    await runJob();
    expect((await stored(stop))?.status).toBe('processed');
    expect(await optedOut(phone)).toEqual([false]);
  });
});
