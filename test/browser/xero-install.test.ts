import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { OrganisationSeed } from '../../emulators/xero/index.js';
import { ledgerConnections } from '../../src/db/schema/index.js';
import { syncConnection } from '../../src/sync/sync-connection.js';
import { launchChromium, screenshotter } from '../helpers/browser.js';
import { waitFor } from '../helpers/wait.js';
import { startXeroHarness, type XeroHarness } from '../helpers/xero-harness.js';

const owner = { email: 'owner@kauri.example', firstName: 'Aroha', lastName: 'Kauri' };
const organisation = (name: string): OrganisationSeed => ({
  name,
  baseCurrency: 'NZD',
  countryCode: 'NZ',
  user: owner,
  contacts: [],
  invoices: [],
});

describe('a business signs up with Xero and picks one of its organisations, in chromium', () => {
  let xero: XeroHarness;
  let browser: Browser;
  let page: Page;
  let scratch: string;
  let shoot: Awaited<ReturnType<typeof screenshotter>>;
  const db = () => xero.runtime.database.db;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'dunwell-shots-'));
    shoot = await screenshotter(scratch);
    browser = await launchChromium();
    xero = await startXeroHarness(inject('adminUrl'), [
      organisation('Kauri Timber'),
      organisation('Kauri Holdings'),
    ]);
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await xero?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  it('signs up with Xero, chooses the organisation, and lands on its go-live checklist signed in', async () => {
    await page.goto(`${xero.runtime.url}/signin`);
    await Promise.all([
      page.waitForURL(/\/connect\/xero\/choose/),
      page.getByRole('link', { name: 'Sign up with Xero' }).click(),
    ]);
    await shoot(page, 'app-xero-choose');
    await Promise.all([
      page.waitForURL(/\/app\/[0-9a-f-]+\/go-live/),
      page.getByRole('button', { name: 'Connect Kauri Holdings' }).click(),
    ]);
    // A new organisation opens on its go-live checklist, its books named at the top.
    expect(await page.locator('#books').locator('..').textContent()).toContain('Kauri Holdings');
    const rows = await db().select().from(ledgerConnections);
    expect(rows.map((row) => row.tenantName)).toEqual(['Kauri Holdings']);
  });

  it('shows a disconnect made from Xero’s side, with a button that reconnects it', async () => {
    const [connection] = await db().select().from(ledgerConnections);
    await waitFor(
      async () => (await db().select().from(ledgerConnections))[0]?.syncProgress?.phase === 'done',
      { what: 'the first sync' },
    );
    xero.emulator.disconnectTenant(connection?.tenantId ?? '');
    expect(await syncConnection(xero.runtime.ledger, connection?.id ?? '', 'incremental')).toMatchObject({
      outcome: 'needs_reauth',
    });

    await page.goto(`${xero.runtime.url}/app/${connection?.orgId}`);
    const alert = page.getByRole('alert').first();
    expect(await alert.textContent()).toContain('needs reconnecting');
    await shoot(page, 'app-needs-reconnect');
    await Promise.all([
      page.waitForURL(/\/connect\/xero\/choose|\/connection/),
      alert.getByRole('link', { name: 'Reconnect' }).click(),
    ]);
    if (page.url().includes('/choose'))
      await Promise.all([
        page.waitForURL(/\/connection/),
        page.getByRole('button', { name: 'Connect Kauri Holdings' }).click(),
      ]);
    const [after] = await db()
      .select()
      .from(ledgerConnections)
      .where(eq(ledgerConnections.id, connection?.id ?? ''));
    expect(after?.status).toBe('active');
    expect((await db().select().from(ledgerConnections)).length).toBe(1);
  });

  it('signs the same person in again with "Sign in with Xero", in a fresh browser', async () => {
    const fresh = await browser.newContext();
    const again = await fresh.newPage();
    await again.goto(`${xero.runtime.url}/app`);
    expect(again.url()).toContain('/signin');
    await Promise.all([
      again.waitForURL(/\/app\/[0-9a-f-]+$/),
      again.getByRole('link', { name: 'Sign in with Xero' }).click(),
    ]);
    expect(await again.locator('.top').textContent()).toContain('Kauri Holdings');
    await fresh.close();
  });
});
