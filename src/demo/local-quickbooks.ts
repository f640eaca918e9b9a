import { randomBytes } from 'node:crypto';
import type { QuickBooksSettings } from '../config.js';
import type { Logger } from '../logger.js';

export interface LocalQuickBooks {
  settings: QuickBooksSettings;
  stop(): Promise<void>;
}

/**
 * Zero-setup mode: with no QuickBooks app configured, a local QuickBooks emulator with a demo
 * company stands in for Intuit, so "Connect to QuickBooks" works right after `npm start`. Its changes
 * reach this process by signed webhooks, as Intuit's would.
 */
export async function startLocalQuickBooks(publicUrl: string, logger: Logger): Promise<LocalQuickBooks> {
  const { createQuickBooksEmulator } = await import('../../emulators/quickbooks/index.js');
  const { demoCompanySeed } = await import('../../emulators/quickbooks/demo.js');
  const settings = {
    clientId: 'dunwell-local-demo',
    clientSecret: randomBytes(24).toString('base64url'),
    webhookVerifierToken: randomBytes(24).toString('base64url'),
  };
  const emulator = createQuickBooksEmulator(settings);
  await emulator.listen(0);
  const realmId = emulator.addCompany(demoCompanySeed(Date.now()));
  emulator.setWebhookTarget({ url: `${publicUrl}/webhooks/quickbooks`, format: 'cloudevents', mode: 'auto' });
  logger.info(
    { emulator: emulator.url, realmId, connect: `${publicUrl}/connect/quickbooks` },
    'QuickBooks is not configured: using the local QuickBooks emulator with a demo company',
  );
  return {
    settings: { ...settings, environment: 'sandbox', emulatorUrl: emulator.url },
    stop: () => emulator.close(),
  };
}
