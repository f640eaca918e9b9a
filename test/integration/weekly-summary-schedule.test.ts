import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';
import {
  activityLog,
  invoices,
  memberships,
  outboundMessages,
  payments,
  users,
} from '../../src/db/schema/index.js';
import { createLogger } from '../../src/logger.js';
import { renderWeeklySummary } from '../../src/messaging/render/weekly-summary-email.js';
import {
  organisationProfile,
  organisationSettingsSchema,
  saveOrganisationSettings,
} from '../../src/organisations/settings.js';
import {
  dueWeeklySummaryOrganisations,
  previewWeeklySummary,
  type SummaryDeps,
  sendDueWeeklySummaries,
  sendDueWeeklySummary,
  sendWeeklySummaryNow,
  summaryEmailLinks,
} from '../../src/reports/send-weekly-summary.js';
import {
  markMissedWeeklySummaries,
  sentWeeklySummaries,
  sentWeeklySummary,
} from '../../src/reports/sent-summaries.js';
import { weeklySummaryLinks } from '../../src/reports/summary-links.js';
import { buildWeeklySummary } from '../../src/reports/weekly-summary.js';
import { unsubscribeFromSummary } from '../../src/reports/weekly-summary-settings.js';
import { createScratchDatabase, type ScratchDatabase } from '../helpers/databases.js';
import { createSummaryOrganisation } from '../helpers/summary-org.js';

const logger = createLogger('silent');
const links = weeklySummaryLinks('the weekly summary schedule test secret', 'https://dunwell.example');

/*
 * When summaries go and how often. This file has a database of its own, so the hourly round over
 * every organisation sees only the organisations made here.
 */
describe('when weekly summaries go, and never twice for a week', () => {
  let scratch: ScratchDatabase;
  let database: DatabaseHandle;
  let second: DatabaseHandle;
  const delivered: string[] = [];
  const deps = (handle: DatabaseHandle = database): SummaryDeps => ({
    db: handle.db,
    links,
    logger,
    deliver: async (messageId) => {
      delivered.push(messageId);
    },
  });
  const summariesOf = (orgId: string) =>
    database.db
      .select()
      .from(outboundMessages)
      .where(
        and(eq(outboundMessages.orgId, orgId), like(outboundMessages.idempotencyKey, 'weekly-summary:%')),
      );
  /** A person who signs in for the organisation (their address was verified at sign-in). */
  const addMember = async (orgId: string, email: string) => {
    const [user] = await database.db.insert(users).values({ email }).returning();
    await database.db.insert(memberships).values({ orgId, userId: user?.id ?? '' });
    return user?.id;
  };
  const keysOf = async (orgId: string) => (await summariesOf(orgId)).map((row) => row.idempotencyKey).sort();
  const organisationRow = async (orgId: string) => {
    const profile = await organisationProfile(database.db, orgId);
    if (!profile) throw new Error('gone');
    return { id: orgId, timeZone: profile.timeZone, settings: profile.settings };
  };

  beforeAll(async () => {
    scratch = await createScratchDatabase(inject('adminUrl'), 'summary_schedule');
    await runMigrations(scratch.url);
    database = connectDatabase(scratch.url, { poolMax: 6, logger });
    second = connectDatabase(scratch.url, { poolMax: 6, logger });
  }, 120_000);
  afterAll(async () => {
    await database?.pool.end();
    await second?.pool.end();
    await scratch?.drop();
  });

  it('goes at 08:00 Monday in each organisation’s own zone: a Sunday-night UTC run is Monday in Sydney, not in Los Angeles', async () => {
    const sydney = await createSummaryOrganisation(database.db, {
      name: 'Bondi Tiles',
      timeZone: 'Australia/Sydney',
      currency: 'AUD',
      country: 'AU',
      settings: { notifyEmail: 'owner@bondi.example' },
    });
    const angeles = await createSummaryOrganisation(database.db, {
      name: 'Echo Park Print',
      timeZone: 'America/Los_Angeles',
      currency: 'USD',
      country: 'US',
      settings: { notifyEmail: 'owner@echopark.example' },
    });
    // Monday 16 March, 09:00 in Los Angeles (PDT) and 03:00 Tuesday in Sydney (AEDT): Los Angeles's
    // Monday has come; Sydney's went by (nothing was running), so it is not sent on the wrong day.
    await sendDueWeeklySummaries(deps(), new Date('2026-03-16T16:00:00Z'));
    expect(await keysOf(sydney.orgId)).toEqual([]);
    expect(await keysOf(angeles.orgId)).toEqual(['weekly-summary:2026-W12:owner@echopark.example']);

    // Sunday 22 March, 22:00 UTC: Monday 09:00 in Sydney, Sunday 15:00 in Los Angeles.
    await sendDueWeeklySummaries(deps(), new Date('2026-03-22T22:00:00Z'));
    expect(await keysOf(sydney.orgId)).toEqual(['weekly-summary:2026-W13:owner@bondi.example']);
    expect(await keysOf(angeles.orgId)).toEqual(['weekly-summary:2026-W12:owner@echopark.example']);

    // Monday 07:04 in Los Angeles: not yet. 08:04: yes.
    await sendDueWeeklySummaries(deps(), new Date('2026-03-23T14:04:00Z'));
    expect(await keysOf(angeles.orgId)).toHaveLength(1);
    await sendDueWeeklySummaries(deps(), new Date('2026-03-23T15:04:00Z'));
    expect(await keysOf(angeles.orgId)).toEqual([
      'weekly-summary:2026-W12:owner@echopark.example',
      'weekly-summary:2026-W13:owner@echopark.example',
    ]);
    expect(await keysOf(sydney.orgId)).toHaveLength(1);

    // Sydney's week 13 covers its own Monday-to-Sunday, 16–22 March.
    const [week13] = await summariesOf(sydney.orgId);
    expect(week13?.bodyText).toMatch(/16\s?–\s?22 March 2026/);
  });

  it('is one message per recipient and week, across repeated runs, restarts and two workers at once', async () => {
    const org = await createSummaryOrganisation(database.db, {
      name: 'Twin Workers Ltd',
      timeZone: 'Europe/London',
      settings: {
        notifyEmail: 'ignored@twin.example',
        weeklySummary: { recipients: ['Boss@Twin.example', 'books@twin.example'] },
      },
    });
    const monday = new Date('2026-03-16T08:10:00Z');
    const row = await organisationRow(org.orgId);
    delivered.length = 0;
    const dueIds = async (at: Date) =>
      (await dueWeeklySummaryOrganisations(database.db, at)).map((organisation) => organisation.id);
    expect(await dueIds(monday)).toContain(org.orgId);
    // Two workers, each with its own connections, race ten times over.
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        sendDueWeeklySummary(deps(index % 2 === 0 ? database : second), row, monday),
      ),
    );
    const rows = await summariesOf(org.orgId);
    expect(rows.map((row) => row.idempotencyKey).sort()).toEqual([
      'weekly-summary:2026-W12:books@twin.example',
      'weekly-summary:2026-W12:boss@twin.example',
    ]);
    // Each message was handed for delivery exactly once, by whichever run wrote it.
    expect(delivered.filter((id) => rows.some((row) => row.id === id)).sort()).toEqual(
      rows.map((row) => row.id).sort(),
    );
    expect(results.filter((result) => result.status === 'queued')).not.toHaveLength(0);

    // A restart: a new process (new connections) later the same day, and later in the week.
    const restarted = connectDatabase(scratch.url, { poolMax: 2, logger });
    try {
      expect(
        (await sendDueWeeklySummary(deps(restarted), row, new Date('2026-03-16T12:00:00Z'))).status,
      ).toBe('already_sent');
      expect(
        (await sendDueWeeklySummary(deps(restarted), row, new Date('2026-03-22T23:30:00Z'))).status,
      ).toBe('not_due');
    } finally {
      await restarted.pool.end();
    }
    expect(await summariesOf(org.orgId)).toHaveLength(2);
    // Sent: the hourly run stops queueing it for the rest of the week, and it is due again next week.
    expect(await dueIds(new Date('2026-03-18T12:00:00Z'))).not.toContain(org.orgId);
    expect(await dueIds(new Date('2026-03-23T08:10:00Z'))).toContain(org.orgId);

    const message = rows[0];
    expect(message).toMatchObject({
      customerId: null,
      purpose: 'notice',
      template: 'weekly-summary',
      status: 'pending',
    });
    expect(message?.subject).toContain('Twin Workers Ltd');
    const email = message?.to[0]?.email ?? '';
    expect(message?.bodyHtml).toContain(links.unsubscribeUrl(org.orgId, email));
    expect(message?.bodyText).toContain(links.unsubscribeUrl(org.orgId, email));
  });

  it('goes on its day only: a day missed is marked missed and not sent late, the next goes on its own day', async () => {
    const org = await createSummaryOrganisation(database.db, {
      name: 'Catch Up Co',
      timeZone: 'Europe/London',
      settings: { contactEmail: 'hello@catchup.example', weeklySummary: { weekday: 5, hour: 17 } },
    });
    const row = await organisationRow(org.orgId);
    // Friday 17:00 is the hour; Friday 16:59 is not due.
    expect((await sendDueWeeklySummary(deps(), row, new Date('2026-03-20T16:59:00Z'))).status).toBe(
      'not_due',
    );
    // The worker was down all Friday evening: Saturday morning is the wrong day, nothing goes.
    expect(await sendDueWeeklySummary(deps(), row, new Date('2026-03-21T09:00:00Z'))).toMatchObject({
      status: 'not_due',
      isoWeek: '2026-W12',
    });
    expect(
      await dueWeeklySummaryOrganisations(database.db, new Date('2026-03-21T09:00:00Z')),
    ).not.toContainEqual(expect.objectContaining({ id: org.orgId }));
    // The hourly round marks it missed, once however often it runs.
    expect(await markMissedWeeklySummaries(database.db, new Date('2026-03-21T09:04:00Z'))).toBeGreaterThan(0);
    await markMissedWeeklySummaries(database.db, new Date('2026-03-21T10:04:00Z'));
    const missed = await database.db
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.orgId, org.orgId), eq(activityLog.kind, 'summary.missed')));
    expect(missed.map((entry) => entry.details)).toEqual([
      { isoWeek: '2026-W12', scheduledOn: '2026-03-20' },
    ]);
    // The next Friday's goes on its day, once.
    expect(await sendDueWeeklySummary(deps(), row, new Date('2026-03-27T17:30:00Z'))).toMatchObject({
      status: 'queued',
      isoWeek: '2026-W13',
    });
    expect(await keysOf(org.orgId)).toEqual(['weekly-summary:2026-W13:hello@catchup.example']);
    // A sent week is never marked missed.
    await markMissedWeeklySummaries(database.db, new Date('2026-03-28T09:04:00Z'));
    const marks = await database.db
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.orgId, org.orgId), eq(activityLog.kind, 'summary.missed')));
    expect(marks).toHaveLength(1);
  });

  it('never sends a summary for a week that began before the organisation existed', async () => {
    // Created on Wednesday 11 March 2026 (London); the summary goes on Mondays at 08:00.
    const org = await createSummaryOrganisation(database.db, {
      name: 'Brand New Ltd',
      timeZone: 'Europe/London',
      settings: { notifyEmail: 'owner@brandnew.example' },
      createdAt: new Date('2026-03-11T10:00:00Z'),
    });
    const row = await organisationRow(org.orgId);
    // Monday 16 March would report on 9–15 March, which began before the organisation: nothing.
    expect(await sendDueWeeklySummary(deps(), row, new Date('2026-03-16T08:30:00Z'))).toMatchObject({
      status: 'before_organisation',
    });
    expect(
      await dueWeeklySummaryOrganisations(database.db, new Date('2026-03-16T08:30:00Z')),
    ).not.toContainEqual(expect.objectContaining({ id: org.orgId }));
    // Nor is it "missed": it was never owed.
    await markMissedWeeklySummaries(database.db, new Date('2026-03-17T09:04:00Z'));
    const marks = await database.db
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.orgId, org.orgId), eq(activityLog.kind, 'summary.missed')));
    expect(marks).toHaveLength(0);
    // The first is Monday 23 March, on the whole week of 16–22 March.
    expect(await sendDueWeeklySummary(deps(), row, new Date('2026-03-23T08:30:00Z'))).toMatchObject({
      status: 'queued',
      isoWeek: '2026-W13',
    });
    const [first] = await summariesOf(org.orgId);
    expect(first?.bodyText).toMatch(/16\s?–\s?22 March 2026/);
  });

  it('lists each sent summary, and shows each exactly as it was sent', async () => {
    const org = await createSummaryOrganisation(database.db, {
      name: 'Record Keepers Ltd',
      timeZone: 'Europe/London',
      settings: { notifyEmail: 'owner@keepers.example' },
    });
    const row = await organisationRow(org.orgId);
    await sendDueWeeklySummary(deps(), row, new Date('2026-03-16T08:30:00Z'));
    await markMissedWeeklySummaries(database.db, new Date('2026-03-24T09:04:00Z'));
    const ctx = { orgId: org.orgId, actor: { kind: 'system' } as const, db: database.db, now: new Date() };
    const list = await sentWeeklySummaries(ctx as never);
    expect(list.rows.map((entry) => [entry.week, entry.status])).toEqual([
      ['Week 13, 2026', 'missed'],
      ['Week 12, 2026', 'queued'],
    ]);
    expect(list.rows[1]?.when).toBe('Monday, 16 March 2026 at 08:30');
    const [stored] = await summariesOf(org.orgId);
    const shown = await sentWeeklySummary(ctx as never, list.rows[1]?.id ?? '');
    expect(shown).toMatchObject({
      subject: stored?.subject,
      html: stored?.bodyHtml,
      text: stored?.bodyText,
      to: 'owner@keepers.example',
    });
    // Another organisation's message is not there.
    const other = await createSummaryOrganisation(database.db, {
      name: 'Other Ltd',
      timeZone: 'Europe/London',
    });
    await expect(
      sentWeeklySummary({ ...ctx, orgId: other.orgId } as never, list.rows[1]?.id ?? ''),
    ).rejects.toMatchObject({ statusCode: 404 });
  });

  it('sends nothing when turned off or when nobody is to get it', async () => {
    const off = await createSummaryOrganisation(database.db, {
      name: 'Quiet Ltd',
      timeZone: 'Europe/London',
      settings: { notifyEmail: 'owner@quiet.example', weeklySummary: { enabled: false } },
    });
    const nobody = await createSummaryOrganisation(database.db, {
      name: 'Nobody Ltd',
      timeZone: 'Europe/London',
    });
    const monday = new Date('2026-03-16T09:00:00Z');
    expect((await sendDueWeeklySummary(deps(), await organisationRow(off.orgId), monday)).status).toBe(
      'disabled',
    );
    expect((await sendDueWeeklySummary(deps(), await organisationRow(nobody.orgId), monday)).status).toBe(
      'no_recipients',
    );
    expect(await summariesOf(off.orgId)).toHaveLength(0);
    expect(await summariesOf(nobody.orgId)).toHaveLength(0);
  });

  it('stops for the one recipient who unsubscribed, and a settings save does not undo it', async () => {
    const org = await createSummaryOrganisation(database.db, {
      name: 'Two Readers Ltd',
      timeZone: 'Europe/London',
      settings: { weeklySummary: { recipients: ['ann@readers.example', 'bob@readers.example'] } },
    });
    await sendDueWeeklySummary(deps(), await organisationRow(org.orgId), new Date('2026-03-16T09:00:00Z'));
    expect(await unsubscribeFromSummary(database.db, org.orgId, 'Bob@Readers.example', new Date())).toBe(
      true,
    );
    expect(await unsubscribeFromSummary(database.db, org.orgId, 'bob@readers.example', new Date())).toBe(
      false,
    );
    // The settings page saves what it loaded before Bob unsubscribed: his choice stands.
    await saveOrganisationSettings(
      database.db,
      org.orgId,
      organisationSettingsSchema.parse({
        weeklySummary: { recipients: ['ann@readers.example', 'bob@readers.example'], hour: 9 },
      }),
    );
    await sendDueWeeklySummary(deps(), await organisationRow(org.orgId), new Date('2026-03-23T09:30:00Z'));
    expect(await keysOf(org.orgId)).toEqual([
      'weekly-summary:2026-W12:ann@readers.example',
      'weekly-summary:2026-W12:bob@readers.example',
      'weekly-summary:2026-W13:ann@readers.example',
    ]);
    expect((await organisationProfile(database.db, org.orgId))?.settings.weeklySummary).toMatchObject({
      hour: 9,
      unsubscribed: ['bob@readers.example'],
    });
  });

  it('“send now” for testing goes at once under a key of its own, and the week’s summary still goes', async () => {
    const org = await createSummaryOrganisation(database.db, {
      name: 'Tester Ltd',
      timeZone: 'Europe/London',
      settings: { notifyEmail: 'owner@tester.example' },
    });
    await addMember(org.orgId, 'Owner@Tester.example');
    const early = new Date('2026-03-16T07:00:00Z');
    const sent = await sendWeeklySummaryNow(deps(), { orgId: org.orgId, now: early });
    const again = await sendWeeklySummaryNow(deps(), { orgId: org.orgId, now: early });
    expect(sent.recipients).toEqual(['owner@tester.example']);
    expect(sent.messageIds).toHaveLength(1);
    expect(again.messageIds).toHaveLength(1);
    expect(again.messageIds[0]).not.toBe(sent.messageIds[0]);
    const real = await sendDueWeeklySummary(
      deps(),
      await organisationRow(org.orgId),
      new Date('2026-03-16T08:05:00Z'),
    );
    expect(real.status).toBe('queued');
    expect(await keysOf(org.orgId)).toEqual(['weekly-summary:2026-W12:owner@tester.example']);
  });

  it('“send now” mails only verified people of the organisation, and at most 3 times an hour across processes (#17)', async () => {
    const org = await createSummaryOrganisation(database.db, {
      name: 'Clicky Ltd',
      timeZone: 'Europe/London',
      settings: {
        notifyEmail: 'ops@clicky.example',
        weeklySummary: {
          recipients: ['stranger1@elsewhere.example', 'ann@clicky.example', 'stranger2@elsewhere.example'],
        },
      },
    });
    const at = new Date('2026-03-18T10:00:00Z');
    // Nobody among the recipients signs in for the organisation: refused, saying who could get it.
    const none = await sendWeeklySummaryNow(deps(), { orgId: org.orgId, now: at }).catch((error) => error);
    expect(none).toMatchObject({ statusCode: 409, code: 'no_verified_recipients' });
    await addMember(org.orgId, 'ann@clicky.example');
    const bob = await addMember(org.orgId, 'bob@clicky.example');
    expect(
      (
        await sendWeeklySummaryNow(deps(), { orgId: org.orgId, now: at, to: ['x@elsewhere.example'] }).catch(
          (e) => e,
        )
      ).statusCode,
    ).toBe(409);
    expect(bob).toBeTruthy();

    const first = await sendWeeklySummaryNow(deps(), { orgId: org.orgId, now: at });
    expect(first.recipients).toEqual(['ann@clicky.example']);
    // Two more, one through another process's pool: the count is in the database.
    await sendWeeklySummaryNow(deps(second), { orgId: org.orgId, now: new Date(at.getTime() + 60_000) });
    await sendWeeklySummaryNow(deps(), { orgId: org.orgId, now: new Date(at.getTime() + 120_000) });
    const fourth = await sendWeeklySummaryNow(deps(second), {
      orgId: org.orgId,
      now: new Date(at.getTime() + 30 * 60_000),
    }).catch((error) => error);
    expect(fourth).toMatchObject({ statusCode: 429, code: 'send_now_limit' });
    expect(fourth.message).toContain('Try again in 30 minutes');
    const copies = await database.db
      .select()
      .from(outboundMessages)
      .where(
        and(
          eq(outboundMessages.orgId, org.orgId),
          like(outboundMessages.idempotencyKey, 'weekly-summary-test:%'),
        ),
      );
    expect(copies.map((copy) => copy.to[0]?.email)).toEqual([
      'ann@clicky.example',
      'ann@clicky.example',
      'ann@clicky.example',
    ]);
    // An hour after the first, one more is allowed.
    const later = await sendWeeklySummaryNow(deps(), {
      orgId: org.orgId,
      now: new Date(at.getTime() + 60 * 60_000 + 1),
    });
    expect(later.messageIds).toHaveLength(1);
  });

  it('previews what would go now, for the settings page: no unsubscribe link, and who would get it', async () => {
    const org = await createSummaryOrganisation(database.db, {
      name: 'Preview Ltd',
      timeZone: 'Europe/London',
      settings: { notifyEmail: 'owner@preview.example', contactEmail: 'hello@preview.example' },
    });
    const preview = await previewWeeklySummary(
      database.db,
      org.orgId,
      new Date('2026-03-18T10:00:00Z'),
      links,
    );
    expect(preview.recipients).toEqual(['owner@preview.example']);
    expect(preview.subject).toBe('Preview Ltd: nothing overdue this week');
    expect(preview.text).toMatch(/11\s–\s17 March 2026/);
    expect(preview.text).not.toContain('Unsubscribe');
    expect(preview.html).toContain(`https://dunwell.example/app/${org.orgId}/weekly-summary`);
    expect(await summariesOf(org.orgId)).toHaveLength(0);
  });

  it('an organisation with nothing overdue gets a short, cheerful email', async () => {
    const org = await createSummaryOrganisation(database.db, {
      name: 'All Square Ltd',
      timeZone: 'Europe/London',
      settings: { notifyEmail: 'owner@allsquare.example' },
      customers: ['Prompt Payer'],
    });
    const customerId = org.customerIds.get('Prompt Payer') ?? '';
    await database.db.insert(invoices).values([
      {
        orgId: org.orgId,
        connectionId: org.connectionId,
        customerId,
        externalId: 'paid-1',
        currency: 'GBP',
        totalMinor: 150_000,
        balanceMinor: 0,
        status: 'paid',
        issueDate: '2026-03-01',
        dueDate: '2026-03-10',
      },
      {
        orgId: org.orgId,
        connectionId: org.connectionId,
        customerId,
        externalId: 'not-due',
        currency: 'GBP',
        totalMinor: 42_000,
        balanceMinor: 42_000,
        status: 'open',
        issueDate: '2026-03-12',
        dueDate: '2026-04-11',
      },
    ]);
    await database.db.insert(payments).values({
      orgId: org.orgId,
      connectionId: org.connectionId,
      customerId,
      externalId: 'pay-1',
      currency: 'GBP',
      amountMinor: 150_000,
      paidOn: '2026-03-11',
    });
    const now = new Date('2026-03-16T08:30:00Z');
    const summary = await buildWeeklySummary(database.db, org.orgId, { now });
    expect(summary.nothingOverdue).toBe(true);
    const email = renderWeeklySummary(
      summary,
      summaryEmailLinks(links, org.orgId, 'owner@allsquare.example', now),
    );
    expect(email.subject).toBe('All Square Ltd: nothing overdue, £1,500.00 collected this week');
    expect(email.text).toContain('Nothing is overdue.');
    expect(email.text).toContain('£1,500.00 came in this week, and £420.00 is not yet due.');
    expect(email.html).toContain('Nothing is overdue');
    // Short: none of the sections of a week with overdue money.
    for (const section of ['LARGEST OVERDUE', 'OPEN BALANCE BY AGE', 'THE WEEK IN NUMBERS', 'Total overdue'])
      expect(email.text).not.toContain(section);
    expect(email.text.split('\n').length).toBeLessThan(16);
  });

  it('puts a connection problem at the top, before any figure', async () => {
    const org = await createSummaryOrganisation(database.db, {
      name: 'Broken Link Ltd',
      timeZone: 'Europe/London',
      settings: { notifyEmail: 'owner@broken.example' },
      connection: { status: 'needs_reauth', lastError: 'The refresh token was revoked' },
    });
    const now = new Date('2026-03-16T08:30:00Z');
    const summary = await buildWeeklySummary(database.db, org.orgId, { now });
    expect(summary.connectionProblems).toEqual([
      {
        vendor: 'quickbooks',
        companyName: 'Broken Link Ltd',
        kind: 'needs_reconnect',
        detail: 'The refresh token was revoked',
      },
    ]);
    const email = renderWeeklySummary(
      summary,
      summaryEmailLinks(links, org.orgId, 'owner@broken.example', now),
    );
    expect(email.subject.startsWith('Action needed: reconnect your books')).toBe(true);
    const problemAt = email.text.indexOf('needs reconnecting to QuickBooks');
    expect(problemAt).toBeGreaterThan(0);
    expect(problemAt).toBeLessThan(email.text.indexOf('Nothing is overdue'));
    expect(email.html.indexOf('needs reconnecting')).toBeLessThan(email.html.indexOf('Nothing is overdue'));
  });

  it('escapes whatever the ledger calls a customer or the organisation', async () => {
    const org = await createSummaryOrganisation(database.db, {
      name: 'Evil <b>Corp</b> & "Sons"',
      timeZone: 'Europe/London',
      settings: { notifyEmail: 'owner@evil.example' },
      customers: ['<img src=x onerror=alert(1)>\nInjected: line'],
    });
    const customerId = [...org.customerIds.values()][0] ?? '';
    await database.db.insert(invoices).values({
      orgId: org.orgId,
      connectionId: org.connectionId,
      customerId,
      externalId: 'x',
      currency: 'GBP',
      totalMinor: 1_000,
      balanceMinor: 1_000,
      status: 'open',
      issueDate: '2026-02-01',
      dueDate: '2026-02-10',
    });
    const now = new Date('2026-03-16T08:30:00Z');
    const email = renderWeeklySummary(
      await buildWeeklySummary(database.db, org.orgId, { now }),
      summaryEmailLinks(links, org.orgId, 'owner@evil.example', now),
    );
    expect(email.html).not.toContain('<img src=x');
    expect(email.html).not.toContain('<b>Corp');
    expect(email.html).toContain('&#60;img src=x onerror=alert(1)&#62; Injected: line');
    expect(email.text).toContain('1. <img src=x onerror=alert(1)> Injected: line: £10.00');
    expect(email.subject).not.toMatch(/[\r\n]/);
  });
});
