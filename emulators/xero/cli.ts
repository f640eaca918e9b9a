/**
 * Runs the Xero emulator on its own with the demo organisation (`tsx emulators/xero/cli.ts`).
 * Settings: XERO_EMULATOR_PORT (4020), XERO_CLIENT_ID, XERO_CLIENT_SECRET, XERO_WEBHOOK_KEY, XERO_EMULATOR_WEBHOOK_URL
 * to push webhooks to a local Dunwell as changes happen, and XERO_EMULATOR_FIXTURE: a JSON file holding one
 * OrganisationSeed or an array of them, instead of the demo.
 */
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { demoOrganisationSeed } from './demo.js';
import { createXeroEmulator, type OrganisationSeed } from './index.js';

const log = pino({ name: 'xero-emulator' });
const env = process.env;

const clientId = env['XERO_CLIENT_ID'] ?? 'dunwell-dev-client';
const emulator = createXeroEmulator({
  clientId,
  clientSecret: env['XERO_CLIENT_SECRET'] ?? 'dunwell-dev-secret',
  webhookKey: env['XERO_WEBHOOK_KEY'] ?? 'dunwell-dev-webhook-key',
});

const fixture = env['XERO_EMULATOR_FIXTURE'];
const seeds: OrganisationSeed[] = fixture
  ? [JSON.parse(readFileSync(fixture, 'utf8')) as OrganisationSeed | OrganisationSeed[]].flat()
  : [demoOrganisationSeed(Date.now())];
const tenantIds = seeds.map((seed) => emulator.addOrganisation(seed));
const webhookUrl = env['XERO_EMULATOR_WEBHOOK_URL'];
if (webhookUrl) emulator.setWebhookTarget({ url: webhookUrl, mode: 'auto' });

await emulator.listen(Number(env['XERO_EMULATOR_PORT'] ?? 4020));
log.info(
  {
    url: emulator.url,
    tenantId: tenantIds[0],
    tenantIds,
    users: seeds.map((seed) => seed.user.email),
    clientId,
    endpoints: emulator.endpoints,
  },
  'Xero emulator listening',
);

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'closing the emulator failed');
        process.exit(1);
      },
    );
  });
}
