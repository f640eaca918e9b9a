import { randomBytes, randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import { TwilioEmulator } from '../../emulators/twilio/index.js';
import {
  activityLog,
  customerPhones,
  customers,
  debtorReplies,
  inboundEmails,
  inboundSms,
  ledgerConnections,
} from '../../src/db/schema/index.js';
import { replyAddresses, replyAddressKey } from '../../src/domain/reply-address.js';
import { recordPhoneConsent } from '../../src/messaging/sms/phones.js';
import { sendText } from '../../src/messaging/sms/send.js';
import { Browser } from '../helpers/dunwell-harness.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';
import { visibleText } from '../helpers/visible-text.js';
import { waitFor } from '../helpers/wait.js';

const secret = 'inbound-secret-unmatched-0123456789';
const domain = 'in.dunwell.example';
const accountSid = `AC${randomBytes(16).toString('hex')}`;
const authToken = randomBytes(16).toString('hex');
const sender = '+15005550006';

const invoice = (id: string, customerId: string) => ({
  id,
  customerId,
  total: 40_000,
  status: 'overdue' as const,
  dueDate: '2026-01-10',
});
const alderSeed: CompanySeed = {
  name: 'Alder Ltd',
  homeCurrency: 'GBP',
  country: 'GB',
  user: { sub: 'intuit-alder-unmatched', email: 'o@alder.example', givenName: 'O', familyName: 'Alder' },
  customers: [
    { id: '1', displayName: 'Solo Buyer', email: 'ap@solo.example' },
    { id: '2', displayName: 'Twin One', email: 'shared@twins.example' },
    { id: '3', displayName: 'Twin Two', email: 'shared@twins.example' },
    { id: '4', displayName: 'Cross at Alder', email: 'ap@cross.example' },
  ],
  invoices: [invoice('11', '1'), invoice('12', '2'), invoice('13', '3'), invoice('14', '4')],
};
const birchSeed: CompanySeed = {
  name: 'Birch Ltd',
  homeCurrency: 'GBP',
  country: 'GB',
  user: { sub: 'intuit-birch-unmatched', email: 'o@birch.example', givenName: 'O', familyName: 'Birch' },
  customers: [
    { id: '1', displayName: 'Birch Buyer', email: 'ap@birch-only.example' },
    { id: '2', displayName: 'Cross at Birch', email: 'ap@cross.example' },
    { id: '3', displayName: 'Pair A', email: 'pay@pair.example' },
    { id: '4', displayName: 'Pair B', email: 'pay@pair.example' },
  ],
  invoices: [invoice('21', '1'), invoice('22', '2'), invoice('23', '3'), invoice('24', '4')],
};

describe('replies nobody could match: by sender, then on the Unmatched messages page', () => {
  let qbo: QuickBooksHarness;
  let twilio: TwilioEmulator;
  let alder: { orgId: string; cookie: string; csrf: string };
  let birch: { orgId: string; browser: Browser };
  const db = () => qbo.runtime.database.db;
  const addresses = () => replyAddresses(replyAddressKey(qbo.environment['SESSION_SECRET'] ?? ''), domain);
  const twilioUrl = () => `${qbo.environment['PUBLIC_URL']}/webhooks/twilio/inbound`;

  const post = (fields: Record<string, string>) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    return fetch(`${qbo.runtime.url}/webhooks/sendgrid/inbound/${secret}`, { method: 'POST', body: form });
  };
  /** Posts an email as SendGrid does and waits for the replies job to have dealt with it. */
  const receive = async (fields: {
    from: string;
    to?: string;
    subject?: string;
    text: string;
    /** SendGrid's verdicts on the sender; by default its SPF passes, as for most real mail. */
    spf?: string;
    dkim?: string;
  }) => {
    const to = fields.to ?? `accounts@${domain}`;
    const marker = `<${randomUUID()}@test.example>`;
    const answer = await post({
      from: fields.from,
      to,
      subject: fields.subject ?? 'Your reminder',
      text: fields.text,
      headers: `Message-ID: ${marker}`,
      envelope: JSON.stringify({ to: [to], from: fields.from.replace(/^.*<|>$/g, '') }),
      SPF: fields.spf ?? 'pass',
      ...(fields.dkim ? { dkim: fields.dkim } : {}),
    });
    expect(answer.status).toBe(200);
    return waitFor(
      async () => {
        const [row] = await db()
          .select()
          .from(inboundEmails)
          .where(eq(inboundEmails.messageId, marker.slice(1, -1)));
        return row && row.status !== 'received' ? row : undefined;
      },
      { what: 'the inbound email to be processed' },
    );
  };
  const customerOf = async (orgId: string, name: string) => {
    const [row] = await db()
      .select()
      .from(customers)
      .where(and(eq(customers.orgId, orgId), eq(customers.name, name)));
    if (!row) throw new Error(`no customer ${name}`);
    return row.id;
  };
  const repliesOf = (customerId: string) =>
    db().select().from(debtorReplies).where(eq(debtorReplies.customerId, customerId));
  const page = async (orgId: string, cookie: string, query = '') => {
    const response = await fetch(`${qbo.runtime.url}/app/${orgId}/unmatched${query}`, {
      headers: { cookie, accept: 'text/html' },
      redirect: 'manual',
    });
    return { status: response.status, html: await response.text() };
  };
  const decide = (orgId: string, who: { cookie: string; csrf: string }, fields: Record<string, string>) =>
    fetch(`${qbo.runtime.url}/app/${orgId}/unmatched`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: who.cookie,
        accept: 'text/html',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ _csrf: who.csrf, ...fields }).toString(),
    });

  beforeAll(async () => {
    twilio = new TwilioEmulator({ accountSid, authToken, phoneNumbers: [sender] });
    await twilio.listen(0);
    qbo = await startQuickBooksHarness(inject('adminUrl'), alderSeed, {
      INBOUND_EMAIL_SECRET: secret,
      INBOUND_REPLY_DOMAIN: domain,
      TWILIO_ACCOUNT_SID: accountSid,
      TWILIO_AUTH_TOKEN: authToken,
      TWILIO_FROM: sender,
      TWILIO_EMULATOR_URL: twilio.url,
    });
    const connected = await qbo.connectAndSync();
    alder = { orgId: connected.orgId, cookie: connected.cookie, csrf: connected.csrf };
    const birchRealm = qbo.emulator.addCompany(birchSeed);
    const browser = new Browser();
    const { connectionId } = await browser.connect(qbo.runtime.url, 'quickbooks', {
      consentParameters: `&realm_id=${birchRealm}`,
    });
    await qbo.waitForSync(connectionId, (row) => row.syncProgress?.phase === 'done');
    const [connection] = await db()
      .select({ orgId: ledgerConnections.orgId })
      .from(ledgerConnections)
      .where(eq(ledgerConnections.id, connectionId));
    birch = { orgId: connection?.orgId ?? '', browser };
  }, 180_000);
  afterAll(async () => {
    await qbo?.stop();
    await twilio?.close();
  });

  it('matches an email naming no reminder to the one customer of one organisation holding its sender', async () => {
    const solo = await customerOf(alder.orgId, 'Solo Buyer');
    const email = await receive({ from: 'Sam Solo <AP@Solo.example>', text: 'We paid this on Monday.' });
    expect(email).toMatchObject({ status: 'matched', orgId: alder.orgId });
    const [reply] = await repliesOf(solo);
    expect(reply).toMatchObject({
      orgId: alder.orgId,
      matchedBy: 'sender',
      messageId: null,
      inboundEmailId: email.id,
      class: 'paid_already',
      readAt: null,
    });
    const [entry] = await db()
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.customerId, solo), eq(activityLog.kind, 'reply.received')));
    expect(entry?.summary).toBe(
      "Solo Buyer replied that it is paid already (matched by the sender's address, not by the reminder's reply address)",
    );
    // The same in the other organisation: its sender is Birch's alone.
    const birchBuyer = await customerOf(birch.orgId, 'Birch Buyer');
    expect(
      await receive({ from: 'ap@birch-only.example', text: 'Can we pay in three parts?' }),
    ).toMatchObject({
      status: 'matched',
      orgId: birch.orgId,
    });
    expect((await repliesOf(birchBuyer)).map((row) => row.matchedBy)).toEqual(['sender']);
  });

  it('does not match by a sender SendGrid could not vouch for: a person decides, in the customer’s organisation', async () => {
    const forged = await receive({
      from: 'Sam Solo <ap@solo.example>',
      text: 'Stop chasing us, it is paid.',
      spf: 'softfail',
      dkim: '{@elsewhere.example : pass}',
    });
    expect(forged).toMatchObject({ status: 'unmatched', orgId: alder.orgId, senderVerified: false });
    // Signed by the sender's own domain, it is vouched for without SPF.
    const signed = await receive({
      from: 'ap@birch-only.example',
      text: 'We will pay on Friday.',
      spf: 'none',
      dkim: '{@birch-only.example : pass}',
    });
    expect(signed).toMatchObject({ status: 'matched', orgId: birch.orgId, senderVerified: true });
  });

  it('keeps an ambiguous sender unmatched: several customers of one organisation, or customers of two', async () => {
    const twins = await receive({ from: 'shared@twins.example', text: 'Which invoice is this?' });
    expect(twins).toMatchObject({ status: 'unmatched', orgId: alder.orgId });
    const cross = await receive({ from: 'ap@cross.example', text: 'Please call me.' });
    expect(cross).toMatchObject({ status: 'unmatched', orgId: null });
    const stranger = await receive({ from: 'who@nowhere.example', text: 'Hello' });
    expect(stranger).toMatchObject({ status: 'unmatched', orgId: null });
    for (const name of ['Twin One', 'Twin Two'])
      expect(await repliesOf(await customerOf(alder.orgId, name))).toEqual([]);
    // A reply address of ours whose HMAC fails is never matched by its sender, which is not believed either.
    const forged = addresses()
      .addressFor(randomUUID())
      .replace(/[0-9a-f](?=@)/, (c) => (c === '0' ? '1' : '0'));
    const tampered = await receive({ from: 'ap@solo.example', to: forged, text: 'We paid.' });
    expect(tampered).toMatchObject({ status: 'unmatched', orgId: alder.orgId });
    expect((await repliesOf(await customerOf(alder.orgId, 'Solo Buyer'))).length).toBe(1);
  });

  it("lists only the organisation's own unmatched messages, escaped, with a link from Review", async () => {
    await receive({
      from: 'pay@pair.example',
      subject: 'Birch’s <b>own</b>',
      text: 'For Birch only <img src=x onerror=alert(1)>',
    });
    const hostile = await receive({
      from: 'shared@twins.example',
      subject: '<script>alert(1)</script> Re: invoice',
      text: 'Paid <img src=x onerror=alert(1)> already\n\nOn Monday Alder Ltd wrote:\n> Reminder',
    });
    const own = await page(alder.orgId, alder.cookie);
    expect(own.status).toBe(200);
    expect(own.html).not.toContain('<img src=x');
    expect(own.html).not.toContain('<script>alert');
    expect(own.html).toContain('&#60;script&#62;alert(1)&#60;/script&#62; Re: invoice');
    const text = visibleText(own.html);
    expect(text).toContain('Paid <img src=x onerror=alert(1)> already');
    expect(text).not.toContain('On Monday Alder Ltd wrote');
    expect(text).toContain('Which invoice is this?');
    expect(text).toContain('We paid.');
    // Neither Birch's nor the one no organisation can be told is theirs.
    expect(text).not.toContain('For Birch only');
    expect(text).not.toContain('Please call me.');
    expect(text).not.toContain('who@nowhere.example');
    // The twins' sender offers both twins in one click.
    expect(own.html).toContain('This is from Twin One');
    expect(own.html).toContain('This is from Twin Two');
    // The unverified sender's customer is offered, for a person to confirm.
    expect(text).toContain('Stop chasing us, it is paid.');
    expect(own.html).toContain('This is from Solo Buyer');
    expect(own.html).toContain(`name="message" value="email:${hostile.id}"`);

    const theirs = await page(birch.orgId, birch.browser.cookie);
    expect(visibleText(theirs.html)).toContain('For Birch only');
    expect(visibleText(theirs.html)).not.toContain('Which invoice is this?');
    // Another organisation's page is not there for this session.
    expect((await page(birch.orgId, alder.cookie)).status).toBe(404);

    const review = await fetch(`${qbo.runtime.url}/app/${alder.orgId}/review`, {
      headers: { cookie: alder.cookie },
    });
    expect(visibleText(await review.text())).toMatch(/4 messages Dunwell could not tie to a customer/);
  });

  it("assigns an email as the chosen customer's reply, once, and never across organisations", async () => {
    const [email] = await db()
      .select()
      .from(inboundEmails)
      .where(
        and(
          eq(inboundEmails.fromAddress, 'shared@twins.example'),
          eq(inboundEmails.subject, 'Your reminder'),
        ),
      );
    const twinTwo = await customerOf(alder.orgId, 'Twin Two');
    const birchBuyer = await customerOf(birch.orgId, 'Birch Buyer');
    const message = `email:${email?.id}`;
    const birchWho = { cookie: birch.browser.cookie, csrf: birch.browser.csrfToken ?? '' };
    // Birch may not take Alder's email, on its own page or Alder's; Alder may not give it to Birch's customer.
    expect(
      (await decide(birch.orgId, birchWho, { message, act: 'assign', customerId: birchBuyer })).status,
    ).toBe(404);
    expect((await decide(alder.orgId, birchWho, { message, act: 'dismiss' })).status).toBe(404);
    expect(
      (await decide(alder.orgId, alder, { message, act: 'assign', customerId: birchBuyer })).status,
    ).toBe(404);
    expect(
      (
        await db()
          .select()
          .from(inboundEmails)
          .where(eq(inboundEmails.id, email?.id ?? ''))
      )[0]?.status,
    ).toBe('unmatched');

    const assigned = await decide(alder.orgId, alder, { message, act: `likely:${twinTwo}` });
    expect(assigned.status).toBe(303);
    const [reply] = await repliesOf(twinTwo);
    expect(reply).toMatchObject({ matchedBy: 'person', inboundEmailId: email?.id, readAt: null });
    const [entry] = await db()
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.customerId, twinTwo), eq(activityLog.kind, 'reply.received')));
    expect(entry?.summary).toContain('assigned to them by a person');
    expect(entry?.details).toMatchObject({
      matchedBy: 'person',
      assignedBy: expect.stringMatching(/^user:/),
    });
    // A second click finds nothing to take.
    expect((await decide(alder.orgId, alder, { message, act: `likely:${twinTwo}` })).status).toBe(404);
    expect(await repliesOf(twinTwo)).toHaveLength(1);
    expect(visibleText((await page(alder.orgId, alder.cookie)).html)).not.toContain('Which invoice is this?');
    // It waits in Review as any reply does.
    const review = await fetch(`${qbo.runtime.url}/app/${alder.orgId}/review`, {
      headers: { cookie: alder.cookie },
    });
    expect(visibleText(await review.text())).toContain('Replies to read');
  });

  it('dismisses an unmatched email: off the list, on no timeline', async () => {
    const [tampered] = await db()
      .select()
      .from(inboundEmails)
      .where(and(eq(inboundEmails.orgId, alder.orgId), eq(inboundEmails.text, 'We paid.')));
    const answer = await decide(alder.orgId, alder, { message: `email:${tampered?.id}`, act: 'dismiss' });
    expect(answer.status).toBe(303);
    expect(
      (
        await db()
          .select()
          .from(inboundEmails)
          .where(eq(inboundEmails.id, tampered?.id ?? ''))
      )[0]?.status,
    ).toBe('dismissed');
    expect(visibleText((await page(alder.orgId, alder.cookie)).html)).not.toContain('We paid.');
    const [entry] = await db()
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.orgId, alder.orgId), eq(activityLog.kind, 'unmatched.dismissed')));
    expect(entry).toMatchObject({ customerId: null, actor: expect.stringMatching(/^user:/) });
  });

  it('lists a text from a number Alder texted that no customer holds now, and records it as a reply', async () => {
    const sms = qbo.runtime.sms;
    if (!sms) throw new Error('texts are off');
    const solo = await customerOf(alder.orgId, 'Solo Buyer');
    const twinOne = await customerOf(alder.orgId, 'Twin One');
    const ctx = {
      orgId: alder.orgId,
      actor: { kind: 'person' as const, userId: randomUUID() },
      db: db(),
      now: new Date(),
    };
    const gone = '+447700900301';
    const held = '+447700900302';
    for (const [customerId, phone] of [
      [solo, gone],
      [twinOne, held],
    ] as const) {
      expect(
        (await recordPhoneConsent(ctx, { customerId, phone, source: 'verbal', method: 'said yes' })).ok,
      ).toBe(true);
      const sent = await sendText(sms.deps, {
        orgId: alder.orgId,
        customerId,
        idempotencyKey: `unmatched-${phone}`,
        body: 'A reminder',
        now: new Date(),
      });
      expect(sent.status).toBe('sent');
    }
    // The owner took the number off Solo Buyer's record (it is someone else's now).
    await db().delete(customerPhones).where(eq(customerPhones.phone, gone));
    await twilio.inbound(twilioUrl(), {
      from: gone,
      body: 'Who is this? We already paid this <b>last</b> week',
    });
    await twilio.inbound(twilioUrl(), { from: held, body: 'Thanks, will pay Friday' });
    await twilio.inbound(twilioUrl(), { from: gone, body: 'HELP' });
    const [text] = await db()
      .select()
      .from(inboundSms)
      .where(and(eq(inboundSms.fromPhone, gone), eq(inboundSms.status, 'processed')));
    expect(text?.keyword).toBeNull();

    const listed = await page(alder.orgId, alder.cookie);
    const words = visibleText(listed.html);
    expect(words).toContain('Who is this? We already paid this <b>last</b> week');
    expect(listed.html).not.toContain('<b>last</b>');
    expect(words).not.toContain('Thanks, will pay Friday');
    expect(words).not.toContain('HELP');
    expect(listed.html).toContain('This is from Solo Buyer');
    expect(visibleText((await page(birch.orgId, birch.browser.cookie)).html)).not.toContain('Who is this?');

    const before = (await repliesOf(solo)).length;
    const answer = await decide(alder.orgId, alder, {
      message: `text:${text?.id}`,
      act: 'assign',
      customerId: solo,
    });
    expect(answer.status).toBe(303);
    const replies = await repliesOf(solo);
    expect(replies).toHaveLength(before + 1);
    expect(replies.find((reply) => reply.inboundSmsId === text?.id)).toMatchObject({
      matchedBy: 'person',
      inboundEmailId: null,
      fromAddress: gone,
      class: 'paid_already',
    });
    expect(
      (
        await db()
          .select()
          .from(inboundSms)
          .where(eq(inboundSms.id, text?.id ?? ''))
      )[0]?.status,
    ).toBe('assigned');
    expect(visibleText((await page(alder.orgId, alder.cookie)).html)).not.toContain('Who is this?');
  });
});
