import { randomBytes } from 'node:crypto';
import type { XeroSettings } from '../config.js';
import type { Logger } from '../logger.js';

export interface LocalXero {
  settings: XeroSettings;
  stop(): Promise<void>;
}

/**
 * Zero-setup mode: with no Xero app configured, a local Xero emulator with a demo organisation
 * stands in for Xero, so "Connect to Xero" works right after `npm start`.
 */
export async function startLocalXero(publicUrl: string, logger: Logger): Promise<LocalXero> {
  const { createXeroEmulator } = await import('../../emulators/xero/index.js');
  const { demoOrganisationSeed } = await import('../../emulators/xero/demo.js');
  const settings = {
    clientId: 'dunwell-local-demo',
    clientSecret: randomBytes(24).toString('base64url'),
    webhookKey: randomBytes(24).toString('base64url'),
  };
  const emulator = createXeroEmulator(settings);
  await emulator.listen(0);
  const tenantId = emulator.addOrganisation(demoOrganisationSeed(Date.now()));
  emulator.setWebhookTarget({ url: `${publicUrl}/webhooks/xero`, mode: 'auto' });
  logger.info(
    { emulator: emulator.url, tenantId, connect: `${publicUrl}/connect/xero` },
    'Xero is not configured: using the local Xero emulator with a demo organisation',
  );
  return { settings: { ...settings, emulatorUrl: emulator.url }, stop: () => emulator.close() };
}
