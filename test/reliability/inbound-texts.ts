// Twilio's webhooks (#20): incoming texts and status callbacks, against a running Dunwell (web + worker
// in this process, the local Twilio emulator standing in for Twilio), checked for what an outsider or
// a retrying Twilio can do:
//  - signature: a post without X-Twilio-Signature, with a forged one, or signed for another URL is
//    answered 403 and stores nothing;
//  - size: a post over the limit is answered 413 and stores nothing;
//  - replay: every debtor's STOP posted three times at once is stored once and opts the number out
//    once; every status callback posted three times at once is recorded once.
// RELIABILITY_SHORT=1: 10 debtors (CI), otherwise 50. Prints one JSON line; exits 1 on any failure.
import { and, eq, inArray } from 'drizzle-orm';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import { twilioSignature, twilioSignatureHeader } from '../../emulators/twilio/index.js';
import {
  activityLog,
  customers,
  inboundSms,
  smsMessages,
  smsStatusEvents,
} from '../../src/db/schema/index.js';
import { recordPhoneConsent } from '../../src/messaging/sms/phones.js';
import { sendText } from '../../src/messaging/sms/send.js';
import { smsInboundPath, smsStatusCallbackPath } from '../../src/messaging/sms/sms-deps.js';
import { smsWebhookLimit } from '../../src/web/sms-webhooks.js';
import { startQuickBooksHarness } from '../helpers/quickbooks-harness.js';
import { openTestServer } from '../helpers/test-server.js';

const short = process.env['RELIABILITY_SHORT'] === '1';
const debtors = Number(process.env['INBOUND_DEBTORS'] ?? (short ? 10 : 50));
const sender = '+15005550006';

const seed: CompanySeed = {
  name: 'Texts Ltd',
  homeCurrency: 'GBP',
  country: 'GB',
  customers: Array.from({ length: debtors }, (_, n) => ({
    id: String(n + 1),
    displayName: `Debtor ${n + 1}`,
    email: `ap${n + 1}@debtor.example`,
  })),
  invoices: [],
};

const problems: string[] = [];
const expect = (ok: boolean, problem: string) => {
  if (!ok) problems.push(problem);
};
const phoneOf = (n: number) => `+4477009${String(10_000 + n).slice(-5)}`;

const server = await openTestServer(process.env);
const qbo = await startQuickBooksHarness(server.adminUrl, seed);
let exitCode = 0;
try {
  const { orgId } = await qbo.connectAndSync();
  const db = qbo.runtime.database.db;
  const sms = qbo.runtime.sms;
  if (!sms) throw new Error('texts are off: the local Twilio emulator did not start');
  const publicUrl = String(qbo.environment['PUBLIC_URL']);
  const authToken = sms.settings.authToken;
  const people = await db.select().from(customers).where(eq(customers.orgId, orgId));
  const ctx = { orgId, actor: { kind: 'system' as const }, db, now: new Date() };
  const sent: string[] = [];
  for (const [n, customer] of people.entries()) {
    const consent = await recordPhoneConsent(ctx, {
      customerId: customer.id,
      phone: phoneOf(n),
      source: 'written',
      method: 'signed the credit application',
    });
    if (!consent.ok) throw new Error(`consent not recorded: ${consent.reason}`);
    const text = await sendText(sms.deps, {
      orgId,
      customerId: customer.id,
      idempotencyKey: `reliability-${n}`,
      body: 'Texts Ltd: £100.00 overdue. Pay: https://dunwell.example/p/x',
      now: new Date(),
    });
    if (text.status !== 'sent') throw new Error(`the text to ${phoneOf(n)} was not sent: ${text.status}`);
    sent.push(text.smsId);
  }
  const post = (path: string, params: Record<string, string>, signature: string | null) =>
    fetch(`${qbo.runtime.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(signature === null ? {} : { [twilioSignatureHeader]: signature }),
      },
      body: new URLSearchParams(params).toString(),
    });
  const signedPost = (path: string, params: Record<string, string>) =>
    post(path, params, twilioSignature(authToken, `${publicUrl}${path}`, params));
  const stop = (n: number): Record<string, string> => ({
    AccountSid: sms.settings.accountSid,
    Body: 'STOP',
    From: phoneOf(n),
    To: sender,
    MessageSid: `SM${String(n).padStart(32, '0')}`,
    NumMedia: '0',
    SmsStatus: 'received',
  });
  const storedTexts = async () => (await db.select({ id: inboundSms.id }).from(inboundSms)).length;

  // Signature: none, forged, or good for another URL: 403, nothing stored.
  const before = await storedTexts();
  let refusedSignature = 0;
  const attempts: Array<[string, string | null]> = [
    ['none', null],
    ['forged', 'Zm9yZ2VkIHNpZ25hdHVyZQ=='],
    ['another URL', twilioSignature(authToken, `${publicUrl}/webhooks/elsewhere`, stop(0))],
    ['another token', twilioSignature(`${authToken}x`, `${publicUrl}${smsInboundPath}`, stop(0))],
  ];
  for (const [what, signature] of attempts) {
    const answer = await post(smsInboundPath, stop(0), signature);
    if (answer.status === 403) refusedSignature += 1;
    else expect(false, `an incoming text signed with ${what} answered ${answer.status}, not 403`);
  }
  expect((await storedTexts()) === before, 'an incoming text with a bad signature was stored');

  // Size: over the limit refused (413), nothing stored.
  const huge = await signedPost(smsInboundPath, { ...stop(0), Body: 'x'.repeat(smsWebhookLimit) });
  expect(huge.status === 413, `an incoming text over the limit answered ${huge.status}, not 413`);
  expect((await storedTexts()) === before, 'an incoming text over the limit was stored');

  // Replay: every debtor's STOP three times at once.
  const started = performance.now();
  const answers = await Promise.all(
    people.flatMap((_, n) => [0, 1, 2].map(() => signedPost(smsInboundPath, stop(n)))),
  );
  const postSeconds = (performance.now() - started) / 1000;
  expect(
    answers.every((answer) => answer.status === 200),
    `replayed texts answered ${[...new Set(answers.map((answer) => answer.status))].join(', ')}`,
  );
  const stored = await db.select().from(inboundSms);
  const optOuts = await db
    .select({ customerId: activityLog.customerId })
    .from(activityLog)
    .where(and(eq(activityLog.orgId, orgId), eq(activityLog.kind, 'sms.opted_out')));
  const optOutsPerCustomer = new Map<string, number>();
  for (const row of optOuts)
    optOutsPerCustomer.set(row.customerId ?? '', (optOutsPerCustomer.get(row.customerId ?? '') ?? 0) + 1);
  const duplicatesRecorded = [...optOutsPerCustomer.values()].filter((count) => count > 1).length;
  const lost = people.filter((customer) => !optOutsPerCustomer.has(customer.id)).length;
  expect(stored.length === people.length, `${stored.length} incoming texts stored for ${people.length} sent`);
  expect(duplicatesRecorded === 0, `${duplicatesRecorded} numbers opted out more than once`);
  expect(lost === 0, `${lost} STOPs lost`);

  // Status callbacks: "delivered" for every text, three times at once; one event each.
  const statusPosts = await Promise.all(
    sent.flatMap((smsId, n) =>
      [0, 1, 2].map(async () => {
        const [row] = await db.select().from(smsMessages).where(eq(smsMessages.id, smsId));
        const path = `${smsStatusCallbackPath}?sms=${smsId}`;
        return signedPost(path, {
          AccountSid: sms.settings.accountSid,
          MessageSid: row?.providerSid ?? '',
          MessageStatus: 'delivered',
          To: phoneOf(n),
          From: sender,
        });
      }),
    ),
  );
  expect(
    statusPosts.every((answer) => answer.status === 200),
    `replayed status callbacks answered ${[...new Set(statusPosts.map((answer) => answer.status))].join(', ')}`,
  );
  const delivered = await db
    .select({ smsId: smsStatusEvents.smsId })
    .from(smsStatusEvents)
    .where(and(inArray(smsStatusEvents.smsId, sent), eq(smsStatusEvents.status, 'delivered')));
  expect(delivered.length === sent.length, `${delivered.length} "delivered" events for ${sent.length} texts`);

  process.stdout.write(
    `${JSON.stringify({
      bench: 'inbound-texts',
      debtors: people.length,
      refused_signature: refusedSignature,
      refused_size: huge.status === 413 ? 1 : 0,
      posts: answers.length,
      posts_per_second: Math.round(answers.length / postSeconds),
      stored: stored.length,
      opt_outs_recorded_twice: duplicatesRecorded,
      status_posts: statusPosts.length,
      status_events: delivered.length,
      lost,
    })}\n`,
  );
  if (problems.length > 0) {
    process.stderr.write(`inbound-texts: ${problems.join('; ')}\n`);
    exitCode = 1;
  }
} catch (error) {
  process.stderr.write(`inbound-texts: ${error instanceof Error ? error.stack : String(error)}\n`);
  exitCode = 1;
} finally {
  await qbo.stop();
  await server.stop();
}
process.exit(exitCode);
