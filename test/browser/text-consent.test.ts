import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import { customerPhones, customers, invoices } from '../../src/db/schema/index.js';
import { addDays } from '../../src/domain/local-time.js';
import { connectQuickBooksInBrowser, launchChromium, screenshotter } from '../helpers/browser.js';
import { today } from '../helpers/calendar.js';
import { portalClient } from '../helpers/portal.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';
import { waitFor } from '../helpers/wait.js';

const seed: CompanySeed = {
  name: 'Harbour Joinery',
  homeCurrency: 'GBP',
  country: 'GB',
  customers: [{ id: '1', displayName: 'Acme Builders', email: 'ap@acme.example' }],
  invoices: [
    {
      id: '301',
      docNumber: 'HJ-1042',
      customerId: '1',
      total: 120_000,
      status: 'overdue',
      dueDate: addDays(today, -9),
    },
  ],
};

describe('a debtor asks for texts on their page, and the owner sees the consent, in chromium', () => {
  let qbo: QuickBooksHarness;
  let browser: Browser;
  let owner: Page;
  let orgId: string;
  let scratch: string;
  let shoot: Awaited<ReturnType<typeof screenshotter>>;
  const db = () => qbo.runtime.database.db;
  const acmeId = async () =>
    (await db().select({ id: customers.id }).from(customers).where(eq(customers.name, 'Acme Builders')))[0]
      ?.id ?? '';
  const overflows = (page: Page) =>
    page.evaluate('document.documentElement.scrollWidth > document.documentElement.clientWidth');

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'dunwell-shots-'));
    shoot = await screenshotter(scratch);
    browser = await launchChromium();
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed);
    owner = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    orgId = await connectQuickBooksInBrowser(owner, qbo.runtime.url);
    await waitFor(async () => (await db().select({ id: invoices.id }).from(invoices)).length === 1, {
      what: 'the sync',
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await qbo?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  it('the debtor gives a wrong number, then ticks "text me" with a right one; the page shows its last four digits', async () => {
    const token = portalClient(qbo).tokenFor(orgId, await acmeId());
    const debtor = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await debtor.goto(`${qbo.runtime.url}/portal/${token}`);
    await debtor.getByRole('heading', { name: 'Get reminders by text' }).scrollIntoViewIfNeeded();
    const consent = debtor.getByLabel(/I agree to get text messages from Harbour Joinery/);
    expect(await consent.isChecked()).toBe(false);

    // The box's `required` stops an unticked submit in the browser; a wrong number reaches the server.
    await debtor.getByLabel('Mobile number').fill('0770 09');
    await consent.check();
    await Promise.all([
      debtor.waitForURL(/\/texts$/),
      debtor.getByRole('button', { name: 'Text me' }).click(),
    ]);
    expect(await debtor.getByRole('alert').textContent()).toContain(
      'That does not look like a mobile number',
    );
    expect(await debtor.getByLabel('Mobile number').inputValue()).toBe('0770 09');
    await shoot(debtor, 'portal-text-me-refused');

    await debtor.getByLabel('Mobile number').fill('+44 7700 900555');
    await debtor.getByLabel(/I agree to get text messages/).check();
    await Promise.all([
      debtor.waitForURL(/done=texts-on/),
      debtor.getByRole('button', { name: 'Text me' }).click(),
    ]);
    expect(await debtor.getByRole('status').textContent()).toContain('We will text reminders');
    const section = debtor.locator('section', {
      has: debtor.getByRole('heading', { name: 'Reminders by text' }),
    });
    expect(await section.textContent()).toContain('Texts about these invoices go to •••• 0555');
    expect(await debtor.locator('body').textContent()).not.toContain('900555');
    expect(await overflows(debtor)).toBe(false);
    await shoot(debtor, 'portal-text-me-on');
    await debtor.close();

    const [phone] = await db().select().from(customerPhones);
    expect(phone).toMatchObject({
      phone: '+447700900555',
      consentSource: 'portal',
      consentRecordedBy: 'debtor',
    });
  });

  it('the owner sees the number with its consent on the customer page, at both widths', async () => {
    await owner.goto(`${qbo.runtime.url}/app/${orgId}/customers/${await acmeId()}`);
    const section = owner.locator('section', { has: owner.getByRole('heading', { name: 'Text messages' }) });
    const text = (await section.textContent()) ?? '';
    expect(text).toContain('+447700900555');
    expect(text).toContain('may be texted');
    expect(text).toContain('Consent: Ticked “text me” on their payment page');
    expect(text).toContain('recorded by the customer, on their payment page');
    expect(text).toContain('agreeing to: "I agree to get text messages from Harbour Joinery');
    await section.scrollIntoViewIfNeeded();
    await shoot(owner, 'customer-text-consent');
    await owner.setViewportSize({ width: 390, height: 844 });
    expect(await overflows(owner)).toBe(false);
  });
});
