import { eq } from 'drizzle-orm';
import {
  type CompanySeed,
  createQuickBooksEmulator,
  type QuickBooksEmulator,
} from '../../emulators/quickbooks/index.js';
import { ledgerConnections, organisations } from '../../src/db/schema/index.js';
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
  connect(): Promise<{ connectionId: string; orgId: string; cookie: string; csrf: string }>;
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
  /**
   * A new organisation starts in preview, in its books' time zone. The flows these tests walk are of
   * one that sends, at the hours test/helpers/calendar.ts gives: it is set live and in UTC directly,
   * not through the go-live page, whose evaluation at the wall clock's hour would plan before the test.
   */
  const connect = async () => {
    const browser = new Browser();
    const { connectionId } = await browser.connect(dunwell.runtime.url, 'quickbooks', { preview: true });
    const { db } = dunwell.runtime.database;
    const [connection] = await db
      .select({ orgId: ledgerConnections.orgId })
      .from(ledgerConnections)
      .where(eq(ledgerConnections.id, connectionId));
    if (!connection) throw new Error('the connection was not stored');
    await db
      .update(organisations)
      .set({ sending: 'live', timeZone: 'UTC' })
      .where(eq(organisations.id, connection.orgId));
    return { connectionId, orgId: connection.orgId, cookie: browser.cookie, csrf: browser.csrfToken ?? '' };
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
      return connected;
    },
    async stop() {
      await dunwell.stop();
      await emulator.close();
    },
  };
}
