/** The Xero emulator on its own, with its demo organisation: for `npm run emulators` and the zero-setup demo. */
import type { ConnectorSettings } from '../../connectors/factory.js';
import { defineLocalLedger } from '../kit/standalone.js';
import { demoOrganisationSeed } from './demo.js';
import { createXeroEmulator, type OrganisationSeed } from './index.js';

export const localXero = defineLocalLedger({
  vendor: 'xero',
  booksIdName: 'tenantId',
  create: ({ clientId, clientSecret, webhookSecret }) =>
    createXeroEmulator({ clientId, clientSecret, webhookKey: webhookSecret }),
  addBooks: (emulator, seed: OrganisationSeed) => emulator.addOrganisation(seed),
  pushWebhooks: (emulator, url) => emulator.setWebhookTarget({ url, mode: 'auto' }),
  demoSeed: demoOrganisationSeed,
  describeSeeds: (seeds) => ({ users: seeds.map((seed) => seed.user.email) }),
  connectorSettings: (
    { clientId, clientSecret, webhookSecret },
    url,
  ): NonNullable<ConnectorSettings['xero']> => ({
    clientId,
    clientSecret,
    webhookKey: webhookSecret,
    emulatorUrl: url,
  }),
  cli: {
    prefix: 'XERO',
    port: 4020,
    webhookSecret: { variable: 'XERO_WEBHOOK_KEY', fallback: 'dunwell-dev-webhook-key' },
  },
});
