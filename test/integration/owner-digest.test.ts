import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDispute } from '../../src/arrangements/disputes.js';
import { requestPaymentPlan } from '../../src/arrangements/payment-plans.js';
import { makePromise } from '../../src/arrangements/promises.js';
import { connectDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';
import { invoices, outboundMessages, ownerDigests, ownerEvents } from '../../src/db/schema/index.js';
import { addDays } from '../../src/domain/local-time.js';
import { defaultArrangementLimits } from '../../src/domain/policy.js';
import { createLogger } from '../../src/logger.js';
import { digestOwnerEvents } from '../../src/messaging/owner-digest.js';
import { postSlackDigests } from '../../src/messaging/slack-digest.js';
import { saveSlackWebhook } from '../../src/organisations/owner-notifications.js';
import type { ServiceContext } from '../../src/services/context.js';
import { createScratchDatabase, type ScratchDatabase } from '../helpers/databases.js';
import { createSummaryOrganisation } from '../helpers/summary-org.js';

const today = new Date().toISOString().slice(0, 10);
const names = ['Alpha Ltd', 'Beta & Sons <Ltd>', 'Gamma plc', 'Delta Co', 'Epsilon GmbH'];
const secretPath = '/services/T000/B000/very-secret-token';

/** A local server standing in for Slack: records each post, answers with the status it is told. */
function slackStandIn() {
  const posts: Array<{ path: string; body: { text: string } }> = [];
  let answer = 200;
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      posts.push({ path: request.url ?? '', body: JSON.parse(body) as { text: string } });
      response.writeHead(answer, { 'content-type': 'text/plain' }).end(answer === 200 ? 'ok' : 'no');
    });
  });
  return {
    posts,
    answerWith(status: number) {
      answer = status;
    },
    async start() {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('the owner hears what matters: a digest, never a flood', () => {
  let scratch: ScratchDatabase;
  let database: DatabaseHandle;
  let orgId: string;
  let customerIds: Map<string, string>;
  const logged: string[] = [];
  const logger = createLogger(
    'debug',
    new Writable({
      write(chunk, _encoding, done) {
        logged.push(String(chunk));
        done();
      },
    }),
  );
  const slack = slackStandIn();
  let slackBaseUrl: string;
  const db = () => database.db;
  const request = (name: string, now = new Date()) => ({
    orgId,
    customerId: customerIds.get(name) ?? '',
    invoiceIds: [],
    source: 'portal' as const,
    actor: 'debtor',
    now,
    today,
    limits: defaultArrangementLimits,
  });
  const digests = () => db().select().from(ownerDigests).where(eq(ownerDigests.orgId, orgId));
  const digestEmails = () =>
    db()
      .select()
      .from(outboundMessages)
      .where(and(eq(outboundMessages.orgId, orgId), eq(outboundMessages.template, 'owner-digest')));
  const digestAt = (now: Date) =>
    digestOwnerEvents(db(), { orgId, now, windowMinutes: 15, baseUrl: 'https://dunwell.example' });

  beforeAll(async () => {
    scratch = await createScratchDatabase(inject('adminUrl'), 'owner_digest');
    await runMigrations(scratch.url);
    database = connectDatabase(scratch.url, { poolMax: 6, logger });
    slackBaseUrl = await slack.start();
    const created = await createSummaryOrganisation(db(), {
      name: 'Digest Works Ltd',
      timeZone: 'Europe/London',
      settings: { notifyEmail: 'owner@digest.example' },
      customers: names,
    });
    ({ orgId, customerIds } = created);
    await db()
      .insert(invoices)
      .values(
        names.map((name, index) => ({
          orgId,
          connectionId: created.connectionId,
          customerId: customerIds.get(name) ?? '',
          externalId: `inv-${index}`,
          number: `INV-${index + 1}`,
          currency: 'GBP',
          totalMinor: 100_000 + index * 1_000,
          balanceMinor: 100_000 + index * 1_000,
          dueDate: addDays(today, -20),
        })),
      );
  }, 120_000);
  afterAll(async () => {
    await slack.stop();
    await database?.pool.end();
    await scratch?.drop();
  });

  it('gathers a burst of disputes, promises and plan requests into one email, then waits out the window', async () => {
    const start = new Date();
    await openDispute(db(), { ...request('Alpha Ltd'), reason: 'quality', message: 'Broken on arrival' });
    await openDispute(db(), {
      ...request('Beta & Sons <Ltd>'),
      reason: 'wrong_amount',
      message: 'We agreed less',
    });
    await makePromise(db(), { ...request('Gamma plc'), promisedDate: addDays(today, 5) });
    await requestPaymentPlan(db(), {
      ...request('Delta Co'),
      installmentCount: 10,
      firstDate: addDays(today, 7),
    });
    expect(await db().select().from(ownerEvents).where(eq(ownerEvents.orgId, orgId))).toHaveLength(4);
    // A person's own entries are not news to them.
    await makePromise(db(), { ...request('Epsilon GmbH'), source: 'user', promisedDate: addDays(today, 3) });
    expect(await db().select().from(ownerEvents).where(eq(ownerEvents.orgId, orgId))).toHaveLength(4);

    // Two workers at once: one digest.
    const [first, second] = await Promise.all([digestAt(start), digestAt(start)]);
    expect([first.status, second.status].sort()).toEqual(['sent', 'waiting']);
    const [email, ...more] = await digestEmails();
    expect(more).toHaveLength(0);
    expect(email).toMatchObject({
      subject: 'Dunwell: 4 things from your customers',
      purpose: 'notice',
      customerId: null,
    });
    expect(email?.to).toEqual([{ email: 'owner@digest.example' }]);
    const text = email?.bodyText ?? '';
    // Disputes and the plan request first, with the debtor's words for the owner's eyes only.
    expect(text.indexOf('Disputes:')).toBeLessThan(text.indexOf('Payment plans waiting for you:'));
    expect(text.indexOf('Payment plans waiting for you:')).toBeLessThan(text.indexOf('Promises to pay:'));
    expect(text).toContain('Alpha Ltd disputed INV-1 (A problem with the quality): “Broken on arrival”');
    expect(text).toContain('Gamma plc promised to pay INV-3 by');
    expect(text).toContain('https://dunwell.example/app/');
    expect(email?.bodyHtml).toContain('Beta &#38; Sons &#60;Ltd&#62;');

    // More events inside the window wait; nothing is sent per event.
    await openDispute(db(), {
      ...request('Epsilon GmbH', new Date(start.getTime() + 60_000)),
      reason: 'already_paid',
      message: 'Paid last week',
    });
    const inWindow = await digestAt(new Date(start.getTime() + 5 * 60_000));
    expect(inWindow).toEqual({ status: 'waiting', until: new Date(start.getTime() + 15 * 60_000) });
    expect(await digestEmails()).toHaveLength(1);
    const after = await digestAt(new Date(start.getTime() + 15 * 60_000));
    expect(after).toMatchObject({ status: 'sent', events: 1 });
    expect(await digestEmails()).toHaveLength(2);
    // Every event carried exactly once.
    const carried = await db().select().from(ownerEvents).where(eq(ownerEvents.orgId, orgId));
    expect(carried.every((event) => event.digestId !== null)).toBe(true);
    expect(new Set(carried.map((event) => event.digestId)).size).toBe(2);
    expect(await digestAt(new Date(start.getTime() + 60 * 60_000))).toEqual({ status: 'nothing' });
  });

  it('takes only a Slack incoming-webhook address, and keeps it out of the settings page', async () => {
    const ctx: ServiceContext = { orgId, actor: { kind: 'system' }, db: db(), now: new Date() };
    for (const wrong of [
      'http://hooks.slack.com/services/x',
      'https://evil.example/services/x',
      'https://hooks.slack.com/api/x',
    ])
      await expect(saveSlackWebhook(ctx, wrong)).rejects.toThrow('incoming-webhook address');
    await saveSlackWebhook(ctx, `https://hooks.slack.com${secretPath}`);
  });

  it('posts the digest to Slack with names and amounts only; a refusal is retried, a post a crash caught is not', async () => {
    const start = new Date(Date.now() + 2 * 3_600_000);
    await openDispute(db(), {
      ...request('Gamma plc', start),
      reason: 'other',
      message: 'Private words about our cash flow',
    });
    const digest = await digestAt(start);
    expect(digest).toMatchObject({ status: 'sent', slack: true });

    slack.answerWith(500);
    expect(await postSlackDigests({ db: db(), slackBaseUrl, logger }, start)).toEqual({
      sent: 0,
      failed: 1,
      uncertain: 0,
    });
    slack.answerWith(200);
    expect(await postSlackDigests({ db: db(), slackBaseUrl, logger }, start)).toEqual({
      sent: 1,
      failed: 0,
      uncertain: 0,
    });
    // Nothing left to post: a second run posts nothing again.
    expect(await postSlackDigests({ db: db(), slackBaseUrl, logger }, start)).toEqual({
      sent: 0,
      failed: 0,
      uncertain: 0,
    });
    expect(slack.posts).toHaveLength(2);
    const posted = slack.posts[1];
    expect(posted?.path).toBe(secretPath);
    expect(posted?.body.text).toContain('Gamma plc disputed £1,020.00');
    expect(posted?.body.text).not.toContain('Private words');
    expect(posted?.body.text).not.toContain('INV-');
    const [row] = (await digests()).filter((candidate) => candidate.slackStatus === 'sent');
    expect(row?.slackAttempts).toBe(2);

    // A post under way when its worker died: never posted again, marked for a person to know.
    await db()
      .update(ownerDigests)
      .set({ slackStatus: 'sending', slackSentAt: new Date(start.getTime() - 5 * 60_000) })
      .where(eq(ownerDigests.id, row?.id ?? ''));
    expect(await postSlackDigests({ db: db(), slackBaseUrl, logger }, start)).toEqual({
      sent: 0,
      failed: 0,
      uncertain: 1,
    });
    expect(slack.posts).toHaveLength(2);

    // The webhook URL is a secret: not in a log line, not in a stored error.
    expect(logged.join('\n')).not.toContain('very-secret-token');
    const errors = (await digests()).map((candidate) => candidate.slackError ?? '').join(' ');
    expect(errors).not.toContain('very-secret-token');
  });
});
