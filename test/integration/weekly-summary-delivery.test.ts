import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';
import { activityLog, ledgerWrites, outboundMessages } from '../../src/db/schema/index.js';
import { localMoment } from '../../src/domain/local-time.js';
import { portalLinks } from '../../src/domain/portal-links.js';
import { deliverMessageJob } from '../../src/jobs/definitions/collections.js';
import { weeklySummariesJob, weeklySummaryJob } from '../../src/jobs/definitions/weekly-summary.js';
import type { JobDeps } from '../../src/jobs/deps.js';
import type { LedgerContext } from '../../src/ledger/context.js';
import { createLogger } from '../../src/logger.js';
import { createLocalTransport } from '../../src/messaging/transport/local.js';
import { weeklySummaryLinks } from '../../src/reports/summary-links.js';
import { createScratchDatabase, type ScratchDatabase } from '../helpers/databases.js';
import { createSummaryOrganisation } from '../helpers/summary-org.js';

const logger = createLogger('silent');
const secret = 'the weekly summary delivery test secret';
const publicUrl = 'https://dunwell.example';

/*
 * The weekly summary goes through the same outbox and transport as reminders: the hourly job
 * queues it, `collections.deliver-message` sends it exactly once, with the recipient's own
 * one-click unsubscribe link. A database of its own, so the hourly job sees only this organisation.
 */
describe('a weekly summary from the hourly job to the transport', () => {
  let scratch: ScratchDatabase;
  let database: DatabaseHandle;
  let orgId: string;
  const transport = createLocalTransport();
  const summaryLinks = weeklySummaryLinks(secret, publicUrl);
  const deliveryRequests: string[] = [];
  const summaryRequests: string[] = [];
  let deps: JobDeps;
  const run = (jobId: string) => ({
    jobId,
    retryCount: 0,
    logger,
    signal: new AbortController().signal,
    get deps() {
      return deps;
    },
  });

  beforeAll(async () => {
    scratch = await createScratchDatabase(inject('adminUrl'), 'summary_delivery');
    await runMigrations(scratch.url);
    database = connectDatabase(scratch.url, { poolMax: 4, logger });
    deps = {
      db: database.db,
      ledger: { db: database.db, pool: database.pool, connectors: {}, logger } as unknown as LedgerContext,
      requests: {
        sync: async () => {},
        routeWebhooks: async () => {},
        evaluate: async () => {},
        deliverMessage: async (messageId: string) => {
          deliveryRequests.push(messageId);
        },
        deliverDue: async () => {},
        writeLedger: async () => {},
        weeklySummary: async (orgId: string) => {
          summaryRequests.push(orgId);
        },
      },
      collections: {
        links: portalLinks(secret, publicUrl),
        transport,
        from: { email: 'summaries@dunwell.example', name: 'Dunwell' },
      },
      weeklySummary: { links: summaryLinks },
    };
    // Due whenever this test runs: today's weekday in the organisation's zone, from midnight.
    const today = localMoment(new Date(), 'Europe/London');
    ({ orgId } = await createSummaryOrganisation(database.db, {
      name: 'Delivered Ltd',
      timeZone: 'Europe/London',
      settings: {
        weeklySummary: { weekday: today.weekday, hour: 0, recipients: ['owner@delivered.example'] },
      },
    }));
  }, 120_000);
  afterAll(async () => {
    await database?.pool.end();
    await scratch?.drop();
  });

  it('queues it from the hourly job and asks for its delivery, once', async () => {
    await weeklySummariesJob.handle({}, run('hourly-1'));
    // The hourly round asks for one job per organisation that is due; each runs on its own.
    expect(summaryRequests).toEqual([orgId]);
    await weeklySummaryJob.handle({ orgId }, run('summary-1'));
    await weeklySummaryJob.handle({ orgId }, run('summary-2'));
    const queued = await database.db.select().from(outboundMessages).where(eq(outboundMessages.orgId, orgId));
    expect(queued).toHaveLength(1);
    expect(deliveryRequests).toEqual([queued[0]?.id]);
  });

  it('sends it exactly once through the transport, even when the answer to the first send is lost', async () => {
    const [message] = await database.db
      .select()
      .from(outboundMessages)
      .where(eq(outboundMessages.orgId, orgId));
    if (!message) throw new Error('nothing queued');
    transport.failNext('unavailable-after-accept');
    await expect(deliverMessageJob.handle({ messageId: message.id }, run('deliver-1'))).rejects.toThrow();
    await deliverMessageJob.handle({ messageId: message.id }, run('deliver-2'));
    await deliverMessageJob.handle({ messageId: message.id }, run('deliver-3'));

    const sent = transport.sent();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      messageId: message.id,
      orgId,
      to: [{ email: 'owner@delivered.example' }],
      subject: message.subject,
      html: message.bodyHtml,
      text: message.bodyText,
      unsubscribeUrl: summaryLinks.unsubscribeUrl(orgId, 'owner@delivered.example'),
    });
    expect(sent[0]?.categories).toContain('template:weekly-summary');
    const [after] = await database.db
      .select()
      .from(outboundMessages)
      .where(eq(outboundMessages.id, message.id));
    expect(after?.status).toBe('sent');
    // Nothing lands on a debtor's timeline or in the books.
    expect(
      await database.db
        .select()
        .from(activityLog)
        .where(and(eq(activityLog.orgId, orgId), eq(activityLog.kind, 'reminder.sent'))),
    ).toHaveLength(0);
    expect(await database.db.select().from(ledgerWrites).where(eq(ledgerWrites.orgId, orgId))).toHaveLength(
      0,
    );
    expect(
      await database.db
        .select()
        .from(outboundMessages)
        .where(and(eq(outboundMessages.orgId, orgId), isNull(outboundMessages.customerId))),
    ).toHaveLength(1);
  });
});
