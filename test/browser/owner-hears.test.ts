import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import { evaluateOrganisation } from '../../src/collections/evaluate.js';
import {
  activityLog,
  collectionFlags,
  customers,
  invoices,
  localEmailSends,
  organisations,
  outboundMessages,
} from '../../src/db/schema/index.js';
import { addDays } from '../../src/domain/local-time.js';
import { deliverMessage } from '../../src/messaging/delivery/deliver-message.js';
import { digestOwnerEvents } from '../../src/messaging/owner-digest.js';
import { createLocalTransport } from '../../src/messaging/transport/local.js';
import { organisationSettingsSchema, saveOrganisationSettings } from '../../src/organisations/settings.js';
import {
  connectQuickBooksInBrowser,
  launchChromium,
  openOnceSynced,
  screenshotter,
} from '../helpers/browser.js';
import { today } from '../helpers/calendar.js';
import { seedFinalNotice } from '../helpers/journey.js';
import { portalClient } from '../helpers/portal.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';
import { internalKeysShown } from '../helpers/visible-text.js';
import { waitFor } from '../helpers/wait.js';

const seed: CompanySeed = {
  name: 'Harbour Joinery',
  homeCurrency: 'GBP',
  country: 'GB',
  customers: [
    { id: '1', displayName: 'Disputing Dora', email: 'dora@dispute.example' },
    { id: '2', displayName: 'Acme Builders', email: 'ap@acme.example' },
    { id: '3', displayName: 'Planning Pete', email: 'pete@plan.example' },
    { id: '4', displayName: 'Quiet Quentin', email: 'q@quiet.example' },
  ],
  invoices: [
    {
      id: '101',
      docNumber: 'HJ-0801',
      customerId: '1',
      total: 164_000,
      status: 'overdue',
      dueDate: addDays(today, -75),
    },
    {
      id: '201',
      docNumber: 'HJ-1042',
      customerId: '2',
      total: 120_000,
      status: 'overdue',
      dueDate: addDays(today, -9),
    },
    {
      id: '301',
      docNumber: 'HJ-0988',
      customerId: '3',
      total: 240_000,
      status: 'overdue',
      dueDate: addDays(today, -20),
    },
    {
      id: '401',
      docNumber: 'HJ-1110',
      customerId: '4',
      total: 45_000,
      status: 'open',
      dueDate: addDays(today, 2),
    },
  ],
};

describe('the owner hears of a dispute, and the review queue agrees with itself, in chromium', () => {
  let qbo: QuickBooksHarness;
  let browser: Browser;
  let page: Page;
  let orgId: string;
  let scratch: string;
  let shoot: Awaited<ReturnType<typeof screenshotter>>;
  const db = () => qbo.runtime.database.db;
  const url = (suffix: string) => `${qbo.runtime.url}${suffix}`;
  const customerId = async (name: string) =>
    (await db().select({ id: customers.id }).from(customers).where(eq(customers.name, name)))[0]?.id ?? '';
  const overflows = () =>
    page.evaluate('document.documentElement.scrollWidth > document.documentElement.clientWidth');

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'dunwell-shots-'));
    shoot = await screenshotter(scratch);
    browser = await launchChromium();
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    orgId = await connectQuickBooksInBrowser(page, qbo.runtime.url);
    await waitFor(async () => (await db().select({ id: invoices.id }).from(invoices)).length === 4, {
      what: 'the sync',
    });
    // The connect page follows the sync and reloads once it is over: leave it for a page that does not.
    await openOnceSynced(page, db(), orgId, url(`/app/${orgId}`));
    // Live and on UTC (a new organisation starts in preview); the owner hears about disputes.
    await db()
      .update(organisations)
      .set({ sending: 'live', timeZone: 'UTC' })
      .where(eq(organisations.id, orgId));
    await saveOrganisationSettings(
      db(),
      orgId,
      organisationSettingsSchema.parse({
        contactEmail: 'accounts@harbourjoinery.example',
        notifyEmail: 'owner@harbourjoinery.example',
      }),
    );
    // Dora walked the whole ladder: the final notice went three weeks ago, so the agency flag waits.
    await seedFinalNotice(db(), orgId, 'Disputing Dora', new Date(), 21);
    // The last weekday's hourly evaluation (11:00 UTC, at least an hour ago) queued reminders that
    // wait for the delivery run, and raised Dora's flag.
    const past = new Date(Date.now() - 3_600_000);
    past.setUTCHours(11, 0, 0, 0);
    while (past.getTime() > Date.now() - 3_600_000 || past.getUTCDay() === 0 || past.getUTCDay() === 6)
      past.setUTCDate(past.getUTCDate() - 1);
    await evaluateOrganisation(db(), orgId, { now: past });
    const [flag] = await db()
      .select()
      .from(collectionFlags)
      .where(
        and(
          eq(collectionFlags.customerId, await customerId('Disputing Dora')),
          eq(collectionFlags.status, 'pending'),
        ),
      );
    expect(flag?.kinds).toEqual(['agency_referral']);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await qbo?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('a dispute on the portal reaches the owner in one digest email, and withdraws the agency suggestion', async () => {
    const dora = await customerId('Disputing Dora');
    const debtor = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await debtor.goto(url(`/portal/${portalClient(qbo).tokenFor(orgId, dora)}`));
    await debtor.getByText('Something looks wrong').click();
    await debtor.getByLabel('What is wrong?').selectOption('quality');
    await debtor.getByLabel('Tell us more').fill('The stair rail was cracked on delivery.');
    await Promise.all([
      debtor.waitForURL(/done=dispute/),
      debtor.getByRole('button', { name: /Send to Harbour Joinery/ }).click(),
    ]);
    await debtor.close();

    // The minute's digest run, then its delivery through the local transport.
    const digest = await digestOwnerEvents(db(), {
      orgId,
      now: new Date(),
      windowMinutes: 15,
      baseUrl: qbo.runtime.url,
    });
    expect(digest).toMatchObject({ status: 'sent', events: 1 });
    const messageId = digest.status === 'sent' ? (digest.messageId ?? '') : '';
    const outcome = await deliverMessage(
      {
        db: db(),
        ledger: qbo.runtime.ledger,
        transport: createLocalTransport({ db: db() }),
        from: { email: 'reminders@dunwell.example', name: 'Dunwell' },
        links: portalClient(qbo).links,
        unsubscribeUrl: ({ id }) => `${qbo.runtime.url}/opt-out/${id}`,
        now: () => new Date(),
      },
      messageId,
    );
    expect(outcome).toBe('sent');
    const [email] = await db().select().from(outboundMessages).where(eq(outboundMessages.id, messageId));
    expect(email).toMatchObject({ status: 'sent', subject: 'Dunwell: 1 thing from your customers' });
    expect(email?.to).toEqual([{ email: 'owner@harbourjoinery.example' }]);
    expect(email?.bodyText).toContain('Disputing Dora disputed HJ-0801 (A problem with the quality)');
    expect(
      await db().select().from(localEmailSends).where(eq(localEmailSends.messageId, messageId)),
    ).toHaveLength(1);
    // The owner reads it as a mail client shows it, and follows its link to the review queue.
    await page.setContent(email?.bodyHtml ?? '');
    await Promise.all([
      page.waitForURL(/\/review$/),
      page.getByRole('link', { name: 'Decide what waits for you' }).click(),
    ]);

    const main = (await page.locator('main').textContent()) ?? '';
    expect(main.match(/Disputing Dora/g)).toHaveLength(1);
    expect(main).toContain('The stair rail was cracked on delivery.');
    expect(main).not.toContain('Answer the dispute');
    expect(main).not.toContain('Suggestions to approve');
    const [withdrawn] = await db()
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.customerId, dora), eq(activityLog.kind, 'flag.withdrawn')));
    expect(withdrawn?.summary).toMatch(
      /^Withdrew the agency referral suggestion: the customer \(on their page\) disputed HJ-0801/,
    );
    const count = Number(/(\d+) things? needs? a decision/.exec(main)?.[1] ?? -1);
    const listed =
      (await page.locator('main input[name="pick"]').count()) +
      (await page.locator('main input[name^="resolution."]').count());
    expect(count).toBe(listed);
  });

  it('the dashboard says what needs a decision, what goes out next and what customers did; the feed pages by kind', async () => {
    for (const [width, height] of [
      [1280, 900],
      [390, 844],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.goto(url(`/app/${orgId}`));
      const text = (await page.locator('main').textContent()) ?? '';
      const review = (await (await page.context().request.get(url(`/app/${orgId}/review`))).text()).match(
        /(\d+) things? needs? a decision/,
      )?.[1];
      expect(text).toContain(`${review} ${review === '1' ? 'thing needs' : 'things need'} a decision.`);
      expect(text).toContain('What goes out next');
      expect(text).toMatch(/Firm reminder|Reminder|Payment overdue/);
      expect(text).toContain('What customers did lately');
      expect(text).toContain('The customer (on their page) disputed HJ-0801');
      expect(text).toContain('The customer opened their page');
      expect(await overflows()).toBe(false);
      await shoot(page, `dashboard-${width}`);

      await page.goto(url(`/app/${orgId}/activity?kind=disputes`));
      const feed = (await page.locator('main').textContent()) ?? '';
      expect(feed).toContain('disputed HJ-0801');
      expect(feed).not.toContain('opened their page');
      expect(await overflows()).toBe(false);
      await page.goto(url(`/app/${orgId}/activity`));
      expect((await page.locator('main').textContent()) ?? '').toContain(
        'Withdrew the agency referral suggestion',
      );
      // The log's reasons in people's words: no step key ("firm-fees") or underscored kind.
      expect(internalKeysShown(await page.content())).toEqual([]);
      await shoot(page, `activity-${width}`);
    }
  });
});
