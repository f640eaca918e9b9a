import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import { customers } from '../../src/db/schema/index.js';
import { addDays } from '../../src/domain/local-time.js';
import { organisationSettingsSchema, saveOrganisationSettings } from '../../src/organisations/settings.js';
import { launchChromium, screenshotter } from '../helpers/browser.js';
import { today } from '../helpers/calendar.js';
import { pdfText } from '../helpers/pdf-text.js';
import { portalClient } from '../helpers/portal.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';

const axeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const seed: CompanySeed = {
  name: 'Harbour Joinery',
  homeCurrency: 'GBP',
  country: 'GB',
  customers: [
    { id: '1', displayName: 'Acme Builders and Renovations of the Westcountry', email: 'ap@acme.example' },
  ],
  invoices: [
    {
      id: '301',
      docNumber: 'HJ-1042',
      customerId: '1',
      total: 120_000,
      status: 'overdue',
      dueDate: addDays(today, -43),
    },
    {
      id: '302',
      docNumber: 'HJ-0877',
      customerId: '1',
      total: 64_000,
      status: 'overdue',
      dueDate: addDays(today, -120),
    },
    {
      id: '303',
      docNumber: 'HJ-1057',
      customerId: '1',
      total: 34_550,
      balance: 14_550,
      status: 'partial',
      dueDate: addDays(today, 5),
    },
    {
      id: '304',
      docNumber: 'HJ-VOID',
      customerId: '1',
      total: 99_900,
      status: 'voided',
      dueDate: addDays(today, -10),
    },
  ],
  payments: [
    {
      id: '901',
      customerId: '1',
      amount: 20_000,
      txnDate: addDays(today, -3),
      applications: [{ invoiceId: '303', amount: 20_000 }],
    },
  ],
  creditMemos: [{ id: '951', customerId: '1', total: 5_000, txnDate: addDays(today, -30) }],
};

/** Anything wider than the window, and any table wider than its section. */
const sticksOut = `(() => {
  const wide = [];
  for (const element of document.querySelectorAll('body *')) {
    const rect = element.getBoundingClientRect();
    if (rect.width > 0 && rect.right > window.innerWidth + 1) wide.push(element.tagName.toLowerCase());
  }
  // A table wider than its own section spills over the card's edge even when the page does not scroll.
  for (const table of document.querySelectorAll('section table'))
    if (table.getBoundingClientRect().right > table.closest('section').getBoundingClientRect().right)
      wide.push('table past its section');
  return { pageWidth: document.documentElement.scrollWidth, wide: wide.slice(0, 5) };
})()`;

const axeViolations = `axe.run(document, { resultTypes: ['violations'] }).then((result) =>
  result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id + ' ' + String(v.nodes[0]?.target)))`;

describe('a debtor reads their statement of account, in chromium', () => {
  let qbo: QuickBooksHarness;
  let browser: Browser;
  let scratch: string;
  let shoot: Awaited<ReturnType<typeof screenshotter>>;
  let token = '';

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'dunwell-statement-'));
    shoot = await screenshotter(scratch);
    browser = await launchChromium();
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed);
    const { orgId } = await qbo.connectAndSync();
    await saveOrganisationSettings(
      qbo.runtime.database.db,
      orgId,
      organisationSettingsSchema.parse({
        contactEmail: 'accounts@harbourjoinery.example',
        paymentInstructions: 'Bank transfer to Harbour Joinery Ltd\nSort code 04-00-04 · Account 71234567',
        brandColour: '#0b6e4f',
      }),
    );
    const [customer] = await qbo.runtime.database.db
      .select({ id: customers.id })
      .from(customers)
      .where(eq(customers.orgId, orgId));
    token = portalClient(qbo).tokenFor(orgId, customer?.id ?? '');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await qbo?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  async function openStatement(width: number): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${qbo.runtime.url}/portal/${token}`);
    await Promise.all([
      page.waitForURL(/\/statement$/),
      page.getByRole('link', { name: 'See your statement' }).click(),
    ]);
    return page;
  }

  for (const width of [1280, 390])
    it(`shows what is owed, how late, the credit and the payment at ${width} px, without sideways scrolling`, async () => {
      const page = await openStatement(width);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
        'Statement of account, Acme Builders and Renovations of the Westcountry',
      );
      const invoices = page.locator('section[aria-labelledby="invoices-heading"] tbody tr');
      expect(await invoices.allInnerTexts()).toEqual([
        expect.stringMatching(/^HJ-0877\s.*£640\.00\s+120$/s),
        expect.stringMatching(/^HJ-1042\s.*£1,200\.00\s+43$/s),
        expect.stringMatching(/^HJ-1057\s.*£145\.50\s+not yet due$/s),
      ]);
      const balance = page.locator('section[aria-labelledby="balance-heading"]');
      expect(await balance.getByRole('row', { name: /^Balance/ }).innerText()).toContain('£1,935.50');
      expect(await balance.getByRole('row', { name: /Less credits/ }).innerText()).toContain('-£50.00');
      const aging = page.locator('section[aria-labelledby="aging-heading"]');
      expect(await aging.getByRole('row', { name: /^31–60 days/ }).innerText()).toContain('£1,200.00');
      expect(await aging.getByRole('row', { name: /^Over 90 days/ }).innerText()).toContain('£640.00');
      expect(await page.locator('section[aria-labelledby="credits-heading"]').innerText()).toContain(
        '£50.00',
      );
      expect(await page.locator('section[aria-labelledby="payments-heading"]').innerText()).toContain(
        '£200.00',
      );
      expect(await page.locator('body').innerText()).not.toContain('HJ-VOID');
      // The issued date and the total are left out on a phone; due, owed and days overdue stay.
      const issued = page.getByRole('columnheader', { name: 'Issued' });
      expect(await issued.isVisible()).toBe(width > 560);
      expect(await page.getByRole('columnheader', { name: 'Days overdue' }).isVisible()).toBe(true);

      const layout = (await page.evaluate(sticksOut)) as { pageWidth: number; wide: string[] };
      expect(layout.wide).toEqual([]);
      expect(layout.pageWidth).toBeLessThanOrEqual(width);
      await shoot(page, `portal-statement-${width}`);
      await page.context().close();
    });

  it('downloads the same statement as a PDF', async () => {
    const page = await openStatement(1280);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download as PDF' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(
      `statement-Acme-Builders-and-Renovations-of-the-Westcountry-${today}.pdf`,
    );
    const text = await pdfText(await readFile((await download.path()) ?? ''));
    for (const expected of [
      'HJ-0877',
      'HJ-1042',
      'HJ-1057',
      '£1,935.50',
      '-£50.00',
      '£200.00',
      'Sort code 04-00-04',
    ])
      expect(text, expected).toContain(expected);
    await page.context().close();
  });

  it('has no serious accessibility problem', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${qbo.runtime.url}/portal/${token}/statement`);
    await page.addScriptTag({ path: axeSource });
    expect(await page.evaluate(axeViolations)).toEqual([]);
    await context.close();
  });
});
