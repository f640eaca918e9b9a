import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import sparticuz from '@sparticuz/chromium';
import { eq } from 'drizzle-orm';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { Database } from '../../src/db/client.js';
import { ledgerConnections } from '../../src/db/schema/index.js';
import { projectRoot } from '../../src/paths.js';
import { waitFor } from './wait.js';

const debianChromium = '/usr/bin/chromium';

/**
 * The Chromium to drive: CHROMIUM_PATH when set, Debian's (apt package `chromium`) when installed,
 * else the one that ships inside the `@sparticuz/chromium` npm package (unpacked to /tmp on first
 * use), so a machine with Node alone runs the browser tests too.
 */
async function chromiumPath(): Promise<string> {
  const chosen = process.env['CHROMIUM_PATH'];
  if (chosen) return chosen;
  if (existsSync(debianChromium)) return debianChromium;
  return sparticuz.executablePath();
}

/** Chromium driven by playwright-core. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: await chromiumPath(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}

/**
 * Where screenshots go: `docs/screenshots` when UPDATE_SCREENSHOTS=1 (to look at and commit), else a
 * scratch directory, so an ordinary test run leaves the work tree as it was.
 */
export async function screenshotter(scratch: string) {
  const directory =
    process.env['UPDATE_SCREENSHOTS'] === '1' ? path.join(projectRoot(), 'docs', 'screenshots') : scratch;
  await mkdir(directory, { recursive: true });
  return (page: Page, name: string) =>
    page.screenshot({ path: path.join(directory, `${name}.png`), fullPage: true });
}

/**
 * Connects the QuickBooks emulator's company from the sign-in page, as an owner would, and returns
 * the new organisation's id (from the app's address it lands on).
 */
/**
 * Opens `target` in a page that may be reloading itself: the page that follows a running sync
 * reloads once when it is over, and a navigation started meanwhile is interrupted by that reload.
 * Call it once the sync is over: the page then loaded does not follow anything.
 */
export async function openAfterSync(page: Page, target: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.goto(target);
      return;
    } catch (error) {
      if (attempt >= 3 || !String(error).includes('interrupted by another navigation')) throw error;
      await page.waitForLoadState('load');
    }
  }
}

/** Waits for the organisation's syncs to be over, then opens `target` (see `openAfterSync`). */
export async function openOnceSynced(page: Page, db: Database, orgId: string, target: string): Promise<void> {
  await waitFor(
    async () => {
      const rows = await db.select().from(ledgerConnections).where(eq(ledgerConnections.orgId, orgId));
      return rows.length > 0 && rows.every((row) => row.syncProgress?.phase === 'done');
    },
    { what: 'the first sync to be over' },
  );
  await openAfterSync(page, target);
}

export async function connectQuickBooksInBrowser(page: Page, baseUrl: string): Promise<string> {
  await page.goto(`${baseUrl}/signin`);
  await Promise.all([
    page.waitForURL(/\/app\/[0-9a-f-]{36}/),
    page.getByRole('link', { name: 'Connect to QuickBooks' }).click(),
  ]);
  return /\/app\/([0-9a-f-]+)/.exec(page.url())?.[1] ?? '';
}
