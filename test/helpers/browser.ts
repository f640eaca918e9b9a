import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { projectRoot } from '../../src/paths.js';

/** Debian's chromium (apt package `chromium`), driven by playwright-core. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
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
