/**
 * The emulators as the app and the command line reach them: every vendor's emulator ready to run on
 * its own, and the zero-setup demo's entry.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { ConnectorSettings } from '../connectors/factory.js';
import { type Vendor, vendors } from '../connectors/vendors.js';
import type { LocalLedger, RunningLedger } from './kit/standalone.js';
import { localQuickBooks } from './quickbooks/standalone.js';
import { TwilioEmulator } from './twilio/emulator.js';
import { localXero } from './xero/standalone.js';

type SettingsOf<V extends Vendor> = NonNullable<ConnectorSettings[V]>;

/** Every vendor's emulator, ready to run on its own. */
export const localLedgers: { [V in Vendor]: LocalLedger<SettingsOf<V>> } = {
  quickbooks: localQuickBooks,
  xero: localXero,
};

export interface LocalLedgers {
  /** Settings for the connectors of the vendors started, pointing at their emulators. */
  settings: ConnectorSettings;
  stop(): Promise<void>;
}

/**
 * Zero-setup mode: for each vendor given (those with no app configured), its emulator with demo books
 * stands in for the vendor, so connecting works right after `npm start`. Changes reach Dunwell by
 * signed webhooks to `publicUrl`, as the vendor's would.
 */
export async function startLocalLedgers(
  wanted: readonly Vendor[],
  publicUrl: string,
  logger: Logger,
): Promise<LocalLedgers> {
  const settings: ConnectorSettings = {};
  const running: RunningLedger[] = [];
  const stop = async () => {
    await Promise.all(running.map((ledger) => ledger.close()));
  };
  try {
    for (const vendor of wanted) running.push(await startDemo(vendor, settings, publicUrl, logger));
  } catch (error) {
    await stop();
    throw error;
  }
  return { settings, stop };
}

async function startDemo<V extends Vendor>(
  vendor: V,
  settings: ConnectorSettings,
  publicUrl: string,
  logger: Logger,
): Promise<RunningLedger> {
  const ledger: LocalLedger<SettingsOf<V>> = localLedgers[vendor];
  const credentials = {
    clientId: 'dunwell-local-demo',
    clientSecret: randomBytes(24).toString('base64url'),
    webhookSecret: randomBytes(24).toString('base64url'),
  };
  const running = await ledger.start(credentials, { port: 0, webhookUrl: `${publicUrl}/webhooks/${vendor}` });
  settings[vendor] = ledger.connectorSettings(credentials, running.url);
  const { name, booksNoun } = vendors[vendor];
  logger.info(
    {
      emulator: running.url,
      [ledger.booksIdName]: running.booksIds[0],
      connect: `${publicUrl}/connect/${vendor}`,
    },
    `${name} is not configured: using the local ${name} emulator with a demo ${booksNoun}`,
  );
  return running;
}

export interface LocalTwilio {
  /** What the app's SMS transport is given: the emulator's credentials, number and URL. */
  settings: { accountSid: string; authToken: string; sender: { from: string }; apiBaseUrl: string };
  emulator: TwilioEmulator;
  stop(): Promise<void>;
}

/**
 * Zero-setup mode's Twilio: the emulator with fresh credentials and Twilio's test number as the
 * sender; its status callbacks and incoming texts go to `publicUrl`'s webhooks, signed.
 */
export async function startLocalTwilio(publicUrl: string, logger: Logger): Promise<LocalTwilio> {
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  const emulator = new TwilioEmulator({ accountSid, authToken });
  await emulator.listen(0);
  const from = emulator.numbers[0] ?? '+15005550006';
  logger.info(
    { emulator: emulator.url, from, inbound: `${publicUrl}/webhooks/twilio/inbound` },
    'Twilio is not configured: texts go to the local Twilio emulator',
  );
  return {
    settings: { accountSid, authToken, sender: { from }, apiBaseUrl: emulator.url },
    emulator,
    stop: () => emulator.close(),
  };
}
