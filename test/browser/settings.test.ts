import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import { policyInForce } from '../../src/collections/policy-versions.js';
import {
  collectionFlags,
  collectionSteps,
  customers,
  invoices,
  ledgerConnections,
  messageTemplates,
  organisations,
  outboundMessages,
} from '../../src/db/schema/index.js';
import { addDays } from '../../src/domain/local-time.js';
import { launchChromium, screenshotter } from '../helpers/browser.js';
import { today, weekdayAt } from '../helpers/calendar.js';
import { evaluateAndSend } from '../helpers/portal.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';
import { waitFor } from '../helpers/wait.js';

const seed: CompanySeed = {
  name: 'Harbour Joinery',
  homeCurrency: 'GBP',
  country: 'GB',
  items: [{ name: 'Bad debts', type: 'Service' }],
  customers: [
    { id: '1', displayName: 'Acme Builders', email: 'ap@acme.example' },
    { id: '2', displayName: 'Planning Pete', email: 'pete@plan.example' },
    { id: '3', displayName: 'Old Debts Ltd', email: 'accounts@olddebts.example' },
  ],
  invoices: [
    {
      id: '301',
      docNumber: 'HJ-1042',
      customerId: '1',
      total: 120_000,
      status: 'overdue',
      dueDate: addDays(today, -9),
    },
    {
      id: '302',
      docNumber: 'HJ-1057',
      customerId: '1',
      total: 34_550,
      status: 'overdue',
      dueDate: addDays(today, -2),
    },
    {
      id: '401',
      docNumber: 'HJ-0988',
      customerId: '2',
      total: 240_000,
      status: 'overdue',
      dueDate: addDays(today, -40),
    },
    {
      id: '501',
      docNumber: 'HJ-0801',
      customerId: '3',
      total: 90_000,
      status: 'overdue',
      dueDate: addDays(today, -75),
    },
    {
      id: '502',
      docNumber: 'HJ-1101',
      customerId: '3',
      total: 15_000,
      status: 'open',
      dueDate: addDays(today, 10),
    },
  ],
};

describe('a business installs Dunwell and sets it up, in chromium', () => {
  let qbo: QuickBooksHarness;
  let browser: Browser;
  let page: Page;
  let orgId: string;
  let scratch: string;
  let shoot: Awaited<ReturnType<typeof screenshotter>>;
  const db = () => qbo.runtime.database.db;
  const url = (suffix: string) => `${qbo.runtime.url}${suffix}`;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'dunwell-shots-'));
    shoot = await screenshotter(scratch);
    browser = await launchChromium();
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await qbo?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  it('connects QuickBooks from the sign-in page, goes live from its checklist, signed in', async () => {
    await page.goto(url('/signin'));
    await shoot(page, 'app-sign-in');
    await Promise.all([
      page.waitForURL(/\/app\/[0-9a-f-]+\/go-live/),
      page.getByRole('link', { name: 'Connect to QuickBooks' }).click(),
    ]);
    orgId = /\/app\/([0-9a-f-]+)\//.exec(page.url())?.[1] ?? '';
    expect(await page.getByRole('status').textContent()).toContain('Connected');
    const [connection] = await db()
      .select()
      .from(ledgerConnections)
      .where(eq(ledgerConnections.orgId, orgId));
    await waitFor(
      async () =>
        (await db().select().from(ledgerConnections).where(eq(ledgerConnections.orgId, orgId)))[0]
          ?.syncProgress?.phase === 'done',
      { what: 'the first sync' },
    );
    expect(connection?.vendor).toBe('quickbooks');
    // A new organisation starts in preview: the rest of this walk is of one that sends.
    await page.goto(url(`/app/${orgId}/go-live`));
    await page.getByRole('button', { name: 'Go live' }).click();
    await page.getByRole('status').getByText('You are live.').waitFor();
    await page.goto(url(`/app/${orgId}/connection`));
    await page.getByRole('heading', { level: 2, name: /Harbour Joinery/ }).waitFor();
    await shoot(page, 'app-connection');
  });

  it('shows the dashboard with the aging of what is owed', async () => {
    await page.goto(url(`/app/${orgId}`));
    await shoot(page, 'app-dashboard');
    const overdue = page.locator('.stat', { hasText: 'Total overdue' });
    // 1,200.00 + 345.50 + 2,400.00 + 900.00 overdue; the 150.00 invoice is not yet due.
    expect(await overdue.textContent()).toContain('£4,845.50');
    expect(await page.getByRole('row', { name: /31–60 days/ }).textContent()).toContain('£2,400.00');
    expect(await page.getByRole('row', { name: /61–90 days/ }).textContent()).toContain('£900.00');
  });

  it('changes the schedule, with a plain-language summary, and refuses an invalid one without saving', async () => {
    await page.goto(url(`/app/${orgId}/schedule`));
    expect(await page.locator('#summary + ul').textContent()).toContain('at most once every 7 days');
    const rows = page.locator('table.steps tbody tr');
    const before = await rows.count();
    await page.fill('#minDaysBetweenContacts', '10');
    await Promise.all([
      page.waitForLoadState('load'),
      page.getByRole('button', { name: 'Add a step' }).click(),
    ]);
    expect(await rows.count()).toBe(before + 1);
    // The typed value survives the redraw that added the row.
    expect(await page.inputValue('#minDaysBetweenContacts')).toBe('10');
    await page.fill(`[name="steps.${before}.offsetDays"]`, '90');
    await page.getByLabel(`Step ${before + 1} sent`).selectOption({ label: 'By email and text' });
    await page.locator(`[name="steps.${before}.attachStatement"]`).check();
    await page.getByLabel('Days you are closed', { exact: true }).fill('2031-12-24\n2031-12-31');
    await page.fill('#finalNoticeGraceDays', '21');
    await Promise.all([
      page.waitForURL(/done=saved/),
      page.getByRole('button', { name: 'Save schedule' }).click(),
    ]);
    expect(await page.locator('#summary + ul').textContent()).toContain('at most once every 10 days');
    await shoot(page, 'app-schedule');
    const saved = await policyInForce(db(), orgId);
    expect(saved.version).toBe(1);
    expect(saved.policy.minDaysBetweenContacts).toBe(10);
    expect(saved.policy.steps.at(-1)).toMatchObject({
      offsetDays: 90,
      action: 'email',
      via: 'both',
      attachStatement: true,
    });
    expect(saved.policy.steps[0]).not.toHaveProperty('via');
    expect(await page.locator('#summary + ul').textContent()).toContain(
      'a firm email and text at once (the text only to a number with consent), with the statement of account',
    );
    expect(await page.getByLabel(`Step ${before + 1} sent`).inputValue()).toBe('both');
    expect(saved.policy).toMatchObject({
      closedDays: ['2031-12-24', '2031-12-31'],
      finalNoticeGraceDays: 21,
    });
    expect(await page.locator('#summary + ul').textContent()).toContain('nor on the 2 days you are closed');

    await page.fill('[name="sendingWindow.endHour"]', '8');
    await page.fill('[name="steps.0.offsetDays"]', '9999');
    await page.fill('#closedDays', '2026-12-24\ntomorrow');
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await page.getByRole('alert').first().waitFor();
    expect(await page.getByRole('alert').first().textContent()).toContain('Nothing was saved');
    expect(await page.locator('#error-sendingWindow-endHour').textContent()).toMatch(
      /^The last sending hour must be (after the start hour|at least 9)\./,
    );
    expect(await page.locator('#error-steps-0-offsetDays').textContent()).toBe(
      'Step 1’s days from the due date must be at most 730.',
    );
    expect(await page.getAttribute('[name="steps.0.offsetDays"]', 'aria-invalid')).toBe('true');
    expect(await page.locator('#error-closedDays').textContent()).toContain('“tomorrow” is not a date');
    expect(await page.getAttribute('#closedDays', 'aria-invalid')).toBe('true');
    await shoot(page, 'app-schedule-invalid');
    expect((await policyInForce(db(), orgId)).version).toBe(1);
  });

  it('edits a template with a live preview on a real debtor, and saves it', async () => {
    await page.goto(url(`/app/${orgId}/templates`));
    await shoot(page, 'app-templates');
    await Promise.all([
      page.waitForURL(/templates\/firm/),
      page.getByRole('row', { name: /Firm/ }).first().getByRole('link', { name: 'Edit' }).click(),
    ]);
    // The preview is of the debtor owing most, with their real invoices.
    expect(await page.locator('#preview h2, h2#preview').textContent()).toContain('Planning Pete');
    expect(await page.frameLocator('#preview-html').locator('body').textContent()).toContain('HJ-0988');
    // One body: no separate HTML field.
    expect(await page.locator('#html').count()).toBe(0);
    await page.fill('#subject', 'A word about {{ debtor.name }} and {{ invoices.size }} overdue invoice(s)');
    await page.locator('#preview-subject', { hasText: 'A word about Planning Pete' }).waitFor();
    // Editing the body changes both the HTML and the plain-text email the debtor gets.
    const body = (await page.inputValue('#text')).replace(
      /^(Dear|Hello) .*$/m,
      'Hello {{ debtor.name }},\n\n- Our books close on Friday: see https://help.example/close',
    );
    await page.fill('#text', body);
    await page.locator('#preview-text', { hasText: 'Hello Planning Pete,' }).waitFor();
    expect(await page.locator('#preview-text').textContent()).toContain(
      '- Our books close on Friday: see https://help.example/close',
    );
    const email = page.frameLocator('#preview-html');
    await email.locator('p', { hasText: 'Hello Planning Pete,' }).waitFor();
    expect(await email.locator('li', { hasText: 'Our books close on Friday' }).count()).toBe(1);
    expect(await email.getByRole('link', { name: 'https://help.example/close' }).getAttribute('href')).toBe(
      'https://help.example/close',
    );
    expect(await email.locator('body').textContent()).toContain('HJ-0988');
    await shoot(page, 'app-template-preview');
    await Promise.all([
      page.waitForURL(/done=saved/),
      page.getByRole('button', { name: 'Save template' }).click(),
    ]);
    const [stored] = await db().select().from(messageTemplates).where(eq(messageTemplates.orgId, orgId));
    expect(stored).toMatchObject({
      name: 'firm',
      subject: 'A word about {{ debtor.name }} and {{ invoices.size }} overdue invoice(s)',
      text: body,
    });

    // A broken template is refused with the reason, and the saved one stays.
    await page.fill('#subject', 'Oops {{ debtor.nme ');
    await page.getByRole('button', { name: 'Save template' }).click();
    await page.getByText('Not saved.').waitFor();
    expect(
      (await db().select().from(messageTemplates).where(eq(messageTemplates.orgId, orgId)))[0]?.subject,
    ).toBe(stored?.subject);
  });

  it('keeps how the business appears to customers, refusing an invalid address or colour', async () => {
    await page.goto(url(`/app/${orgId}/templates`));
    await page.fill('#contactEmail', 'accounts@harbour');
    await page.fill('#brandColour', 'teal');
    await page.getByRole('button', { name: 'Save details' }).click();
    await page.locator('#error-contactEmail').waitFor();
    expect(await page.getAttribute('#brandColour', 'aria-invalid')).toBe('true');
    const [unchanged] = await db().select().from(organisations).where(eq(organisations.id, orgId));
    expect(unchanged?.settings).not.toHaveProperty('contactEmail', 'accounts@harbour');
    await page.fill('#contactEmail', 'accounts@harbourjoinery.example');
    await page.fill('#brandColour', '#0b6e4f');
    await page.fill('#paymentInstructions', 'Bank transfer: sort code 04-00-04, account 71234567');
    await Promise.all([
      page.waitForURL(/done=saved/),
      page.getByRole('button', { name: 'Save details' }).click(),
    ]);
    const [saved] = await db().select().from(organisations).where(eq(organisations.id, orgId));
    expect(saved?.settings).toMatchObject({
      contactEmail: 'accounts@harbourjoinery.example',
      brandColour: '#0b6e4f',
    });
    expect(await page.inputValue('#paymentInstructions')).toContain('71234567');
  });

  it('sets money matters, with the write-off item chosen from the books, and refuses an agency fee out of range', async () => {
    await page.goto(url(`/app/${orgId}/money`));
    await page.fill('[name="recovery.agencyFeeShare"]', '90');
    await page.getByRole('button', { name: 'Save money matters' }).click();
    await page.getByText('Nothing was saved.').waitFor();
    expect(await page.locator('#error-recovery-agencyFeeShare').textContent()).toContain(
      'between 5 and 70 %',
    );
    const before = await policyInForce(db(), orgId);
    expect(before.policy.recovery.agencyFeeShare).toBe(0.3);

    await page.fill('[name="recovery.agencyFeeShare"]', '45');
    await page.selectOption('#lateFees\\.rule\\.kind', 'uk-late-payment');
    await page.fill('[name="lateFees.rule.referenceRatePercent"]', '4.5');
    await page.selectOption('#writeOffTarget', { label: 'Bad debts (Service)' });
    await Promise.all([
      page.waitForURL(/done=saved/),
      page.getByRole('button', { name: 'Save money matters' }).click(),
    ]);
    await shoot(page, 'app-money');
    const after = await policyInForce(db(), orgId);
    expect(after.version).toBe(before.version + 1);
    expect(after.policy.recovery.agencyFeeShare).toBe(0.45);
    expect(after.policy.lateFees.rule).toEqual({ kind: 'uk-late-payment', referenceRatePercent: 4.5 });
    // The schedule set before is untouched by this page.
    expect(after.policy.minDaysBetweenContacts).toBe(10);
    const [organisation] = await db().select().from(organisations).where(eq(organisations.id, orgId));
    expect(organisation?.settings).toMatchObject({ writeOffTarget: { description: 'Bad debts' } });
  });

  it('approves a flag from the review queue, and the decision is on the customer’s timeline', async () => {
    // Old Debts Ltd had the last email of the schedule (the day-90 step added above) three weeks ago:
    // past the final notice's grace, a flag is the next thing.
    const now = weekdayAt(0);
    const lastEmail = (await policyInForce(db(), orgId)).policy.steps
      .filter((step) => step.action === 'email')
      .sort((a, b) => a.offsetDays - b.offsetDays)
      .at(-1);
    const finalAt = new Date(now.getTime() - 21 * 86_400_000);
    const [oldDebts] = await db()
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.orgId, orgId), eq(customers.name, 'Old Debts Ltd')));
    const [oldest] = await db()
      .select({ id: invoices.id })
      .from(invoices)
      .where(and(eq(invoices.orgId, orgId), eq(invoices.number, 'HJ-0801')));
    if (!oldDebts || !oldest) throw new Error('Old Debts Ltd was not synced');
    await db()
      .insert(outboundMessages)
      .values({
        orgId,
        customerId: oldDebts.id,
        idempotencyKey: 'old-debts-final',
        status: 'sent',
        to: [{ email: 'accounts@olddebts.example' }],
        subject: 'Final notice',
        template: 'final',
        bodyText: 'Final notice',
        bodyHtml: '<p>Final notice</p>',
        createdAt: finalAt,
        sentAt: finalAt,
      });
    await db()
      .insert(collectionSteps)
      .values({
        orgId,
        customerId: oldDebts.id,
        invoiceId: oldest.id,
        stepKey: lastEmail?.key ?? 'final',
        kind: 'email',
        effectKey: 'old-debts-final',
        takenAt: finalAt,
      });
    await evaluateAndSend(qbo, orgId, now);
    await page.goto(url(`/app/${orgId}/review`));
    const flag = page.getByRole('article', { name: /Old Debts Ltd/ });
    await flag.waitFor();
    expect(await flag.textContent()).toContain('Recommended');
    // The agency fee set on the Money matters page is in the arithmetic.
    expect(await flag.textContent()).toContain('after its 45% fee');
    // At that fee chasing is worth more; the person refers it anyway.
    expect(await flag.getByRole('row', { name: /Keep chasing/ }).textContent()).toContain('Recommended');
    await flag.getByLabel('Your choice').selectOption('agency_referral');
    await shoot(page, 'app-review');
    await flag.getByLabel(/Reason/).fill('They stopped answering in October');
    await Promise.all([
      page.waitForURL(/done=decided/),
      flag.getByRole('button', { name: 'Approve' }).click(),
    ]);
    const [decided] = await db().select().from(collectionFlags).where(eq(collectionFlags.orgId, orgId));
    expect(decided).toMatchObject({ status: 'approved', decision: 'agency_referral' });
    expect(await page.getByRole('article', { name: /Old Debts Ltd/ }).count()).toBe(0);

    await page.goto(url(`/app/${orgId}/customers`));
    await shoot(page, 'app-customers');
    await Promise.all([
      page.waitForURL(/customers\/[0-9a-f-]+$/),
      page.getByRole('link', { name: 'Old Debts Ltd' }).click(),
    ]);
    const history = page.locator('ol.timeline');
    expect(await history.textContent()).toContain(
      'Approved: agency referral — They stopped answering in October',
    );

    await page.goto(url(`/app/${orgId}/customers`));
    await Promise.all([
      page.waitForURL(/customers\/[0-9a-f-]+$/),
      page.getByRole('link', { name: 'Planning Pete' }).click(),
    ]);
    const email = page.locator('ol.timeline li[data-kind^="message"]').first();
    await email.getByText(/The email:/).click();
    expect(await email.frameLocator('iframe').locator('body').textContent()).toContain('HJ-0988');
    await shoot(page, 'app-customer');
  });

  it('keeps your choices for a customer, refusing a bad address without saving anything', async () => {
    await page.goto(url(`/app/${orgId}/customers`));
    await Promise.all([
      page.waitForURL(/customers\/[0-9a-f-]+$/),
      page.getByRole('link', { name: 'Acme Builders' }).click(),
    ]);
    await page.getByLabel('Exclude from automatic chasing').check();
    await page.fill('#contact-0-email', 'not-an-address');
    await page.getByRole('button', { name: 'Save choices' }).click();
    await page.getByText('Nothing was saved.').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('not a valid email address');
    // What was typed is still there to fix.
    expect(await page.inputValue('#contact-0-email')).toBe('not-an-address');
    await page.fill('#contact-0-email', 'finance.director@acme.example');
    await page.fill('#contact-0-name', 'Fiona Director');
    await page.fill('#ownSchedule', '-2 email friendly\n10 email firm late-fee\n30 task Call Fiona');
    await Promise.all([
      page.waitForURL(/done=saved/),
      page.getByRole('button', { name: 'Save choices' }).click(),
    ]);
    expect(await page.inputValue('#ownSchedule')).toBe(
      '-2 email friendly\n10 email firm late-fee\n30 task Call Fiona',
    );
    expect(await page.locator('#contacts + ul').textContent()).toContain('finance.director@acme.example');
    await page.goto(url(`/app/${orgId}/customers`));
    const row = page.getByRole('row', { name: /Acme Builders/ });
    expect(await row.textContent()).toContain('excluded');
    expect(await row.textContent()).toContain('Excluded by you');

    // An invoice's own history.
    await Promise.all([
      page.waitForURL(/customers\/[0-9a-f-]+$/),
      page.getByRole('link', { name: 'Planning Pete' }).click(),
    ]);
    await Promise.all([
      page.waitForURL(/invoices\/[0-9a-f-]+$/),
      page.getByRole('link', { name: 'HJ-0988' }).click(),
    ]);
    expect(await page.locator('ol.timeline').textContent()).toContain('Planning Pete');
    await shoot(page, 'app-invoice');
  });

  it('previews the weekly summary, chooses its recipients, and sends one now', async () => {
    await page.goto(url(`/app/${orgId}/weekly-summary`));
    const preview = page.frameLocator('iframe[title="Weekly summary preview"]').locator('body');
    expect(await preview.textContent()).toContain('Harbour Joinery');
    expect(await preview.textContent()).toContain('Planning Pete');
    await page.fill('#recipients', 'owner@harbourjoinery.example\nnot an address');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Nothing was saved.').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('Recipient 2 must be an email address.');
    await page.fill('#recipients', 'owner@harbour-joinery.example\nbookkeeper@harbourjoinery.example');
    await page.selectOption('#weekday', 'Tuesday');
    await Promise.all([
      page.waitForURL(/done=saved/),
      page.getByRole('button', { name: 'Save', exact: true }).click(),
    ]);
    const [organisation] = await db().select().from(organisations).where(eq(organisations.id, orgId));
    expect(organisation?.settings).toMatchObject({
      weeklySummary: {
        weekday: 2,
        recipients: ['owner@harbour-joinery.example', 'bookkeeper@harbourjoinery.example'],
      },
    });
    await shoot(page, 'app-weekly-summary');
    // "Send now" mails only the recipients who sign in here (the bookkeeper does not), 3 times an hour.
    expect(await page.locator('#send-now-hint').textContent()).toContain(
      '“Send now” goes to owner@harbour-joinery.example only',
    );
    for (let click = 0; click < 3; click += 1)
      await Promise.all([
        page.waitForURL(/done=sent/),
        page.getByRole('button', { name: /Send this week/ }).click(),
      ]);
    const refused = page.waitForResponse((response) => response.url().endsWith('/weekly-summary/send-now'));
    await page.getByRole('button', { name: /Send this week/ }).click();
    expect((await refused).status()).toBe(429);
    expect(await page.getByRole('status').textContent()).toContain('“Send now” works 3 times an hour');
    const queued = await db().select().from(outboundMessages).where(eq(outboundMessages.orgId, orgId));
    const summaries = queued.filter((message) => message.idempotencyKey.startsWith('weekly-summary-test:'));
    expect(summaries.map((message) => message.to[0]?.email)).toEqual([
      'owner@harbour-joinery.example',
      'owner@harbour-joinery.example',
      'owner@harbour-joinery.example',
    ]);
  });

  it('answers 404 for another organisation’s pages, as for one that does not exist', async () => {
    const [other] = await db()
      .insert(organisations)
      .values({ name: 'Someone Else Ltd', currency: 'GBP' })
      .returning();
    for (const suffix of [
      '',
      '/schedule',
      '/review',
      '/customers',
      '/templates/firm',
      '/money',
      '/weekly-summary',
      '/connection',
    ]) {
      const response = await page.goto(url(`/app/${other?.id}${suffix}`));
      expect(response?.status()).toBe(404);
      expect(await page.textContent('h1')).toBe('Not found');
    }
    expect(await page.content()).not.toContain('Someone Else Ltd');
  });
});
