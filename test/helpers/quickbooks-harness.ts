import { eq } from 'drizzle-orm';
import {
  type CompanySeed,
  createQuickBooksEmulator,
  type QuickBooksEmulator,
} from '../../emulators/quickbooks/index.js';
import { ledgerConnections } from '../../src/db/schema/index.js';
import type { Logger } from '../../src/logger.js';
import { Browser, type DunwellUnderTest, startDunwell } from './dunwell-harness.js';

export const quickBooksApp = {
  clientId: 'dunwell-test-client',
  clientSecret: 'dunwell-test-secret',
  verifier: 'verifier-token',
};

export interface QuickBooksHarness extends DunwellUnderTest {
  emulator: QuickBooksEmulator;
  realmId: string;
  /** Moves the emulator's clock (token expiry, CDC windows) forward. */
  advance(ms: number): void;
  /** Goes through the OAuth redirects as a browser would; returns the new connection, the session cookie and its CSRF token. */
  connect(): Promise<{ connectionId: string; cookie: string; csrf: string }>;
  /** Connects, waits for the first full sync, and names the organisation it created. */
  connectAndSync(): Promise<{ connectionId: string; cookie: string; csrf: string; orgId: string }>;
}

/** A QuickBooks emulator with one company, a fresh database, and Dunwell running against both. */
export async function startQuickBooksHarness(
  adminUrl: string,
  seed: CompanySeed,
  extraEnvironment: NodeJS.ProcessEnv = {},
  logger?: Logger,
): Promise<QuickBooksHarness> {
  let clockOffset = 0;
  const emulator = createQuickBooksEmulator({
    clientId: quickBooksApp.clientId,
    clientSecret: quickBooksApp.clientSecret,
    webhookVerifierToken: quickBooksApp.verifier,
    now: () => Date.now() + clockOffset,
  });
  await emulator.listen(0);
  const realmId = emulator.addCompany(seed);
  const dunwell = await startDunwell(
    adminUrl,
    {
      QUICKBOOKS_CLIENT_ID: quickBooksApp.clientId,
      QUICKBOOKS_CLIENT_SECRET: quickBooksApp.clientSecret,
      QUICKBOOKS_WEBHOOK_VERIFIER_TOKEN: quickBooksApp.verifier,
      QUICKBOOKS_EMULATOR_URL: emulator.url,
      ...extraEnvironment,
    },
    logger,
  );
  emulator.setWebhookTarget({
    url: `${dunwell.runtime.url}/webhooks/quickbooks`,
    format: 'cloudevents',
    mode: 'manual',
  });
  const connect = async () => {
    const browser = new Browser();
    const { connectionId } = await browser.connect(dunwell.runtime.url, 'quickbooks');
    return { connectionId, cookie: browser.cookie, csrf: browser.csrfToken ?? '' };
  };
  return {
    ...dunwell,
    emulator,
    realmId,
    advance(ms) {
      clockOffset += ms;
    },
    connect,
    async connectAndSync() {
      const connected = await connect();
      await dunwell.waitForSync(connected.connectionId, (row) => row.syncProgress?.phase === 'done');
      const [connection] = await dunwell.runtime.database.db
        .select({ orgId: ledgerConnections.orgId })
        .from(ledgerConnections)
        .where(eq(ledgerConnections.id, connected.connectionId));
      if (!connection) throw new Error('the connection was not stored');
      return { ...connected, orgId: connection.orgId };
    },
    async stop() {
      await dunwell.stop();
      await emulator.close();
    },
  };
}
