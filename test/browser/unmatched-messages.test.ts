import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import { customers, debtorReplies, inboundEmails, invoices } from '../../src/db/schema/index.js';
import { connectQuickBooksInBrowser, launchChromium, screenshotter } from '../helpers/browser.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';
import { internalKeysShown } from '../helpers/visible-text.js';
import { waitFor } from '../helpers/wait.js';

const secret = 'inbound-secret-browser-0123456789ab';
const domain = 'in.dunwell.example';
const seed: CompanySeed = {
  name: 'Harbour Joinery',
  homeCurrency: 'GBP',
  country: 'GB',
  customers: [
    { id: '1', displayName: 'Shared Shop North', email: 'accounts@shared.example' },
    { id: '2', displayName: 'Shared Shop South', email: 'accounts@shared.example' },
  ],
  invoices: [
    { id: '101', customerId: '1', total: 98_000, status: 'overdue', dueDate: '2026-01-05' },
    { id: '201', customerId: '2', total: 54_000, status: 'overdue', dueDate: '2026-01-05' },
  ],
};

describe('an unmatched reply assigned to a customer in chromium', () => {
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
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed, {
      INBOUND_EMAIL_SECRET: secret,
      INBOUND_REPLY_DOMAIN: domain,
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    orgId = await connectQuickBooksInBrowser(page, qbo.runtime.url);
    await waitFor(async () => (await db().select({ id: invoices.id }).from(invoices)).length === 2, {
      what: 'the sync',
    });
    // Both shops share one address: the reply cannot say which, and names no reminder.
    const form = new FormData();
    for (const [name, value] of Object.entries({
      from: 'Pat <accounts@shared.example>',
      to: `accounts@${domain}`,
      subject: 'Re: <i>your</i> invoice',
      text: 'The south shop paid this <b>yesterday</b>.\n\nOn Monday Harbour Joinery wrote:\n> Reminder',
      envelope: JSON.stringify({ to: [`accounts@${domain}`], from: 'accounts@shared.example' }),
    }))
      form.append(name, value);
    const posted = await fetch(url(`/webhooks/sendgrid/inbound/${secret}`), { method: 'POST', body: form });
    expect(posted.status).toBe(200);
    await waitFor(
      async () =>
        (await db().select().from(inboundEmails).where(eq(inboundEmails.status, 'unmatched')))[0]?.orgId ===
        orgId,
      { what: 'the email to be kept unmatched for this organisation' },
    );
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await qbo?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  it("goes from Review to the message, says whose it is, and finds it on that customer's timeline", async () => {
    await page.goto(url(`/app/${orgId}/review`));
    await Promise.all([
      page.waitForURL(/\/unmatched$/),
      page.getByRole('link', { name: '1 message Dunwell could not tie to a customer' }).click(),
    ]);
    const card = page.getByRole('article', { name: 'Email from accounts@shared.example' });
    expect(await card.locator('h3').textContent()).toBe('Re: <i>your</i> invoice');
    expect(await card.locator('blockquote').textContent()).toBe('The south shop paid this yesterday.');
    expect(await card.locator('i, b').count()).toBe(0);
    expect(internalKeysShown(await page.locator('main').innerHTML())).toEqual([]);
    await shoot(page, 'unmatched-messages');

    await Promise.all([
      page.waitForURL(/done=decided/),
      card.getByRole('button', { name: 'This is from Shared Shop South' }).click(),
    ]);
    expect(await page.locator('main').textContent()).toContain('Nothing waits here.');

    const [south] = await db()
      .select()
      .from(customers)
      .where(and(eq(customers.orgId, orgId), eq(customers.name, 'Shared Shop South')));
    const [reply] = await db()
      .select()
      .from(debtorReplies)
      .where(eq(debtorReplies.customerId, south?.id ?? ''));
    expect(reply).toMatchObject({ matchedBy: 'person', class: 'paid_already', readAt: null });

    await page.goto(url(`/app/${orgId}/customers/${south?.id}`));
    const timeline = (await page.locator('main').textContent()) ?? '';
    expect(timeline).toContain('Shared Shop South replied that it is paid already');
    expect(timeline).toContain('assigned to them by a person');
    // And it waits to be read in Review, as any reply does.
    await page.goto(url(`/app/${orgId}/review`));
    const review = (await page.locator('main').textContent()) ?? '';
    expect(review).toContain('Replies to read');
    expect(review).toContain('The south shop paid this yesterday.');
    expect(review).not.toContain('could not tie to a customer');
  });
});
