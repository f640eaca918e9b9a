import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { OrganisationSeed } from '../../emulators/xero/index.js';
import { ledgerConnections, organisations, outboundMessages } from '../../src/db/schema/index.js';
import { launchChromium, screenshotter } from '../helpers/browser.js';
import { daysFromToday } from '../helpers/calendar.js';
import { waitFor } from '../helpers/wait.js';
import { startXeroHarness, type XeroHarness } from '../helpers/xero-harness.js';

const owner = { email: 'dana@redwood-signs.example', firstName: 'Dana', lastName: 'Redwood' };
const contact = (n: number) => `a0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const invoice = (n: number) => `c0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A US company in Xero whose organisation settings say Pacific time (a Windows zone name). */
const seed: OrganisationSeed = {
  name: 'Redwood Signs',
  baseCurrency: 'USD',
  countryCode: 'US',
  timezone: 'PACIFICSTANDARDTIME',
  user: owner,
  contacts: [
    { id: contact(1), name: 'Bayview Cafe', emailAddress: 'accounts@bayview.example' },
    { id: contact(2), name: 'Mission Dental', emailAddress: 'billing@missiondental.example' },
    { id: contact(3), name: 'Sunset Yoga', emailAddress: 'hello@sunsetyoga.example' },
  ],
  invoices: [
    { id: invoice(1), contactId: contact(1), total: 84_000, dueDate: daysFromToday(-9) },
    { id: invoice(2), contactId: contact(2), total: 126_500, dueDate: daysFromToday(-21) },
    { id: invoice(3), contactId: contact(3), total: 32_000, dueDate: daysFromToday(2) },
  ],
};

describe('a new business goes live through the checklist, in chromium', () => {
  let xero: XeroHarness;
  let browser: Browser;
  let page: Page;
  let orgId: string;
  let scratch: string;
  let shoot: Awaited<ReturnType<typeof screenshotter>>;
  const db = () => xero.runtime.database.db;
  const organisation = async () =>
    (await db().select().from(organisations).where(eq(organisations.id, orgId)))[0];

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'dunwell-shots-'));
    shoot = await screenshotter(scratch);
    browser = await launchChromium();
    xero = await startXeroHarness(inject('adminUrl'), [seed]);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await xero?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  it('connects and lands on the go-live checklist in preview, its sync followed without a reload', async () => {
    await page.goto(`${xero.runtime.url}/signin`);
    await Promise.all([
      page.waitForURL(/\/app\/[0-9a-f-]+\/go-live/),
      page.getByRole('link', { name: 'Sign up with Xero' }).click(),
    ]);
    orgId = /\/app\/([0-9a-f-]+)\//.exec(page.url())?.[1] ?? '';
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Go live');
    expect(await page.getByRole('region', { name: 'Emails now', exact: true }).textContent()).toMatch(
      /Dunwell plans every reminder and\s+sends none/,
    );
    // The page follows the first sync to its end by itself (the test never reloads it).
    await page.getByText(/^Done \(full sync\): read 3 customers, 3 invoices/).waitFor({ timeout: 30_000 });
    // Finished, it reloads once to show what the sync brought.
    await page.waitForLoadState('networkidle');
    const [connection] = await db()
      .select()
      .from(ledgerConnections)
      .where(eq(ledgerConnections.orgId, orgId));
    expect(connection?.syncProgress?.phase).toBe('done');
    expect((await organisation())?.sending).toBe('preview');
  });

  it('shows each item with its state, defaults from the owner’s verified address and the books’ time zone', async () => {
    const timeZone = page.locator('#time-zone');
    expect(await timeZone.textContent()).toContain('America/Los_Angeles');
    expect(await timeZone.textContent()).toContain('Taken from your Xero organisation settings.');
    expect(await page.getByLabel(/Where customers’ replies go/).inputValue()).toBe(owner.email);
    expect(await page.getByLabel(/Who hears about disputes and promises/).inputValue()).toBe(owner.email);
    expect(await page.getByLabel(/Who gets the weekly summary/).inputValue()).toBe(owner.email);
    expect(await page.locator('#schedule').textContent()).toContain('at most once every 7 days');
    expect(await page.locator('#test-email').textContent()).toContain('Recommended');
    await page.waitForLoadState('networkidle');
    await shoot(page, 'app-go-live');
    await page.setViewportSize({ width: 390, height: 844 });
    await shoot(page, 'app-go-live-mobile');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('keeps a refused address from going live, then saves a fixed one', async () => {
    // An address the browser lets through and Dunwell refuses: no domain after the @.
    await page.getByLabel(/Where customers’ replies go/).fill('accounts@redwood');
    await page.getByRole('button', { name: 'Save addresses' }).click();
    expect(await page.locator('#replyTo-problem').textContent()).toContain('must be an email address');
    expect(await page.getByLabel(/Where customers’ replies go/).getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel(/Where customers’ replies go/).fill('accounts@redwood-signs.example');
    await page.getByRole('button', { name: 'Save addresses' }).click();
    await page.getByRole('status').getByText('Saved.').waitFor();
    expect((await organisation())?.settings).toMatchObject({
      contactEmail: 'accounts@redwood-signs.example',
    });
  });

  it('sends a test email to the owner only, in preview', async () => {
    await page.getByRole('button', { name: 'Send me a test email' }).click();
    await page.waitForLoadState('networkidle');
    await page.getByRole('status').getByText('The test email is on its way').waitFor();
    const sent = await waitFor(
      async () => {
        const rows = await db().select().from(outboundMessages).where(eq(outboundMessages.orgId, orgId));
        return rows.length > 0 && rows.every((row) => row.status === 'sent') ? rows : null;
      },
      { what: 'the test email', timeoutMs: 30_000 },
    );
    expect(sent.map((row) => [row.template, row.to])).toEqual([['test-reminder', [{ email: owner.email }]]]);
    await page.reload();
    expect(await page.locator('#test-email').textContent()).toContain(`to ${owner.email} (sent)`);
  });

  it('goes live, then pauses and resumes everything from the same page', async () => {
    await page.getByRole('button', { name: 'Go live' }).click();
    await page.getByRole('status').getByText('You are live.').waitFor();
    expect((await organisation())?.sending).toBe('live');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sending');
    await shoot(page, 'app-go-live-live');
    await page.getByRole('button', { name: 'Pause all emails' }).click();
    await page.getByRole('status').getByText('Paused.').waitFor();
    expect((await organisation())?.sending).toBe('paused');
    expect(await page.getByRole('region', { name: 'Emails now', exact: true }).textContent()).toContain(
      'No email goes to any customer',
    );
    await page.getByRole('button', { name: 'Resume emails' }).click();
    await page.getByRole('status').getByText('You are live.').waitFor();
    expect((await organisation())?.sending).toBe('live');
  });
});
