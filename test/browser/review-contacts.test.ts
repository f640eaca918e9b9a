import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import { evaluateOrganisation } from '../../src/collections/evaluate.js';
import { savePolicy } from '../../src/collections/policy-versions.js';
import {
  collectionTasks,
  customers,
  debtorReplies,
  invoices,
  organisations,
  outboundMessages,
  paymentPromises,
} from '../../src/db/schema/index.js';
import { addDays } from '../../src/domain/local-time.js';
import { defaultPolicy, type Step } from '../../src/domain/policy.js';
import { connectQuickBooksInBrowser, launchChromium, screenshotter } from '../helpers/browser.js';
import { today } from '../helpers/calendar.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';
import { internalKeysShown } from '../helpers/visible-text.js';
import { waitFor } from '../helpers/wait.js';

const seed: CompanySeed = {
  name: 'Harbour Joinery',
  homeCurrency: 'GBP',
  country: 'GB',
  customers: [
    { id: '1', displayName: 'Calling Carl', email: 'carl@call.example' },
    { id: '2', displayName: 'Replying Rita', email: 'rita@reply.example' },
  ],
  invoices: [
    {
      id: '101',
      docNumber: 'HJ-0101',
      customerId: '1',
      total: 98_000,
      status: 'overdue',
      dueDate: addDays(today, -12),
    },
    {
      id: '201',
      docNumber: 'HJ-0201',
      customerId: '2',
      total: 54_000,
      status: 'overdue',
      dueDate: addDays(today, -3),
    },
  ],
};
const step = (key: string, offsetDays: number, action: Step['action'], tone: Step['tone']): Step => ({
  key,
  name: key === 'call' ? 'Phone call' : undefined,
  offsetDays,
  action,
  template: tone,
  tone,
  copyEscalationContacts: false,
  requiresApproval: false,
  lateFeeNotice: false,
});

describe('a call and a reply, answered on the review page in chromium', () => {
  let qbo: QuickBooksHarness;
  let browser: Browser;
  let page: Page;
  let orgId: string;
  let scratch: string;
  let shoot: Awaited<ReturnType<typeof screenshotter>>;
  const db = () => qbo.runtime.database.db;
  const url = (suffix: string) => `${qbo.runtime.url}${suffix}`;
  const customerId = async (name: string) =>
    (await db().select({ id: customers.id }).from(customers).where(eq(customers.name, name)))[0]?.id ?? '';
  const overflows = () =>
    page.evaluate('document.documentElement.scrollWidth > document.documentElement.clientWidth');

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'dunwell-shots-'));
    shoot = await screenshotter(scratch);
    browser = await launchChromium();
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    orgId = await connectQuickBooksInBrowser(page, qbo.runtime.url);
    await waitFor(async () => (await db().select({ id: invoices.id }).from(invoices)).length === 2, {
      what: 'the sync',
    });
    await db()
      .update(organisations)
      .set({ sending: 'live', timeZone: 'UTC' })
      .where(eq(organisations.id, orgId));
    await savePolicy(db(), {
      orgId,
      basedOnVersion: 0,
      policy: {
        ...defaultPolicy,
        steps: [step('reminder', 1, 'email', 'neutral'), step('call', 10, 'call', 'firm')],
      },
      actor: 'test',
    });
    // The last weekday's evaluation at noon UTC: Carl's call is asked for, Rita's reminder queued.
    const noon = new Date(Date.now() - 3_600_000);
    noon.setUTCHours(12, 0, 0, 0);
    while (noon.getTime() > Date.now() - 3_600_000 || noon.getUTCDay() === 0 || noon.getUTCDay() === 6)
      noon.setUTCDate(noon.getUTCDate() - 1);
    await evaluateOrganisation(db(), orgId, { now: noon });
    // Rita answered her reminder: a promise, as the classifier records one.
    const ritaId = await customerId('Replying Rita');
    const [reminder] = await db()
      .select()
      .from(outboundMessages)
      .where(eq(outboundMessages.customerId, ritaId));
    await db()
      .insert(debtorReplies)
      .values({
        orgId,
        customerId: ritaId,
        messageId: reminder?.id ?? '',
        inboundEmailId: '00000000-0000-4000-8000-000000000001',
        class: 'promise',
        confidence: 0.9,
        why: 'we will pay on',
        promisedDate: addDays(today, 9),
        fromAddress: 'rita@reply.example',
        subject: 'Re: your invoice',
        text: `Sorry for the delay, we will pay on ${addDays(today, 9)}.`,
        receivedAt: new Date(),
      });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await qbo?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  it('shows the call with its script and outcome form, and the reply with its one click, at both widths', async () => {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(url(`/app/${orgId}/review`));
      const main = (await page.locator('main').textContent()) ?? '';
      expect(main).toContain('Call Calling Carl (1 overdue invoice, £980, the oldest 12 days overdue)');
      expect(main).toContain('How did the call go?');
      expect(main).toContain('Sorry for the delay');
      expect(internalKeysShown(await page.locator('main').innerHTML())).toEqual([]);
      expect(await overflows()).toBe(false);
      await shoot(page, `review-call-and-reply-${width}`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('records how the call went: a promise with its date, then the call is gone from the queue', async () => {
    await page.goto(url(`/app/${orgId}/review`));
    const [call] = await db().select().from(collectionTasks).where(eq(collectionTasks.kind, 'call'));
    const form = page.locator('fieldset', { hasText: 'How did the call go?' });
    await form.getByLabel('Outcome').selectOption('promise');
    await form.getByLabel('Promised to pay by (for a promise)').fill(addDays(today, 7));
    await form.getByLabel('What was said (for a dispute, what is wrong)').fill('Carl will pay next week.');
    await Promise.all([
      page.waitForURL(/done=decided/),
      form.getByRole('button', { name: 'Record the call' }).click(),
    ]);
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main).not.toContain('How did the call go?');
    const [done] = await db()
      .select()
      .from(collectionTasks)
      .where(eq(collectionTasks.id, call?.id ?? ''));
    expect(done?.status).toBe('done');
    const [promise] = await db()
      .select()
      .from(paymentPromises)
      .where(eq(paymentPromises.customerId, await customerId('Calling Carl')));
    expect(promise).toMatchObject({ source: 'call', promisedDate: addDays(today, 7) });
  });

  it("records the reply's promise in one click, and the reply leaves the queue", async () => {
    await page.goto(url(`/app/${orgId}/review`));
    await Promise.all([
      page.waitForURL(/done=decided/),
      page.getByRole('button', { name: /^Record the promise to pay by/ }).click(),
    ]);
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main).not.toContain('Sorry for the delay');
    const [promise] = await db()
      .select()
      .from(paymentPromises)
      .where(eq(paymentPromises.customerId, await customerId('Replying Rita')));
    expect(promise).toMatchObject({ source: 'reply', promisedDate: addDays(today, 9) });
  });
});
