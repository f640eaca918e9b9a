import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import {
  type CompanySeed,
  createQuickBooksEmulator,
  type QuickBooksEmulator,
} from '../../connectors/quickbooks/emulator/index.js';
import { loadConfig } from '../../src/config.js';
import { formatKeyEntry } from '../../src/crypto/keyring.js';
import { ledgerConnections } from '../../src/db/schema/index.js';
import { freePort } from '../../src/free-port.js';
import { createLogger } from '../../src/logger.js';
import { type Runtime, startRuntime } from '../../src/runtime.js';
import { createScratchDatabase, type ScratchDatabase } from './databases.js';
import { waitFor } from './wait.js';

export const quickBooksApp = {
  clientId: 'dunwell-test-client',
  clientSecret: 'dunwell-test-secret',
  verifier: 'verifier-token',
};

export interface QuickBooksHarness {
  emulator: QuickBooksEmulator;
  realmId: string;
  runtime: Runtime;
  database: ScratchDatabase;
  /** The environment the runtime was started with (for child processes that need the same). */
  environment: NodeJS.ProcessEnv;
  /** Moves the emulator's clock (token expiry, CDC windows) forward. */
  advance(ms: number): void;
  /** Goes through the OAuth redirects as a browser would; returns the new connection and the session cookie. */
  connect(): Promise<{ connectionId: string; cookie: string; location: string }>;
  /** Resolves once the connection's sync progress satisfies `done`. */
  waitForSync(
    connectionId: string,
    done: (row: typeof ledgerConnections.$inferSelect) => boolean,
  ): Promise<void>;
  stop(): Promise<void>;
}

/** Cookies from Set-Cookie headers, as `name=value; …` for a Cookie header. */
function cookiesFrom(response: Response, jar: Map<string, string>): void {
  for (const line of response.headers.getSetCookie()) {
    const [pair = ''] = line.split(';');
    const [name = '', ...value] = pair.split('=');
    jar.set(name.trim(), value.join('='));
  }
}

const cookieHeader = (jar: Map<string, string>) =>
  [...jar].map(([name, value]) => `${name}=${value}`).join('; ');

/** A QuickBooks emulator with one company, a fresh database, and Dunwell running against both. */
export async function startQuickBooksHarness(
  adminUrl: string,
  seed: CompanySeed,
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
  const database = await createScratchDatabase(adminUrl, 'qbo');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'dunwell-qbo-'));
  await chmod(dataDir, 0o755);
  const port = await freePort();
  const environment: NodeJS.ProcessEnv = {
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    TOKEN_KEYS: formatKeyEntry('test', randomBytes(32)),
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    QUICKBOOKS_CLIENT_ID: quickBooksApp.clientId,
    QUICKBOOKS_CLIENT_SECRET: quickBooksApp.clientSecret,
    QUICKBOOKS_WEBHOOK_VERIFIER_TOKEN: quickBooksApp.verifier,
    QUICKBOOKS_EMULATOR_URL: emulator.url,
    JOB_CONCURRENCY: '2',
    SHUTDOWN_TIMEOUT_MS: '2000',
    LOG_LEVEL: 'silent',
  };
  const runtime = await startRuntime(
    loadConfig(environment),
    createLogger(process.env['HARNESS_LOG'] ?? 'silent'),
  );
  emulator.setWebhookTarget({
    url: `${runtime.url}/webhooks/quickbooks`,
    format: 'cloudevents',
    mode: 'manual',
  });

  return {
    emulator,
    realmId,
    runtime,
    database,
    environment,
    advance(ms) {
      clockOffset += ms;
    },

    async connect() {
      const jar = new Map<string, string>();
      const start = await fetch(`${runtime.url}/connect/quickbooks`, { redirect: 'manual' });
      cookiesFrom(start, jar);
      const consent = start.headers.get('location');
      if (start.status !== 302 || !consent) throw new Error(`connect start answered ${start.status}`);
      const authorize = await fetch(consent, { redirect: 'manual' });
      const callback = authorize.headers.get('location');
      if (authorize.status !== 302 || !callback) throw new Error(`authorize answered ${authorize.status}`);
      const finish = await fetch(callback, { redirect: 'manual', headers: { cookie: cookieHeader(jar) } });
      cookiesFrom(finish, jar);
      const location = finish.headers.get('location') ?? '';
      const connectionId = new URL(location, runtime.url).searchParams.get('connected');
      if (finish.status !== 302 || !connectionId) {
        throw new Error(`callback answered ${finish.status}: ${await finish.text()}`);
      }
      return { connectionId, cookie: cookieHeader(jar), location };
    },

    async waitForSync(connectionId, done) {
      await waitFor(
        async () => {
          const [row] = await runtime.database.db
            .select()
            .from(ledgerConnections)
            .where(eq(ledgerConnections.id, connectionId));
          return row && done(row);
        },
        { timeoutMs: 30_000, what: 'the sync' },
      );
    },

    async stop() {
      await runtime.stop();
      await emulator.close();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
