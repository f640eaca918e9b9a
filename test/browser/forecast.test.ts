import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import { policyInForce } from '../../src/collections/policy-versions.js';
import { addDays } from '../../src/domain/local-time.js';
import { connectQuickBooksInBrowser, launchChromium, screenshotter } from '../helpers/browser.js';
import { today } from '../helpers/calendar.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';
import { waitFor } from '../helpers/wait.js';

const seed: CompanySeed = {
  name: 'Harbour Joinery',
  homeCurrency: 'GBP',
  country: 'GB',
  customers: [
    { id: '1', displayName: 'Acme Builders', email: 'ap@acme.example' },
    { id: '2', displayName: 'Planning Pete', email: 'pete@plan.example' },
    { id: '3', displayName: 'Old Debts Ltd', email: 'accounts@olddebts.example' },
    { id: '4', displayName: 'Nobody To Write To Ltd', email: null },
    { id: '5', displayName: 'Pays Soon Ltd', email: 'finance@payssoon.example' },
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
      dueDate: addDays(today, -20),
    },
    {
      id: '601',
      docNumber: 'HJ-1110',
      customerId: '4',
      total: 45_000,
      status: 'overdue',
      dueDate: addDays(today, -5),
      billEmail: null,
    },
    {
      id: '701',
      docNumber: 'HJ-1120',
      customerId: '5',
      total: 15_000,
      status: 'open',
      dueDate: addDays(today, 10),
    },
  ],
};

describe('the forecast and the preview of a schedule change, in chromium', () => {
  let qbo: QuickBooksHarness;
  let browser: Browser;
  let page: Page;
  let orgId: string;
  let scratch: string;
  let shoot: Awaited<ReturnType<typeof screenshotter>>;
  const url = (suffix: string) => `${qbo.runtime.url}${suffix}`;
  /** Whether the page is wider than the window (something would need sideways scrolling). */
  const overflows = () =>
    page.evaluate('document.documentElement.scrollWidth > document.documentElement.clientWidth');

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'dunwell-shots-'));
    shoot = await screenshotter(scratch);
    browser = await launchChromium();
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    orgId = await connectQuickBooksInBrowser(page, qbo.runtime.url);
    await waitFor(
      async () => (await page.reload()) !== null && (await page.content()).includes('Harbour Joinery'),
      {
        what: 'the connection page',
      },
    );
    const inputs = await import('../../src/forecast/forecast.js');
    await waitFor(
      async () =>
        ((await inputs.loadForecastInputs(qbo.runtime.database.db, orgId, { now: new Date() }))?.snapshots
          .length ?? 0) === 5,
      { what: 'the first sync' },
    );
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await qbo?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  it('shows the next 30 days by day: who gets which email, why, and the tasks for a person', async () => {
    await page.goto(url(`/app/${orgId}/forecast`));
    await page.getByRole('heading', { level: 1, name: 'Forecast' }).waitFor();
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('Acme Builders');
    expect(text).toContain('to ap@acme.example');
    expect(text).toContain('Why:');
    // No address: a task for a person instead of an email.
    expect(text).toMatch(/Task: no deliverable email address/i);
    // The invoice not yet due gets its heads-up, three days before.
    expect(text).toContain('Pays Soon Ltd');
    expect(await page.locator('.forecast-day').count()).toBeGreaterThan(2);
    await shoot(page, 'app-forecast');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await shoot(page, 'app-forecast-mobile');
    expect(await overflows()).toBe(false);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('shows one customer’s forecast from their page', async () => {
    await page.getByRole('link', { name: 'Acme Builders' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Forecast for Acme Builders' }).waitFor();
    const customers = await page.locator('.forecast-entry a').count();
    expect(customers).toBe(0);
    const entries = await page.locator('.forecast-entry').allTextContents();
    expect(entries.length).toBeGreaterThan(1);
    for (const entry of entries) expect(entry).not.toContain('Planning Pete');
    await page.getByRole('link', { name: '← Acme Builders' }).click();
    await page.getByRole('link', { name: 'The next 30 days' }).click();
    await page.getByRole('heading', { level: 1, name: 'Forecast for Acme Builders' }).waitFor();
  });

  it('previews a schedule change before it is saved: what would be added, removed or moved', async () => {
    await page.goto(url(`/app/${orgId}/schedule`));
    await page.fill('#minDaysBetweenContacts', '14');
    await Promise.all([
      page.waitForLoadState('load'),
      page.getByRole('button', { name: 'Preview the change' }).click(),
    ]);
    const card = page.locator('section.preview-change');
    await card.waitFor();
    const summary = (await card.getByRole('status').textContent()) ?? '';
    expect(summary).toContain('Nothing is saved yet');
    const count = async (id: string) =>
      Number(/\((\d+)\)/.exec((await page.locator(`#${id}`).textContent()) ?? '')?.[1]);
    expect((await count('preview-removed')) + (await count('preview-moved'))).toBeGreaterThan(0);
    // The form still holds the change, and nothing was saved.
    expect(await page.inputValue('#minDaysBetweenContacts')).toBe('14');
    expect((await policyInForce(qbo.runtime.database.db, orgId)).version).toBe(0);
    await shoot(page, 'app-schedule-preview');
    await page.setViewportSize({ width: 390, height: 844 });
    await card.scrollIntoViewIfNeeded();
    await shoot(page, 'app-schedule-preview-mobile');
    await page.setViewportSize({ width: 1280, height: 900 });
    // Saving it then makes it the schedule.
    await Promise.all([
      page.waitForURL(/done=saved/),
      page.getByRole('button', { name: 'Save schedule' }).click(),
    ]);
    expect((await policyInForce(qbo.runtime.database.db, orgId)).policy.minDaysBetweenContacts).toBe(14);
  });

  it('refuses to preview a change that could not be saved, and says why', async () => {
    await page.goto(url(`/app/${orgId}/schedule`));
    await page.fill('#minDaysBetweenContacts', '0');
    await Promise.all([
      page.waitForLoadState('load'),
      page.getByRole('button', { name: 'Preview the change' }).click(),
    ]);
    expect(await page.locator('section.preview-change').count()).toBe(0);
    expect(await page.locator('#minDaysBetweenContacts').getAttribute('aria-invalid')).toBe('true');
  });
});
