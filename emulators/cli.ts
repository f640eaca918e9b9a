/**
 * Runs the emulators on their own, each with its demo books: `npm run emulators`, or name some
 * (`tsx emulators/cli.ts xero`). Each reads variables under its prefix (QBO for QuickBooks, XERO for
 * Xero): `_EMULATOR_PORT` (4010, 4020), `_CLIENT_ID`, `_CLIENT_SECRET` and its webhook secret
 * (QBO_WEBHOOK_VERIFIER_TOKEN, XERO_WEBHOOK_KEY), all with `dunwell-dev-*` defaults;
 * `_EMULATOR_WEBHOOK_URL` to push webhooks to a local Dunwell as changes happen; and
 * `_EMULATOR_FIXTURE`, a JSON file holding one seed or an array of them, instead of the demo.
 */
import pino from 'pino';
import { isVendor, vendorIds, vendors } from '../connectors/vendors.js';
import { localLedgers } from './index.js';
import type { RunningLedger } from './kit/standalone.js';

const log = pino({ name: 'emulators' });
const env = process.env;

const named = process.argv.slice(2);
const unknown = named.filter((name) => !isVendor(name));
if (unknown.length > 0) {
  log.error(`Unknown emulator ${unknown.join(', ')}: choose from ${vendorIds.join(', ')}`);
  process.exit(1);
}

const running: RunningLedger[] = [];
for (const vendor of vendorIds.filter((id) => named.length === 0 || named.includes(id))) {
  const { prefix, port, webhookSecret } = localLedgers[vendor].cli;
  const ledger = await localLedgers[vendor].start(
    {
      clientId: env[`${prefix}_CLIENT_ID`] ?? 'dunwell-dev-client',
      clientSecret: env[`${prefix}_CLIENT_SECRET`] ?? 'dunwell-dev-secret',
      webhookSecret: env[webhookSecret.variable] ?? webhookSecret.fallback,
    },
    {
      port: Number(env[`${prefix}_EMULATOR_PORT`] ?? port),
      webhookUrl: env[`${prefix}_EMULATOR_WEBHOOK_URL`],
      fixtureFile: env[`${prefix}_EMULATOR_FIXTURE`],
    },
  );
  running.push(ledger);
  log.info({ vendor, ...ledger.description }, `${vendors[vendor].name} emulator listening`);
}

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    Promise.all(running.map((ledger) => ledger.close())).then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'closing the emulators failed');
        process.exit(1);
      },
    );
  });
}
