import { createRequire } from 'node:module';
import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import { customers, invoices, outboundMessages } from '../../src/db/schema/index.js';
import { addDays } from '../../src/domain/local-time.js';
import { launchChromium } from '../helpers/browser.js';
import { today } from '../helpers/calendar.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';

const axeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const seed: CompanySeed = {
  name: 'Willow Glazing',
  homeCurrency: 'GBP',
  country: 'GB',
  customers: [
    { id: '1', displayName: 'Brook Lettings', email: 'ap@brook.example' },
    { id: '2', displayName: 'Carrow Estates', email: 'accounts@carrow.example' },
  ],
  invoices: [
    {
      id: '61',
      docNumber: 'WG-2001',
      customerId: '1',
      total: 84_000,
      status: 'overdue',
      dueDate: addDays(today, -12),
    },
    {
      id: '62',
      docNumber: 'WG-2002',
      customerId: '2',
      total: 12_500,
      status: 'open',
      dueDate: addDays(today, 9),
    },
  ],
};

interface Violation {
  id: string;
  impact: string | null;
  targets: string[];
}

interface Layout {
  pageWidth: number;
  wide: string[];
  skipText: string | null;
  skipTarget: string | null;
  firstFocusable: boolean;
}

// What runs in the page (plain JavaScript: the project's types have no DOM).
const axeViolations = `axe.run(document, { resultTypes: ['violations'] }).then((result) =>
  result.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    targets: violation.nodes.slice(0, 3).map((node) => String(node.target)),
  })))`;

const layoutOf = `(() => {
  // What scrolls inside a box of its own (a wide table on a phone) does not widen the page.
  const scrollsInABox = (element) => {
    for (let box = element?.parentElement; box && box !== document.body; box = box.parentElement)
      if (['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) return true;
    return false;
  };
  const sticksOut = (rect) => rect.width > 0 && rect.right > window.innerWidth + 1;
  const wide = [];
  for (const element of document.querySelectorAll('body *'))
    if (sticksOut(element.getBoundingClientRect()) && !scrollsInABox(element))
      wide.push(\`<\${element.tagName.toLowerCase()} class="\${element.className}">\`);
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = texts.nextNode(); node; node = texts.nextNode()) {
    const range = document.createRange();
    range.selectNodeContents(node);
    if (sticksOut(range.getBoundingClientRect()) && !scrollsInABox(node.parentElement))
      wide.push(\`the text “\${node.textContent?.trim().slice(0, 40)}”\`);
  }
  const skip = document.querySelector('a[href^="#"]');
  const target = skip ? document.getElementById(skip.getAttribute('href')?.slice(1) ?? '') : null;
  return {
    pageWidth: document.documentElement.scrollWidth,
    wide: wide.slice(0, 4),
    skipText: skip?.textContent?.trim() ?? null,
    skipTarget: target?.tagName.toLowerCase() ?? null,
    firstFocusable: document.querySelector('a[href], button, input, select, textarea') === skip,
  };
})()`;

/** The widths every owner page must work at: a laptop, and a phone held upright. */
const widths = [1280, 390] as const;

interface PageProblem {
  page: string;
  width: number;
  problem: string;
}

/**
 * Every page of the owner's app, found in the app's own route table (so a new page is checked
 * without touching this test), at a laptop's and a phone's width: axe-core finds no serious or
 * critical violation (contrast included), nothing is wider than the screen, and a skip link leads
 * to the main content.
 */
describe('every owner page is usable at 1280 and 390 px and passes axe-core, in chromium', () => {
  let qbo: QuickBooksHarness;
  let browser: Browser;
  let context: BrowserContext;
  let orgId: string;
  const ids: Record<string, string> = {};
  const db = () => qbo.runtime.database.db;

  beforeAll(async () => {
    browser = await launchChromium();
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed);
    const connected = await qbo.connectAndSync();
    orgId = connected.orgId;
    const [customer] = await db().select().from(customers).where(eq(customers.orgId, orgId));
    const [invoice] = await db().select().from(invoices).where(eq(invoices.orgId, orgId));
    const [summary] = await db()
      .insert(outboundMessages)
      .values({
        orgId,
        purpose: 'notice',
        idempotencyKey: 'weekly-summary:2026-W01:owner@willow.example',
        status: 'sent',
        sentAt: new Date(),
        to: [{ email: 'owner@willow.example' }],
        subject: 'Willow Glazing: your week',
        template: 'weekly-summary',
        bodyHtml: '<p>Your week</p>',
        bodyText: 'Your week',
      })
      .returning();
    Object.assign(ids, {
      orgId,
      customerId: customer?.id ?? '',
      invoiceId: invoice?.id ?? '',
      name: 'firm',
      messageId: summary?.id ?? '',
    });
    // axe-core is injected as a script of its own: the pages' CSP (rightly) allows none.
    context = await browser.newContext({ bypassCSP: true });
    const [name = '', ...value] = connected.cookie.split(';')[0]?.split('=') ?? [];
    await context.addCookies([{ name, value: value.join('='), url: qbo.runtime.url }]);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await qbo?.stop();
  });

  const ownerPages = () =>
    [
      ...new Set(
        qbo.runtime.app.routeTable
          .filter((route) => route.method === 'GET' && /^\/app\/:orgId(\/|$)/.test(route.url))
          .map((route) => route.url),
      ),
      '/signin',
    ].map((route) =>
      route.replace(/:([A-Za-z]+)/g, (_, param: string) => {
        const value = ids[param];
        if (!value) throw new Error(`${route}: no value for :${param}; teach this test the new kind`);
        return value;
      }),
    );

  async function problemsOf(page: Page, path: string, width: number): Promise<PageProblem[]> {
    await page.setViewportSize({ width, height: 900 });
    const answer = await page.goto(`${qbo.runtime.url}${path}`);
    const problems: PageProblem[] = [];
    const report = (problem: string) => problems.push({ page: path, width, problem });
    if (answer?.status() !== 200) report(`answered ${answer?.status()}`);
    await page.addScriptTag({ path: axeSource });
    const violations = (await page.evaluate(axeViolations)) as Violation[];
    for (const violation of violations) {
      if (violation.impact === 'serious' || violation.impact === 'critical')
        report(`axe ${violation.impact}: ${violation.id} at ${violation.targets.join(' | ')}`);
    }
    const layout = (await page.evaluate(layoutOf)) as Layout;
    if (layout.pageWidth > width + 1)
      report(`the page is ${layout.pageWidth} px wide: ${layout.wide.join(', ') || 'no single element'}`);
    if (!layout.skipText?.match(/^Skip to (main )?content$/) || !layout.firstFocusable)
      report(`no skip link first (found ${JSON.stringify(layout.skipText)})`);
    else if (layout.skipTarget !== 'main') report(`the skip link leads to ${layout.skipTarget}, not <main>`);
    return problems;
  }

  it('finds every page, and none has a serious problem at either width', async () => {
    const pages = ownerPages();
    expect(pages.length).toBeGreaterThan(12);
    const page = await context.newPage();
    const problems: PageProblem[] = [];
    for (const path of pages)
      for (const width of widths) problems.push(...(await problemsOf(page, path, width)));
    expect(problems).toEqual([]);
  }, 300_000);
});
