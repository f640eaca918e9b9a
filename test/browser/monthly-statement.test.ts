import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import { organisationProfile } from '../../src/organisations/settings.js';
import {
  connectQuickBooksInBrowser,
  launchChromium,
  openOnceSynced,
  screenshotter,
} from '../helpers/browser.js';
import { daysFromToday } from '../helpers/calendar.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';

const seed: CompanySeed = {
  name: 'Harbour Joinery',
  homeCurrency: 'GBP',
  country: 'GB',
  customers: [{ id: '1', displayName: 'Acme Builders', email: 'ap@acme.example' }],
  invoices: [{ id: '301', customerId: '1', total: 120_000, status: 'overdue', dueDate: daysFromToday(-9) }],
};

describe('turning the monthly statement on, in chromium', () => {
  let qbo: QuickBooksHarness;
  let browser: Browser;
  let page: Page;
  let orgId: string;
  let scratch: string;
  let shoot: Awaited<ReturnType<typeof screenshotter>>;
  const stored = async () =>
    (await organisationProfile(qbo.runtime.database.db, orgId))?.settings.monthlyStatement;
  const section = () => page.getByRole('region', { name: 'Monthly statement of account' });

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'dunwell-shots-'));
    shoot = await screenshotter(scratch);
    browser = await launchChromium();
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    orgId = await connectQuickBooksInBrowser(page, qbo.runtime.url);
    // The connect page reloads itself once the sync is over: go on from a page that does not.
    await openOnceSynced(page, qbo.runtime.database.db, orgId, `${qbo.runtime.url}/app/${orgId}`);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await qbo?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  it('is off until ticked, refuses a day not every month has with the reason beside it, then saves', async () => {
    await page.goto(`${qbo.runtime.url}/app/${orgId}/templates`);
    const enabled = section().getByRole('checkbox', {
      name: 'Email each customer who owes something their statement every month',
    });
    const day = section().getByLabel(/Day of the month/);
    expect(await enabled.isChecked()).toBe(false);
    expect(await day.inputValue()).toBe('1');
    expect(await stored()).toEqual({ enabled: false, day: 1 });

    await enabled.check();
    await day.fill('31');
    await Promise.all([
      page.waitForLoadState('load'),
      section().getByRole('button', { name: 'Save monthly statement' }).click(),
    ]);
    await shoot(page, 'app-monthly-statement-refused');
    expect(await section().getByRole('alert').textContent()).toContain('Nothing was saved.');
    expect(await page.locator('#error-statement-day').textContent()).toBe(
      'The day of the month must be a whole number from 1 to 28 (every month has it).',
    );
    // What was typed is kept to correct; nothing was stored.
    expect(await day.inputValue()).toBe('31');
    expect(await enabled.isChecked()).toBe(true);
    expect(await day.getAttribute('aria-invalid')).toBe('true');
    expect(await stored()).toEqual({ enabled: false, day: 1 });

    await day.fill('15');
    await Promise.all([
      page.waitForURL(/\/templates\?done=saved/),
      section().getByRole('button', { name: 'Save monthly statement' }).click(),
    ]);
    await shoot(page, 'app-monthly-statement-saved');
    expect(await stored()).toEqual({ enabled: true, day: 15 });
    expect(await enabled.isChecked()).toBe(true);
    expect(await day.inputValue()).toBe('15');

    await enabled.uncheck();
    await Promise.all([
      page.waitForURL(/\/templates\?done=saved/),
      section().getByRole('button', { name: 'Save monthly statement' }).click(),
    ]);
    expect(await stored()).toEqual({ enabled: false, day: 15 });
  });
});
