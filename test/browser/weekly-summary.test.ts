import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recommend } from '../../src/collections/recommendations.js';
import { renderWeeklySummary } from '../../src/messaging/render/weekly-summary-email.js';
import { summaryEmailLinks } from '../../src/reports/send-weekly-summary.js';
import { weeklySummaryLinks } from '../../src/reports/summary-links.js';
import type { WeeklySummary } from '../../src/reports/weekly-summary.js';
import { launchChromium, screenshotter } from '../helpers/browser.js';

const orgId = '6f1c2b1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
const now = new Date('2026-03-16T08:04:00Z');
const gbp = (amountMinor: number) => ({ amountMinor, currency: 'GBP' });
const flag = (id: string, customerName: string, balance: number, daysOverdue: number) => {
  const advice = recommend({ balance: gbp(balance), daysOverdue });
  return {
    id,
    customerName,
    kinds: ['agency_referral'],
    daysOverdue,
    balance: gbp(balance),
    recommended: advice.recommended,
    summary: advice.summary,
  };
};
const bucket = (
  key: 'current' | '1-30' | '31-60' | '61-90' | '90+',
  balanceMinor: number,
  invoices: number,
) => {
  const bounds = {
    current: [null, 0],
    '1-30': [1, 30],
    '31-60': [31, 60],
    '61-90': [61, 90],
    '90+': [91, null],
  } as const;
  return { key, fromDays: bounds[key][0], toDays: bounds[key][1], balanceMinor, invoices };
};

/** A realistic week of a joinery business, as buildWeeklySummary returns it. */
const busyWeek: WeeklySummary = {
  organisation: {
    id: orgId,
    name: 'Harbour Joinery',
    timeZone: 'Europe/London',
    currency: 'GBP',
    locale: 'en-GB',
    brandColour: '#1a5fb4',
  },
  generatedAt: now,
  today: '2026-03-16',
  isoWeek: '2026-W12',
  week: { from: '2026-03-09', to: '2026-03-15' },
  previousWeek: { from: '2026-03-02', to: '2026-03-08' },
  connectionProblems: [],
  collected: {
    thisWeek: [
      { currency: 'GBP', amountMinor: 1_284_050, payments: 7 },
      { currency: 'EUR', amountMinor: 40_000, payments: 1 },
    ],
    lastWeek: [{ currency: 'GBP', amountMinor: 964_000, payments: 5 }],
  },
  overdue: {
    weekAgo: '2026-03-09',
    currencies: [
      { currency: 'GBP', nowMinor: 4_862_520, nowInvoices: 23, weekAgoMinor: 5_310_870, weekAgoInvoices: 26 },
      { currency: 'EUR', nowMinor: 59_000, nowInvoices: 1, weekAgoMinor: 99_000, weekAgoInvoices: 1 },
    ],
  },
  aging: [
    {
      currency: 'GBP',
      openMinor: 7_180_520,
      openInvoices: 41,
      overdueMinor: 4_862_520,
      overdueInvoices: 23,
      heldMinor: 175_000,
      heldInvoices: 1,
      buckets: [
        bucket('current', 2_318_000, 18),
        bucket('1-30', 1_942_300, 12),
        bucket('31-60', 1_120_220, 6),
        bucket('61-90', 780_000, 3),
        bucket('90+', 1_020_000, 2),
      ],
    },
    {
      currency: 'EUR',
      openMinor: 59_000,
      openInvoices: 1,
      overdueMinor: 59_000,
      overdueInvoices: 1,
      heldMinor: 0,
      heldInvoices: 0,
      buckets: [
        bucket('current', 0, 0),
        bucket('1-30', 59_000, 1),
        bucket('31-60', 0, 0),
        bucket('61-90', 0, 0),
        bucket('90+', 0, 0),
      ],
    },
  ],
  dso: {
    currency: 'GBP',
    windowDays: 90,
    windowFrom: '2025-12-17',
    windowTo: '2026-03-16',
    receivablesMinor: 7_180_520,
    invoicedMinor: 15_400_000,
    days: 42,
  },
  activity: {
    from: new Date('2026-03-09T00:00:00Z'),
    to: new Date('2026-03-16T00:00:00Z'),
    remindersSent: 18,
    debtorsReminded: 14,
    remindersUndelivered: 1,
    promisesMade: 4,
    promisesKept: 2,
    promisesBroken: 1,
    plansStarted: 1,
    plansCompleted: 0,
    plansBroken: 1,
    disputesOpened: 1,
    disputesResolved: 0,
    flagsRaised: 2,
  },
  flags: {
    total: 3,
    shown: [
      flag('f1', 'Fable Interiors Ltd', 520_000, 96),
      flag('f2', 'Bramble & Sons Construction', 250_000, 78),
      flag('f3', 'Gorse Property Management', 84_000, 124),
    ],
  },
  waiting: { plans: 1, messages: 0 },
  largest: [
    {
      customerId: 'c1',
      name: 'Fable Interiors Ltd',
      overdueMinor: 1_020_000,
      overdueInvoices: 2,
      oldestDaysOverdue: 96,
      heldMinor: 0,
      nextStep: 'Agency referral flag due now',
    },
    {
      customerId: 'c2',
      name: 'Acme Builders',
      overdueMinor: 780_000,
      overdueInvoices: 3,
      oldestDaysOverdue: 40,
      heldMinor: 0,
      nextStep: 'Final notice on 24 March 2026 (contact cap: last contact 3 days ago)',
    },
    {
      customerId: 'c3',
      name: 'Bramble & Sons Construction',
      overdueMinor: 640_000,
      overdueInvoices: 1,
      oldestDaysOverdue: 78,
      heldMinor: 0,
      nextStep: 'Paused: promised to pay by 20 March 2026',
    },
    {
      customerId: 'c4',
      name: 'Cobalt Kitchens',
      overdueMinor: 512_500,
      overdueInvoices: 2,
      oldestDaysOverdue: 17,
      heldMinor: 0,
      nextStep: 'Firm reminder due now',
    },
    {
      customerId: 'c5',
      name: 'Dune Developments',
      overdueMinor: 175_000,
      overdueInvoices: 1,
      oldestDaysOverdue: 64,
      heldMinor: 175_000,
      nextStep: 'Handed over: referred to a collection agency',
    },
  ],
  nothingOverdue: false,
};

const quietWeek: WeeklySummary = {
  ...busyWeek,
  organisation: { ...busyWeek.organisation, name: 'All Square Bakery' },
  collected: { thisWeek: [{ currency: 'GBP', amountMinor: 352_000, payments: 4 }], lastWeek: [] },
  overdue: {
    weekAgo: '2026-03-09',
    currencies: [{ currency: 'GBP', nowMinor: 0, nowInvoices: 0, weekAgoMinor: 0, weekAgoInvoices: 0 }],
  },
  aging: [{ ...(busyWeek.aging[0] as WeeklySummary['aging'][number]), openMinor: 118_000, overdueMinor: 0 }],
  flags: { total: 0, shown: [] },
  waiting: { plans: 0, messages: 0 },
  largest: [],
  nothingOverdue: true,
};

describe('the weekly summary email in chromium', () => {
  let browser: Browser;
  let scratch: string;
  let shoot: Awaited<ReturnType<typeof screenshotter>>;
  const links = summaryEmailLinks(
    weeklySummaryLinks('browser test secret for the weekly summary', 'https://dunwell.example'),
    orgId,
    'owner@harbour.example',
    now,
  );

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'dunwell-summary-shots-'));
    shoot = await screenshotter(scratch);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await rm(scratch, { recursive: true, force: true });
  });

  async function open(summary: WeeklySummary, width: number) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.setContent(renderWeeklySummary(summary, links).html, { waitUntil: 'load' });
    return page;
  }

  it.each([
    { width: 1000, name: 'weekly-summary-desktop' },
    { width: 390, name: 'weekly-summary-mobile' },
  ])('fits $width px without sideways scrolling, with every part readable', async ({ width, name }) => {
    const page = await open(busyWeek, width);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
    const text = await page.locator('body').innerText();
    for (const part of [
      'Collected this week',
      '£12,840.50',
      'Total overdue',
      '£48,625.20',
      'down £4,483.50',
      'Waiting for your decision',
      'Fable Interiors Ltd',
      'Refer to an agency',
      'Open balance by age (GBP)',
      'Largest overdue balances',
      'The week in numbers',
      'Unsubscribe',
    ])
      expect(text).toContain(part);
    // The hidden preview line is not shown.
    expect(await page.getByText('£12,840.50 + €400.00 collected;').isVisible()).toBe(false);
    await shoot(page, name);
    await page.close();
  });

  it('a connection problem comes first, with the way to fix it', async () => {
    const broken: WeeklySummary = {
      ...busyWeek,
      connectionProblems: [
        { vendor: 'quickbooks', companyName: 'Harbour Joinery', kind: 'needs_reconnect', detail: null },
      ],
    };
    const page = await open(broken, 390);
    const text = await page.locator('body').innerText();
    expect(text.indexOf('Harbour Joinery needs reconnecting to QuickBooks.')).toBeLessThan(
      text.indexOf('Collected this week'),
    );
    expect(await page.getByRole('link', { name: 'Reconnect your books' }).getAttribute('href')).toBe(
      `https://dunwell.example/app/${orgId}/connection`,
    );
    await shoot(page, 'weekly-summary-reconnect');
    await page.close();
  });

  it('the short, cheerful email when nothing is overdue', async () => {
    const page = await open(quietWeek, 390);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    const text = await page.locator('body').innerText();
    expect(text).toContain('Nothing is overdue');
    expect(text).not.toContain('Largest overdue balances');
    await shoot(page, 'weekly-summary-nothing-overdue');
    await page.close();
  });
});
