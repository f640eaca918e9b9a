// Inbound replies (#20): SendGrid's Inbound Parse posts, against a running Dunwell (web + worker in
// this process, real pg-boss), checked for what an outsider or a retrying SendGrid can do:
//  - secret: posts to a wrong secret path are answered 404 and store nothing;
//  - size: a post over the limit is answered 413 and stores nothing; one just under it is kept;
//  - replay: every reply posted three times at once (SendGrid retries) is recorded once;
//  - forgery: a reply address with a forged token is kept unmatched, routed to nobody.
// RELIABILITY_SHORT=1: 10 debtors (CI), otherwise 50. Prints one JSON line; exits 1 on any failure.
import { eq, inArray } from 'drizzle-orm';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import { evaluateOrganisation } from '../../src/collections/evaluate.js';
import { debtorReplies, inboundEmails, outboundMessages } from '../../src/db/schema/index.js';
import { replyAddresses, replyAddressKey } from '../../src/domain/reply-address.js';
import { deliverMessage } from '../../src/messaging/delivery/deliver-message.js';
import { createLocalTransport } from '../../src/messaging/transport/local.js';
import { inboundPostLimit } from '../../src/web/inbound-email.js';
import { portalClient } from '../helpers/portal.js';
import { startQuickBooksHarness } from '../helpers/quickbooks-harness.js';
import { openTestServer } from '../helpers/test-server.js';
import { sleep } from './fresh-stats.js';

const short = process.env['RELIABILITY_SHORT'] === '1';
const debtors = Number(process.env['INBOUND_DEBTORS'] ?? (short ? 10 : 50));
const secret = 'reliability-inbound-secret-0123456789';
const domain = 'in.reliability.example';
const day = 86_400_000;
const isoDay = (offset: number) => new Date(Date.now() + offset * day).toISOString().slice(0, 10);

const seed: CompanySeed = {
  name: 'Inbound Ltd',
  homeCurrency: 'GBP',
  country: 'GB',
  customers: Array.from({ length: debtors }, (_, n) => ({
    id: String(n + 1),
    displayName: `Debtor ${n + 1}`,
    email: `ap${n + 1}@debtor.example`,
  })),
  invoices: Array.from({ length: debtors }, (_, n) => ({
    id: String(1_000 + n),
    customerId: String(n + 1),
    total: 10_000 + n,
    status: 'overdue' as const,
    dueDate: isoDay(-10),
  })),
};

/** A weekday at 12:00 UTC, today or ahead: inside the GB sending window. */
function workingNoon(): Date {
  const at = new Date(`${new Date().toISOString().slice(0, 10)}T12:00:00Z`);
  while (at.getUTCDay() === 0 || at.getUTCDay() === 6) at.setTime(at.getTime() + day);
  return at;
}

const problems: string[] = [];
const expect = (ok: boolean, problem: string) => {
  if (!ok) problems.push(problem);
};

const server = await openTestServer(process.env);
const qbo = await startQuickBooksHarness(server.adminUrl, seed, {
  INBOUND_EMAIL_SECRET: secret,
  INBOUND_REPLY_DOMAIN: domain,
});
let exitCode = 0;
try {
  const { orgId } = await qbo.connectAndSync();
  const db = qbo.runtime.database.db;
  const addresses = replyAddresses(replyAddressKey(qbo.environment['SESSION_SECRET'] ?? ''), domain);
  await evaluateOrganisation(db, orgId, { now: workingNoon() });
  const messages = await db.select().from(outboundMessages).where(eq(outboundMessages.orgId, orgId));
  const deps = {
    db,
    ledger: qbo.runtime.ledger,
    transport: createLocalTransport(),
    from: { email: 'reminders@dunwell.example', name: 'Inbound Ltd' },
    links: portalClient(qbo).links,
    unsubscribeUrl: ({ id }: { id: string }) => `https://dunwell.example/opt-out/${id}`,
    now: () => new Date(),
    replyAddresses: addresses,
  };
  for (const message of messages) await deliverMessage(deps, message.id);
  const stored = async () => (await db.select({ id: inboundEmails.id }).from(inboundEmails)).length;
  const post = (path: string, fields: Record<string, string>) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    return fetch(`${qbo.runtime.url}${path}`, { method: 'POST', body: form });
  };
  const reply = (messageId: string, n: number) => ({
    from: `ap${n}@debtor.example`,
    to: addresses.addressFor(messageId),
    subject: 'Re: your reminder',
    text: `We paid this yesterday, reference ${n}.`,
    headers: `Message-ID: <reply-${n}@debtor.example>`,
  });

  // Secret: wrong paths are refused and store nothing.
  const before = await stored();
  let refusedSecret = 0;
  for (const path of [
    '/webhooks/sendgrid/inbound/wrong-secret',
    `/webhooks/sendgrid/inbound/${secret}x`,
    `/webhooks/sendgrid/inbound/${secret.slice(0, -1)}`,
    '/webhooks/sendgrid/inbound/',
  ]) {
    const response = await post(path, reply(messages[0]?.id ?? '', 1));
    if (response.status === 404) refusedSecret += 1;
    else expect(false, `${path} answered ${response.status}, not 404`);
  }
  expect((await stored()) === before, 'a post to a wrong secret was stored');

  // Size: over the limit refused (413) and not stored; just under it kept.
  const inbound = `/webhooks/sendgrid/inbound/${secret}`;
  const huge = await post(inbound, {
    ...reply(messages[0]?.id ?? '', 1),
    text: 'x'.repeat(inboundPostLimit),
  });
  expect(huge.status === 413, `a post over the limit answered ${huge.status}, not 413`);
  expect((await stored()) === before, 'a post over the limit was stored');
  // (The first debtor's reply, with a long text: its three posts below are then all duplicates.)
  const justUnder = await post(inbound, {
    ...reply(messages[0]?.id ?? '', 1),
    text: 'y'.repeat(inboundPostLimit - 4_096),
  });
  expect(justUnder.status === 200, `a post under the limit answered ${justUnder.status}`);

  // Replay: each debtor's reply three times at once.
  const started = performance.now();
  const answers = await Promise.all(
    messages.flatMap((message, n) => [0, 1, 2].map(() => post(inbound, reply(message.id, n + 1)))),
  );
  const postSeconds = (performance.now() - started) / 1000;
  expect(
    answers.every((answer) => answer.status === 200),
    `replayed posts answered ${[...new Set(answers.map((answer) => answer.status))].join(', ')}`,
  );
  // Forgery: a token changed by one character.
  const forgedTo = addresses
    .addressFor(messages[0]?.id ?? '')
    .replace(/[0-9a-f](?=@)/, (c) => (c === '0' ? '1' : '0'));
  const forged = await post(inbound, { ...reply(messages[0]?.id ?? '', 1), to: forgedTo, headers: '' });
  expect(forged.status === 200, `a forged reply answered ${forged.status}`);

  // Wait for the replies job to take every post (it is asked for by each stored post).
  const deadline = Date.now() + 60_000;
  while ((await db.select().from(inboundEmails).where(eq(inboundEmails.status, 'received'))).length > 0) {
    if (Date.now() > deadline) throw new Error('the stored posts were not all processed within 60 s');
    await sleep(100);
  }
  const replies = await db.select().from(debtorReplies).where(eq(debtorReplies.orgId, orgId));
  const perMessage = new Map<string, number>();
  for (const row of replies)
    perMessage.set(row.messageId ?? '', (perMessage.get(row.messageId ?? '') ?? 0) + 1);
  const duplicatesRecorded = [...perMessage.values()].filter((count) => count > 1).length;
  const lost = messages.filter((message) => !perMessage.has(message.id)).length;
  expect(duplicatesRecorded === 0, `${duplicatesRecorded} replies recorded more than once`);
  expect(lost === 0, `${lost} replies lost`);
  const statuses = await db
    .select({ status: inboundEmails.status, to: inboundEmails.toAddress })
    .from(inboundEmails)
    .where(inArray(inboundEmails.status, ['unmatched', 'duplicate']));
  const forgedKept = statuses.filter((row) => row.status === 'unmatched' && row.to === forgedTo).length;
  expect(forgedKept === 1, 'the forged reply was not kept unmatched');
  const duplicatesKept = statuses.filter((row) => row.status === 'duplicate').length;
  expect(
    duplicatesKept === messages.length * 2 + 1,
    `${duplicatesKept} posts kept as duplicates, ${messages.length * 2 + 1} expected`,
  );
  expect(replies.length === messages.length, `${replies.length} replies for ${messages.length} debtors`);

  process.stdout.write(
    `${JSON.stringify({
      bench: 'inbound',
      debtors: messages.length,
      refused_secret: refusedSecret,
      refused_size: huge.status === 413 ? 1 : 0,
      posts: answers.length,
      posts_per_second: Math.round(answers.length / postSeconds),
      replies: replies.length,
      duplicates_kept: duplicatesKept,
      duplicates_recorded: duplicatesRecorded,
      forged_kept_unmatched: forgedKept,
      lost,
    })}\n`,
  );
  if (problems.length > 0) {
    process.stderr.write(`inbound: ${problems.join('; ')}\n`);
    exitCode = 1;
  }
} catch (error) {
  process.stderr.write(`inbound: ${error instanceof Error ? error.stack : String(error)}\n`);
  exitCode = 1;
} finally {
  await qbo.stop();
  await server.stop();
}
process.exit(exitCode);
