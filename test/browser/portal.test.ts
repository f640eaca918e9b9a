import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import { decideFlag } from '../../src/collections/decide-flag.js';
import {
  collectionFlags,
  customers,
  disputes,
  invoices,
  outboundMessages,
  paymentPlans,
  paymentPromises,
  settlements,
} from '../../src/db/schema/index.js';
import { addDays } from '../../src/domain/local-time.js';
import { organisationSettingsSchema, saveOrganisationSettings } from '../../src/organisations/settings.js';
import { launchChromium, screenshotter } from '../helpers/browser.js';
import { today, weekdayAt } from '../helpers/calendar.js';
import { seedFinalNotice } from '../helpers/journey.js';
import { evaluateAndSend, portalClient } from '../helpers/portal.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';

/** The next weekday at 11:00 UTC (inside the sending window; the organisation is on UTC). */
const sendingTime = weekdayAt(0);

const seed: CompanySeed = {
  name: 'Harbour Joinery',
  homeCurrency: 'GBP',
  country: 'GB',
  customers: [
    { id: '1', displayName: 'Acme Builders', email: 'ap@acme.example' },
    { id: '2', displayName: 'Planning Pete', email: 'pete@plan.example' },
    { id: '3', displayName: 'Disputing Dora', email: 'dora@dispute.example' },
    { id: '4', displayName: 'Settling Sam', email: 'sam@settle.example' },
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
      dueDate: addDays(today, -20),
    },
    {
      id: '501',
      docNumber: 'HJ-1010',
      customerId: '3',
      total: 45_000,
      status: 'overdue',
      dueDate: addDays(today, -15),
    },
    {
      id: '601',
      docNumber: 'HJ-0801',
      customerId: '4',
      total: 100_000,
      status: 'overdue',
      dueDate: addDays(today, -130),
    },
  ],
};

describe('a debtor takes each portal path from a reminder email, in chromium', () => {
  let qbo: QuickBooksHarness;
  let orgId: string;
  let browser: Browser;
  let scratch: string;
  let shoot: Awaited<ReturnType<typeof screenshotter>>;
  const db = () => qbo.runtime.database.db;
  const customerId = async (name: string) =>
    (await db().select({ id: customers.id }).from(customers).where(eq(customers.name, name)))[0]?.id ?? '';

  /** Opens the debtor's latest email in the browser, as a mail client would show it, and follows its account link. */
  async function fromEmail(name: string, shot?: string): Promise<Page> {
    const [email] = await db()
      .select()
      .from(outboundMessages)
      .where(eq(outboundMessages.customerId, await customerId(name)));
    if (!email) throw new Error(`no email for ${name}`);
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    await page.setContent(email.bodyHtml ?? '');
    if (shot) await shoot(page, shot);
    await Promise.all([
      page.waitForURL(/\/portal\//),
      page.getByRole('link', { name: 'Open your account page' }).click(),
    ]);
    return page;
  }

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'dunwell-shots-'));
    shoot = await screenshotter(scratch);
    browser = await launchChromium();
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed);
    ({ orgId } = await qbo.connectAndSync());
    await saveOrganisationSettings(
      db(),
      orgId,
      organisationSettingsSchema.parse({
        contactEmail: 'accounts@harbourjoinery.example',
        contactPhone: '+44 20 7946 0321',
        paymentInstructions:
          'Bank transfer to Harbour Joinery Ltd\nSort code 04-00-04 · Account 71234567\nReference: your invoice number',
        brandColour: '#0b6e4f',
        notifyEmail: 'owner@harbourjoinery.example',
        settlementTarget: { ref: '1', description: 'Settlement discounts' },
      }),
    );
    // Sam's invoice was flagged and a person approved a settlement offer before this round of emails.
    const [sam] = await db().select().from(invoices).where(eq(invoices.externalId, '601'));
    await seedFinalNotice(db(), orgId, 'Settling Sam', new Date());
    const [flag] = await db()
      .insert(collectionFlags)
      .values({
        orgId,
        customerId: await customerId('Settling Sam'),
        idempotencyKey: 'browser-flag',
        kinds: ['settlement_offer', 'write_off'],
        invoiceIds: [sam?.id ?? ''],
        daysOverdue: 130,
        recommendation: { recommended: 'settlement_offer' },
      })
      .returning();
    await decideFlag(db(), {
      orgIds: [orgId],
      flagId: flag?.id ?? '',
      decision: 'approved',
      choice: 'settlement_offer',
      actor: 'user:owner',
    });
    await evaluateAndSend(qbo, orgId, sendingTime);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await qbo?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  it('opens the account page from the email and pays online through the ledger’s payment page', async () => {
    const page = await fromEmail('Acme Builders', 'email-reminder');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Your account, Acme Builders');
    const rows = await page.locator('tbody tr').allTextContents();
    expect(rows.join(' ')).toContain('HJ-1042');
    expect(rows.join(' ')).toContain('HJ-1057');
    expect(await page.locator('tfoot').textContent()).toContain('£1,545.50');
    await shoot(page, 'portal-account');
    await page.setViewportSize({ width: 390, height: 844 });
    await shoot(page, 'portal-account-mobile');
    await page.setViewportSize({ width: 1000, height: 800 });

    await Promise.all([
      page.waitForURL(/\/portal\/invoice\//),
      page.getByRole('link', { name: 'Pay invoice HJ-1042 now' }).click(),
    ]);
    expect(page.url()).toContain(qbo.emulator.url);
    await page.close();
  });

  it('promises to pay by a date', async () => {
    const page = await fromEmail('Acme Builders');
    await page.getByText('Tell us the date you will pay').click();
    await page.getByLabel('I will pay in full by').fill(addDays(today, 6));
    await shoot(page, 'portal-promise-form');
    await Promise.all([
      page.waitForURL(/done=promise/),
      page.getByRole('button', { name: 'Confirm the date' }).click(),
    ]);
    expect(await page.getByRole('status').textContent()).toContain('We have noted the date you will pay by');
    expect(await page.locator('body').textContent()).toContain('You told us you will pay by');
    await shoot(page, 'portal-promise-done');
    const [promise] = await db().select().from(paymentPromises);
    expect(promise?.promisedDate).toBe(addDays(today, 6));
    await page.close();
  });

  it('sets up a payment plan', async () => {
    const page = await fromEmail('Planning Pete');
    await page.getByText('Set up a payment plan').click();
    await page.getByLabel('Number of monthly payments').selectOption('4');
    await page.getByLabel('First payment on').fill(addDays(today, 10));
    await shoot(page, 'portal-plan-form');
    await Promise.all([
      page.waitForURL(/done=plan/),
      page.getByRole('button', { name: 'Set up the plan' }).click(),
    ]);
    expect(await page.getByRole('status').textContent()).toContain('Your payment plan is set up');
    expect(await page.locator('body').textContent()).toContain('£600.00');
    await shoot(page, 'portal-plan-done');
    const [plan] = await db().select().from(paymentPlans);
    expect(plan?.installments).toHaveLength(4);
    expect(plan?.status).toBe('active');
    await page.close();
  });

  it('disputes an invoice', async () => {
    const page = await fromEmail('Disputing Dora');
    await page.getByText('Something looks wrong').click();
    await page.getByLabel('What is wrong?').selectOption('not_received');
    await page
      .getByLabel('Tell us more')
      .fill('The second door was never fitted; we are waiting for a date.');
    await shoot(page, 'portal-dispute-form');
    await Promise.all([
      page.waitForURL(/done=dispute/),
      page.getByRole('button', { name: /Send to Harbour Joinery/ }).click(),
    ]);
    expect(await page.getByRole('status').textContent()).toContain('We have paused reminders');
    expect(await page.locator('tbody').textContent()).toContain('Disputed: reminders paused');
    await shoot(page, 'portal-dispute-done');
    expect(await db().select().from(disputes)).toHaveLength(1);
    await page.close();
  });

  it('accepts a settlement offer', async () => {
    const page = await fromEmail('Settling Sam', 'email-settlement-offer');
    expect(await page.locator('#settlement-heading').textContent()).toBe('An offer to settle');
    expect(await page.locator('body').textContent()).toContain('£750.00');
    await Promise.all([
      page.waitForURL(/done=settlement/),
      page.getByRole('button', { name: 'Accept the offer' }).click(),
    ]);
    expect(await page.getByRole('status').textContent()).toContain('You have accepted the offer');
    await shoot(page, 'portal-settlement-accepted');
    expect((await db().select().from(settlements))[0]?.status).toBe('accepted');
    await page.close();
  });

  it('shows an expired link as a clear page with how to reach the organisation', async () => {
    const expired = portalClient(qbo).tokenFor(
      orgId,
      await customerId('Acme Builders'),
      new Date(Date.now() - 60_000),
    );
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    const response = await page.goto(`${qbo.runtime.url}/portal/${expired}`);
    expect(response?.status()).toBe(410);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('This link has expired');
    expect(await page.locator('body').textContent()).toContain('accounts@harbourjoinery.example');
    await shoot(page, 'portal-link-expired');
    await page.close();
  });
});
