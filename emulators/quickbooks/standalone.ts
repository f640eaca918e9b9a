/** The QuickBooks emulator on its own, with its demo company: for `npm run emulators` and the zero-setup demo. */
import type { ConnectorSettings } from '../../connectors/factory.js';
import { defineLocalLedger } from '../kit/standalone.js';
import { demoCompanySeed } from './demo.js';
import { type CompanySeed, createQuickBooksEmulator } from './index.js';

export const localQuickBooks = defineLocalLedger({
  vendor: 'quickbooks',
  booksIdName: 'realmId',
  create: ({ clientId, clientSecret, webhookSecret }) =>
    createQuickBooksEmulator({ clientId, clientSecret, webhookVerifierToken: webhookSecret }),
  addBooks: (emulator, seed: CompanySeed) => emulator.addCompany(seed),
  pushWebhooks: (emulator, url) => emulator.setWebhookTarget({ url, format: 'cloudevents', mode: 'auto' }),
  demoSeed: demoCompanySeed,
  connectorSettings: (
    { clientId, clientSecret, webhookSecret },
    url,
  ): NonNullable<ConnectorSettings['quickbooks']> => ({
    clientId,
    clientSecret,
    webhookVerifierToken: webhookSecret,
    environment: 'sandbox',
    emulatorUrl: url,
  }),
  cli: {
    prefix: 'QBO',
    port: 4010,
    webhookSecret: { variable: 'QBO_WEBHOOK_VERIFIER_TOKEN', fallback: 'dunwell-dev-verifier' },
  },
});
