import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { loadConfig } from '../../src/config.js';
import { formatKeyEntry } from '../../src/crypto/keyring.js';
import { ledgerConnections } from '../../src/db/schema/index.js';
import { freePort } from '../../src/free-port.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { type Runtime, startRuntime } from '../../src/runtime.js';
import { createScratchDatabase, type ScratchDatabase } from './databases.js';
import { waitFor } from './wait.js';

export interface DunwellUnderTest {
  runtime: Runtime;
  database: ScratchDatabase;
  /** The environment the runtime started with (for child processes that need the same). */
  environment: NodeJS.ProcessEnv;
  /** Resolves once the connection's row satisfies `done`. */
  waitForSync(
    connectionId: string,
    done: (row: typeof ledgerConnections.$inferSelect) => boolean,
  ): Promise<void>;
  stop(): Promise<void>;
}

/** Dunwell running in this process on a fresh database, with the given vendor settings. */
export async function startDunwell(
  adminUrl: string,
  vendorEnvironment: NodeJS.ProcessEnv,
  logger?: Logger,
): Promise<DunwellUnderTest> {
  const database = await createScratchDatabase(adminUrl, 'ledger');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'dunwell-ledger-'));
  await chmod(dataDir, 0o755);
  const settings: NodeJS.ProcessEnv = {
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    TOKEN_KEYS: formatKeyEntry('test', randomBytes(32)),
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    JOB_CONCURRENCY: '2',
    SHUTDOWN_TIMEOUT_MS: '2000',
    LOG_LEVEL: 'silent',
    ...vendorEnvironment,
  };
  let environment: NodeJS.ProcessEnv = settings;
  let runtime: Runtime | undefined;
  // The port is free when probed, but another test file (or an emulator listening on port 0) may take
  // it before the server binds it: then the runtime unwinds and starts again on another port.
  for (let attempt = 1; !runtime; attempt++) {
    const port = await freePort();
    // A test that names its own public address (https, to check Secure cookies) keeps it.
    environment = { PUBLIC_URL: `http://127.0.0.1:${port}`, ...settings, PORT: String(port) };
    try {
      runtime = await startRuntime(
        loadConfig(environment),
        logger ?? createLogger(process.env['HARNESS_LOG'] ?? 'silent'),
      );
    } catch (error) {
      if (attempt >= 3 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
  }
  return {
    runtime,
    database,
    environment,
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
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A browser's cookie jar, enough to walk through OAuth redirects. */
export class Browser {
  private readonly jar = new Map<string, string>();
  /** The session's CSRF token once signed in; sent with every state-changing request. */
  csrfToken: string | null = null;

  get cookie(): string {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: this.cookie,
        ...(this.csrfToken && init.method && init.method !== 'GET' ? { 'x-csrf-token': this.csrfToken } : {}),
      },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const [name = '', ...value] = pair.split('=');
      if (value.join('=') === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line))
        this.jar.delete(name.trim());
      else this.jar.set(name.trim(), value.join('='));
    }
    return response;
  }

  /**
   * Signs in with the vendor's login only ("Sign in with Intuit/Xero"); returns where Dunwell sent
   * the browser afterwards and that response.
   */
  async signIn(
    baseUrl: string,
    vendor: 'quickbooks' | 'xero',
    options: { consentParameters?: string; returnTo?: string } = {},
  ): Promise<Response> {
    const query = options.returnTo ? `?returnTo=${encodeURIComponent(options.returnTo)}` : '';
    const start = await this.request(`${baseUrl}/signin/${vendor}${query}`);
    const consent = start.headers.get('location');
    if (start.status !== 302 || !consent) throw new Error(`sign-in start answered ${start.status}`);
    const authorize = await fetch(`${consent}${options.consentParameters ?? ''}`, { redirect: 'manual' });
    const callback = authorize.headers.get('location');
    if (authorize.status !== 302 || !callback)
      throw new Error(`authorize answered ${authorize.status}: ${await authorize.text()}`);
    const finished = await this.request(callback);
    if (finished.status === 302) {
      const session = await this.request(`${baseUrl}/api/session`);
      if (session.ok) this.csrfToken = ((await session.json()) as { csrfToken: string }).csrfToken;
    }
    return finished;
  }

  /**
   * Goes from Dunwell's connect button through the vendor's consent and back, choosing a company
   * when asked; returns the new connection's id. A new organisation starts in preview; this then
   * takes it live through its go-live checklist (as the tests written before preview expect), unless
   * `preview` is asked for.
   */
  async connect(
    baseUrl: string,
    vendor: 'quickbooks' | 'xero',
    options: { consentParameters?: string; choose?: (tenantIds: string[]) => string; preview?: boolean } = {},
  ): Promise<{ connectionId: string; choicePage: string | null }> {
    const start = await this.request(`${baseUrl}/connect/${vendor}`);
    const consent = start.headers.get('location');
    if (start.status !== 302 || !consent) throw new Error(`connect start answered ${start.status}`);
    const authorize = await fetch(`${consent}${options.consentParameters ?? ''}`, { redirect: 'manual' });
    const callback = authorize.headers.get('location');
    if (authorize.status !== 302 || !callback)
      throw new Error(`authorize answered ${authorize.status}: ${await authorize.text()}`);
    let finish = await this.request(callback);
    let choicePage: string | null = null;
    if (finish.headers.get('location') === `/connect/${vendor}/choose`) {
      choicePage = await (await this.request(`${baseUrl}/connect/${vendor}/choose`)).text();
      const tenantIds = [...choicePage.matchAll(/name="tenantId" value="([^"]+)"/g)].map(
        (match) => match[1] ?? '',
      );
      finish = await this.request(`${baseUrl}/connect/${vendor}/choose`, {
        method: 'POST',
        body: new URLSearchParams({
          tenantId: options.choose ? options.choose(tenantIds) : (tenantIds[0] ?? ''),
          _csrf: /name="_csrf" value="([^"]+)"/.exec(choicePage)?.[1] ?? '',
        }),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    }
    const location = finish.headers.get('location') ?? '';
    const connectionId = new URL(location, baseUrl).searchParams.get('connected');
    if (!connectionId)
      throw new Error(`connect finished with ${finish.status} ${location}: ${await finish.text()}`);
    const session = await this.request(`${baseUrl}/api/session`);
    this.csrfToken = ((await session.json()) as { csrfToken: string }).csrfToken;
    const checklist = /^\/app\/([0-9a-f-]+)\/go-live\b/.exec(new URL(location, baseUrl).pathname);
    if (checklist && !options.preview) {
      const live = await this.request(`${baseUrl}/app/${checklist[1]}/go-live/live`, { method: 'POST' });
      if (live.status !== 303) throw new Error(`going live answered ${live.status}: ${await live.text()}`);
    }
    return { connectionId, choicePage };
  }
}
