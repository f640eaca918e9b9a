/**
 * Runs the QuickBooks emulator on its own with a small demo company (`npm run emulators`).
 * Settings: QBO_EMULATOR_PORT (4010), QBO_CLIENT_ID, QBO_CLIENT_SECRET, QBO_WEBHOOK_VERIFIER_TOKEN, and
 * QBO_EMULATOR_WEBHOOK_URL to push CloudEvents webhooks to a local Dunwell as changes happen, and
 * QBO_EMULATOR_FIXTURE: a JSON file holding one CompanySeed or an array of them, instead of the demo.
 */
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { demoCompanySeed } from './demo.js';
import { type CompanySeed, createQuickBooksEmulator } from './index.js';

const log = pino({ name: 'qbo-emulator' });
const env = process.env;

const clientId = env['QBO_CLIENT_ID'] ?? 'dunwell-dev-client';
const emulator = createQuickBooksEmulator({
  clientId,
  clientSecret: env['QBO_CLIENT_SECRET'] ?? 'dunwell-dev-secret',
  webhookVerifierToken: env['QBO_WEBHOOK_VERIFIER_TOKEN'] ?? 'dunwell-dev-verifier',
});

const fixture = env['QBO_EMULATOR_FIXTURE'];
const seeds: CompanySeed[] = fixture
  ? [JSON.parse(readFileSync(fixture, 'utf8')) as CompanySeed | CompanySeed[]].flat()
  : [demoCompanySeed(Date.now())];
const realmIds = seeds.map((seed) => emulator.addCompany(seed));
const realmId = realmIds[0];
const webhookUrl = env['QBO_EMULATOR_WEBHOOK_URL'];
if (webhookUrl) emulator.setWebhookTarget({ url: webhookUrl, format: 'cloudevents', mode: 'auto' });

await emulator.listen(Number(env['QBO_EMULATOR_PORT'] ?? 4010));
log.info(
  { url: emulator.url, realmId, realmIds, clientId, endpoints: emulator.endpoints },
  'QuickBooks emulator listening',
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
