import { randomUUID } from 'node:crypto';
import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import { connectDatabase, type Database, type DatabaseHandle } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';
import {
  activityLog,
  collectionFlags,
  collectionPolicies,
  collectionSteps,
  collectionTasks,
  connectionChoices,
  customerContacts,
  customerPhones,
  customers,
  debtorReplies,
  disputeInvoices,
  disputes,
  inboundEmails,
  inboundSms,
  invoices,
  ledgerConnections,
  ledgerCredits,
  ledgerWrites,
  localEmailSends,
  memberships,
  messageTemplates,
  organisations,
  outboundMessages,
  ownerDigests,
  ownerEvents,
  ownerNotificationSettings,
  paymentAllocations,
  paymentPlans,
  paymentPromises,
  payments,
  settlements,
  smsMessages,
  smsStatusEvents,
  users,
  webhookInbox,
} from '../../src/db/schema/index.js';
import { eraseDisconnectedJob } from '../../src/jobs/definitions/erase-disconnected.js';
import type { JobDeps } from '../../src/jobs/deps.js';
import { createJobQueue, type JobQueue } from '../../src/jobs/queue.js';
import { type AppJobRegistry, jobRegistry } from '../../src/jobs/registry.js';
import { databaseTokenStore } from '../../src/ledger/connection-tokens.js';
import { openLedgerConnection } from '../../src/ledger/open-connection.js';
import { createLogger } from '../../src/logger.js';
import {
  erasableOrganisations,
  eraseDisconnectedOrganisation,
  eraseOrganisation,
  retentionDays,
  revokeAndEraseOrganisation,
} from '../../src/organisations/erase.js';
import { createScratchDatabase, type ScratchDatabase } from '../helpers/databases.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';

const dayMs = 86_400_000;

/** Every table of the application holding a column `org_id`, read from the catalog, not from a list. */
async function tablesWithOrgId(db: Database): Promise<string[]> {
  const found = await db.execute<{ name: string }>(sql`
    select c.table_name as name from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and c.column_name = 'org_id' and t.table_type = 'BASE TABLE'
    order by 1`);
  return found.rows.map((row) => row.name);
}

async function rowsPerTable(db: Database, orgId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of await tablesWithOrgId(db)) {
    const result = await db.execute<{ count: number }>(
      sql`select count(*)::int as count from ${sql.identifier(table)} where org_id = ${orgId}`,
    );
    counts[table] = result.rows[0]?.count ?? -1;
  }
  return counts;
}

/** Rows of any table of the application (or of pg-boss) whose text holds one of `needles`. */
async function rowsMentioning(db: Database, needles: string[]): Promise<Record<string, number>> {
  const tables = await db.execute<{ schema: string; name: string }>(sql`
    select table_schema as schema, table_name as name from information_schema.tables
    where table_schema in ('public', 'pgboss') and table_type = 'BASE TABLE'`);
  const patterns = needles.map((needle) => `%${needle}%`);
  const found: Record<string, number> = {};
  for (const { schema, name } of tables.rows) {
    const table = sql`${sql.identifier(schema)}.${sql.identifier(name)}`;
    const result = await db.execute<{ count: number }>(
      sql`select count(*)::int as count from ${table} as r where r::text like any(${sql.param(patterns)}::text[])`,
    );
    const count = result.rows[0]?.count ?? 0;
    if (count > 0) found[`${schema}.${name}`] = count;
  }
  return found;
}

interface Seeded {
  orgId: string;
  tenantId: string;
  connectionId: string;
  messageId: string;
  writeId: string;
  /** Ids that appear only in this organisation's rows. */
  ids: string[];
}

/** One organisation with at least a row in each table that holds organisation data. */
async function seedOrganisation(db: Database, label: string): Promise<Seeded> {
  const tenantId = `tenant-${label}-${randomUUID()}`;
  const [organisation] = await db
    .insert(organisations)
    .values({ name: `${label} Ltd`, currency: 'GBP' })
    .returning();
  const orgId = organisation?.id ?? '';
  const [connection] = await db
    .insert(ledgerConnections)
    .values({ orgId, vendor: 'xero', tenantId, status: 'active' })
    .returning();
  const connectionId = connection?.id ?? '';
  const [customer] = await db
    .insert(customers)
    .values({ orgId, connectionId, externalId: `c-${label}`, name: `${label} Debtor` })
    .returning();
  const customerId = customer?.id ?? '';
  await db.insert(customerContacts).values({ orgId, customerId, email: `ap@${label}.example` });
  const [invoice] = await db
    .insert(invoices)
    .values({
      orgId,
      connectionId,
      customerId,
      externalId: `i-${label}`,
      currency: 'GBP',
      totalMinor: 10_000,
      balanceMinor: 6_000,
      dueDate: '2026-10-01',
    })
    .returning();
  const invoiceId = invoice?.id ?? '';
  const [payment] = await db
    .insert(payments)
    .values({
      orgId,
      connectionId,
      customerId,
      externalId: `p-${label}`,
      currency: 'GBP',
      amountMinor: 4_000,
      paidOn: '2026-10-05',
    })
    .returning();
  await db
    .insert(paymentAllocations)
    .values({ orgId, paymentId: payment?.id ?? '', invoiceId, amountMinor: 4_000 });
  await db.insert(ledgerCredits).values({
    orgId,
    connectionId,
    customerId,
    externalId: `cn-${label}`,
    kind: 'credit_note',
    currency: 'GBP',
    remainingMinor: 1_000,
  });
  await db
    .insert(activityLog)
    .values({ orgId, customerId, invoiceId, kind: 'reminder.sent', actor: 'system', summary: 'Reminded' });
  const [message] = await db
    .insert(outboundMessages)
    .values({
      orgId,
      customerId,
      idempotencyKey: `m-${label}`,
      to: [{ email: `ap@${label}.example` }],
      template: 'reminder',
    })
    .returning();
  const [write] = await db
    .insert(ledgerWrites)
    .values({ orgId, connectionId, invoiceId, kind: 'note', idempotencyKey: `w-${label}`, payload: {} })
    .returning();
  await db.insert(collectionPolicies).values({ orgId, version: 1, policy: {}, createdBy: 'test' });
  await db.insert(collectionSteps).values({
    orgId,
    customerId,
    invoiceId,
    stepKey: '+1',
    kind: 'email',
    effectKey: `m-${label}`,
    takenAt: new Date(),
  });
  await db.insert(collectionTasks).values({
    orgId,
    customerId,
    idempotencyKey: `t-${label}`,
    description: 'Call',
    invoiceIds: [invoiceId],
  });
  const [flag] = await db
    .insert(collectionFlags)
    .values({
      orgId,
      customerId,
      idempotencyKey: `f-${label}`,
      kinds: ['settlement'],
      invoiceIds: [invoiceId],
      daysOverdue: 120,
      recommendation: {},
    })
    .returning();
  const arrangement = { orgId, customerId, invoiceIds: [invoiceId] };
  await db
    .insert(paymentPromises)
    .values({ ...arrangement, promisedDate: '2026-12-01', source: 'portal' as const });
  await db.insert(paymentPlans).values({
    ...arrangement,
    currency: 'GBP',
    startBalanceMinor: 6_000,
    installments: [{ dueDate: '2026-12-01', amountMinor: 6_000 }],
    status: 'active',
    source: 'portal' as const,
  });
  const [dispute] = await db
    .insert(disputes)
    .values({ ...arrangement, reason: 'wrong_amount', message: 'Not ours', source: 'portal' as const })
    .returning();
  await db.insert(disputeInvoices).values({ disputeId: dispute?.id ?? '', orgId, invoiceId });
  await db.insert(settlements).values({
    ...arrangement,
    flagId: flag?.id ?? null,
    currency: 'GBP',
    startBalanceMinor: 6_000,
    offerMinor: 4_000,
    payBy: '2026-12-15',
  });
  await db
    .insert(localEmailSends)
    .values({ messageId: `local-${label}`, orgId, providerMessageId: `local-${label}` });
  await db.insert(webhookInbox).values([
    // Routed to the organisation while connected.
    { vendor: 'xero', eventId: `e1-${label}`, tenantId, orgId, payload: {}, status: 'processed' },
    // Arrived after a disconnect: nothing routed it, so it names only the company.
    { vendor: 'xero', eventId: `e2-${label}`, tenantId, payload: {}, status: 'ignored' },
  ]);
  await db.insert(connectionChoices).values({
    vendor: 'xero',
    accessTokenSealed: 'sealed',
    refreshTokenSealed: 'sealed',
    accessTokenExpiresAt: new Date(Date.now() + 600_000),
    tenants: [{ tenantId, name: `${label} Ltd` }],
    expiresAt: new Date(Date.now() + 600_000),
  });
  await db.insert(messageTemplates).values({
    orgId,
    name: 'friendly',
    subject: 'Hello',
    text: 'Hello',
    html: '<p>Hello</p>',
    updatedBy: 'test',
  });
  const [digest] = await db
    .insert(ownerDigests)
    .values({ orgId, events: 1, messageId: message?.id ?? null })
    .returning();
  await db.insert(ownerEvents).values({
    orgId,
    customerId,
    kind: 'dispute',
    summary: 'disputed 1001',
    occurredAt: new Date(),
    digestId: digest?.id ?? null,
  });
  const [inbound] = await db
    .insert(inboundEmails)
    .values({
      orgId,
      toAddress: `reply+x@in.${label}.example`,
      fromAddress: `ap@${label}.example`,
      size: 100,
      status: 'matched',
    })
    .returning();
  await db.insert(debtorReplies).values({
    orgId,
    customerId,
    messageId: message?.id ?? '',
    inboundEmailId: inbound?.id ?? '',
    class: 'promise',
    confidence: 0.9,
    promisedDate: '2026-12-15',
    fromAddress: `ap@${label}.example`,
    text: 'We will pay on the 15th.',
    receivedAt: new Date(),
  });
  const [phone] = await db
    .insert(customerPhones)
    .values({ orgId, customerId, phone: '+447700900123', consentAt: new Date(), consentSource: 'written' })
    .returning();
  const [text] = await db
    .insert(smsMessages)
    .values({
      orgId,
      customerId,
      phoneId: phone?.id ?? null,
      idempotencyKey: `sms-${label}`,
      toPhone: '+447700900123',
      body: 'Pay here',
      segments: 1,
      status: 'delivered',
      providerSid: `SM${label}${randomUUID().replace(/-/g, '')}`,
    })
    .returning();
  await db.insert(smsStatusEvents).values({ orgId, smsId: text?.id ?? '', status: 'delivered' });
  await db.insert(inboundSms).values({
    orgId,
    customerId,
    providerSid: `SM-in-${label}-${randomUUID()}`,
    fromPhone: '+447700900123',
    toPhone: '+15005550006',
    body: 'STOP',
    keyword: 'stop',
    status: 'processed',
  });
  await db
    .insert(ownerNotificationSettings)
    .values({ orgId, slackWebhookUrl: `https://hooks.slack.com/services/T0/B0/${label}` });
  const [member] = await db
    .insert(users)
    .values({ email: `owner@${label}.example` })
    .returning();
  await db.insert(memberships).values({ orgId, userId: member?.id ?? '', role: 'owner' });
  return {
    orgId,
    tenantId,
    connectionId,
    messageId: message?.id ?? '',
    writeId: write?.id ?? '',
    ids: [orgId, tenantId, connectionId, customerId, invoiceId, message?.id ?? '', write?.id ?? ''],
  };
}

/** Jobs and schedules of every kind Dunwell queues for an organisation, in several states. */
async function queueJobsFor(jobs: JobQueue<JobDeps, AppJobRegistry>, db: Database, seeded: Seeded) {
  await jobs.send('ledger.sync', { connectionId: seeded.connectionId, mode: 'full' });
  const finished = await jobs.send('ledger.sync', { connectionId: seeded.connectionId, mode: 'incremental' });
  await jobs.send('collections.evaluate', { orgId: seeded.orgId });
  const retrying = await jobs.send('collections.deliver-message', { messageId: seeded.messageId });
  await jobs.send('collections.write-ledger', { writeId: seeded.writeId });
  await jobs.schedule('collections.evaluate', seeded.orgId, '0 8 * * 1', 'Europe/London', {
    orgId: seeded.orgId,
  });
  await db.execute(
    sql`update pgboss.job set state = 'completed', completed_on = now() where id = ${finished}::uuid`,
  );
  await db.execute(sql`update pgboss.job set state = 'retry', retry_count = 1 where id = ${retrying}::uuid`);
}

async function jobsMentioning(db: Database, id: string): Promise<number> {
  const result = await db.execute<{ count: number }>(sql`
    select (select count(*) from pgboss.job where data::text like ${`%${id}%`})
         + (select count(*) from pgboss.schedule where key = ${id} or data::text like ${`%${id}%`})
    as count`);
  return Number(result.rows[0]?.count ?? 0);
}

describe('erasing an organisation', () => {
  let scratch: ScratchDatabase;
  let database: DatabaseHandle;
  let jobs: JobQueue<JobDeps, AppJobRegistry>;
  const db = () => database.db;

  beforeAll(async () => {
    // A database of its own: the retention job below looks at every organisation it holds.
    scratch = await createScratchDatabase(inject('adminUrl'), 'erase');
    await runMigrations(scratch.url);
    database = connectDatabase(scratch.url, { poolMax: 4, logger: createLogger('silent') });
    jobs = createJobQueue<JobDeps, AppJobRegistry>({
      connectionString: scratch.url,
      registry: jobRegistry,
      logger: createLogger('silent'),
      role: 'producer',
      concurrency: 1,
    });
    await jobs.start();
  });
  afterAll(async () => {
    await jobs?.stop(1_000);
    await database?.pool.end();
    await scratch?.drop();
  });

  describe('at once ("delete all our data")', () => {
    let erased: Seeded;
    let kept: Seeded;
    let sharedUser: string;
    let loneUser: string;

    beforeAll(async () => {
      erased = await seedOrganisation(db(), 'gone');
      kept = await seedOrganisation(db(), 'kept');
      // Someone in both organisations, and someone signed in who has not connected a company yet.
      const [shared] = await db().insert(users).values({ email: 'both@example.test' }).returning();
      sharedUser = shared?.id ?? '';
      await db()
        .insert(memberships)
        .values([
          { orgId: erased.orgId, userId: sharedUser },
          { orgId: kept.orgId, userId: sharedUser },
        ]);
      const [lone] = await db().insert(users).values({ email: 'new@example.test' }).returning();
      loneUser = lone?.id ?? '';
      await queueJobsFor(jobs, db(), erased);
      await queueJobsFor(jobs, db(), kept);
    });

    it('leaves nothing of it in any table or queue, and all of the other organisation', async () => {
      const before = await rowsPerTable(db(), erased.orgId);
      const otherBefore = await rowsPerTable(db(), kept.orgId);
      // A table with an org_id that the seeding above does not fill fails here: seed it too.
      for (const [table, count] of Object.entries({ ...before, ...otherBefore }))
        expect(count, `rows seeded in ${table}`).toBeGreaterThan(0);
      expect(await rowsMentioning(db(), erased.ids)).not.toEqual({});
      const otherJobs = await jobsMentioning(db(), kept.orgId);
      const otherMentions = await rowsMentioning(db(), kept.ids);

      const counts = await eraseOrganisation(db(), erased.orgId);

      expect(counts).toEqual({
        rows: { organisations: 1, ...before },
        unroutedWebhookEvents: 1,
        connectionChoices: 1,
        users: 1,
        jobs: 5,
        schedules: 1,
      });
      const after = await rowsPerTable(db(), erased.orgId);
      expect(Object.values(after).every((count) => count === 0)).toBe(true);
      // Not its id, its company's, nor any of its rows' anywhere, pg-boss's jobs and schedules included.
      expect(await rowsMentioning(db(), erased.ids)).toEqual({});
      expect(await rowsPerTable(db(), kept.orgId)).toEqual(otherBefore);
      expect(await jobsMentioning(db(), kept.orgId)).toBe(otherJobs);
      expect(await rowsMentioning(db(), kept.ids)).toEqual(otherMentions);
    });

    it('deletes only the people who belonged to it alone', async () => {
      const left = await db()
        .select({ id: users.id, email: users.email })
        .from(users)
        .where(
          inArray(users.email, [
            'owner@gone.example',
            'owner@kept.example',
            'both@example.test',
            'new@example.test',
          ]),
        );
      expect(left.map((user) => user.email).sort()).toEqual([
        'both@example.test',
        'new@example.test',
        'owner@kept.example',
      ]);
      expect(await db().select().from(memberships).where(eq(memberships.userId, sharedUser))).toEqual([
        expect.objectContaining({ orgId: kept.orgId }),
      ]);
      expect(left.some((user) => user.id === loneUser)).toBe(true);
    });

    it('answers null for an organisation that is already gone', async () => {
      expect(await eraseOrganisation(db(), erased.orgId)).toBeNull();
    });

    it('keeps unrouted events and choices for a company another organisation has connected too', async () => {
      const tenantId = `tenant-shared-${randomUUID()}`;
      const [first, second] = await db()
        .insert(organisations)
        .values([
          { name: 'First', currency: 'GBP' },
          { name: 'Second', currency: 'GBP' },
        ])
        .returning();
      for (const organisation of [first, second])
        await db()
          .insert(ledgerConnections)
          .values({ orgId: organisation?.id ?? '', vendor: 'xero', tenantId, status: 'active' });
      await db()
        .insert(webhookInbox)
        .values({ vendor: 'xero', eventId: `e-${tenantId}`, tenantId, payload: {}, status: 'ignored' });

      const counts = await eraseOrganisation(db(), first?.id ?? '');

      expect(counts).toMatchObject({ unroutedWebhookEvents: 0, connectionChoices: 0 });
      expect(await db().select().from(webhookInbox).where(eq(webhookInbox.tenantId, tenantId))).toHaveLength(
        1,
      );
    });
  });

  describe(`after ${retentionDays} days disconnected`, () => {
    const now = Date.now();
    const ids: Record<string, string> = {};

    /** An organisation with connections in the given states, disconnected that many days ago. */
    async function organisationWith(
      label: string,
      connections: Array<{ status: 'active' | 'needs_reauth' | 'disconnected'; daysAgo?: number }>,
    ) {
      const [organisation] = await db()
        .insert(organisations)
        .values({ name: label, currency: 'GBP' })
        .returning();
      const orgId = organisation?.id ?? '';
      for (const connection of connections)
        await db()
          .insert(ledgerConnections)
          .values({
            orgId,
            vendor: 'quickbooks',
            tenantId: `realm-${randomUUID()}`,
            status: connection.status,
            disconnectedAt:
              connection.daysAgo === undefined ? null : new Date(now - connection.daysAgo * dayMs),
          });
      ids[label] = orgId;
    }

    beforeAll(async () => {
      await organisationWith('29 days', [{ status: 'disconnected', daysAgo: 29 }]);
      await organisationWith('31 days', [{ status: 'disconnected', daysAgo: 31 }]);
      await organisationWith('two, both long gone', [
        { status: 'disconnected', daysAgo: 31 },
        { status: 'disconnected', daysAgo: 90 },
      ]);
      await organisationWith('one still active', [
        { status: 'disconnected', daysAgo: 90 },
        { status: 'active' },
      ]);
      await organisationWith('reconnected', [{ status: 'disconnected', daysAgo: 40 }]);
      await organisationWith('needs reauth', [{ status: 'needs_reauth' }]);
      await organisationWith('never connected', []);
    });

    const remaining = async () =>
      (
        await db()
          .select({ id: organisations.id })
          .from(organisations)
          .where(inArray(organisations.id, Object.values(ids)))
      ).map((row) => row.id);

    it('lists only organisations with every connection gone for longer', async () => {
      const listed = await erasableOrganisations(db(), new Date(now));
      expect(listed.filter((id) => Object.values(ids).includes(id)).sort()).toEqual(
        [ids['31 days'], ids['two, both long gone'], ids['reconnected']].sort(),
      );
    });

    it('does not erase an organisation reconnected after it was listed', async () => {
      const orgId = ids['reconnected'] ?? '';
      await db()
        .update(ledgerConnections)
        .set({ status: 'active', disconnectedAt: null })
        .where(eq(ledgerConnections.orgId, orgId));
      expect(await eraseDisconnectedOrganisation(db(), orgId, new Date(now))).toBeNull();
      expect(await remaining()).toContain(orgId);
    });

    it('erases them in the daily job and keeps the rest', async () => {
      await eraseDisconnectedJob.handle(
        {},
        {
          jobId: randomUUID(),
          retryCount: 0,
          logger: createLogger('silent'),
          signal: new AbortController().signal,
          deps: { db: db() } as JobDeps,
        },
      );
      expect((await remaining()).sort()).toEqual(
        [
          ids['29 days'],
          ids['one still active'],
          ids['reconnected'],
          ids['needs reauth'],
          ids['never connected'],
        ].sort(),
      );
    });

    it('is a daily job in the registry', () => {
      expect(jobRegistry['organisations.erase-disconnected']).toBe(eraseDisconnectedJob);
      expect(eraseDisconnectedJob.schedule?.cron).toMatch(/^\d+ \d+ \* \* \*$/);
    });
  });
});

const seed: CompanySeed = {
  name: 'Erasable Joinery',
  homeCurrency: 'GBP',
  country: 'GB',
  customers: [{ id: '1', displayName: 'Ashdown Builders', email: 'accounts@ashdown.example' }],
  invoices: [{ id: '10', customerId: '1', total: 120_000, status: 'overdue', dueDate: '2026-09-30' }],
};

describe('revoking, then erasing a connected organisation', () => {
  let qbo: QuickBooksHarness;
  beforeAll(async () => {
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed);
  }, 120_000);
  afterAll(() => qbo?.stop());

  it('revokes the grant at Intuit before erasing everything', async () => {
    const { connectionId, orgId } = await qbo.connectAndSync();
    const ledger = qbo.runtime.ledger;
    const opened = await openLedgerConnection(ledger, connectionId);
    if (!opened) throw new Error('the connection was not stored');
    const { refreshToken } = await databaseTokenStore(ledger.db, ledger.cipher, connectionId).load();

    const counts = await revokeAndEraseOrganisation(ledger, orgId);

    expect(counts?.rows).toMatchObject({ organisations: 1, ledger_connections: 1, invoices: 1 });
    // Revoked at Intuit: the refresh token no longer works.
    await expect(opened.connector.refreshTokens(refreshToken)).rejects.toSatisfy(
      (error) => opened.connector.classifyFailure(error).code === 'reauth_required',
    );
    expect(Object.values(await rowsPerTable(ledger.db, orgId)).every((count) => count === 0)).toBe(true);
  });
});
