import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createConnectors } from '../connectors/factory.js';
import { vendorIds } from '../connectors/vendors.js';
import type { Config } from './config.js';
import { resolveKeyring, resolveSessionSecret } from './crypto/secrets.js';
import { createTokenCipher, type TokenCipher } from './crypto/token-cipher.js';
import { connectDatabase, type DatabaseHandle } from './db/client.js';
import { runMigrations } from './db/migrate.js';
import { provisionDatabase } from './db/provision.js';
import { portalLinks } from './domain/portal-links.js';
import { replyAddresses, replyAddressKey } from './domain/reply-address.js';
import type { DeliveryRunRequests, JobDeps } from './jobs/deps.js';
import { createJobQueue, type JobQueue } from './jobs/queue.js';
import { jobsReadinessCheck } from './jobs/readiness.js';
import { type AppJobRegistry, jobRegistry } from './jobs/registry.js';
import type { LedgerContext } from './ledger/context.js';
import type { Logger } from './logger.js';
import type { SmsDeps } from './messaging/sms/send.js';
import { smsDeps } from './messaging/sms/sms-deps.js';
import type { TwilioSettings } from './messaging/sms/twilio-transport.js';
import { createLocalTransport } from './messaging/transport/local.js';
import { createSendGridTransport } from './messaging/transport/sendgrid.js';
import { weeklySummaryLinks } from './reports/summary-links.js';
import type { CollectionRequests, SyncRequests } from './sync/sync-requests.js';
import { buildApp } from './web/app.js';
import { within } from './within.js';

export interface Runtime {
  app: FastifyInstance;
  database: DatabaseHandle;
  jobs: JobQueue<JobDeps, AppJobRegistry>;
  tokenCipher: TokenCipher;
  ledger: LedgerContext;
  /** Text messages, when on: Twilio's settings (or the local emulator's) and what `sendText` takes. */
  sms: { settings: TwilioSettings; deps: SmsDeps } | undefined;
  /** The address the HTTP server listens on. */
  url: string;
  /** Stops taking requests and jobs, lets running jobs finish (bounded), then closes everything. */
  stop(): Promise<void>;
}

/**
 * Starts one Dunwell process for its role: `web` serves the app and queues jobs; `worker` runs jobs
 * and serves only /healthz and /readyz; `all` does both.
 */
export async function startRuntime(config: Config, logger: Logger): Promise<Runtime> {
  const provisioned = await provisionDatabase(config, logger);
  const stack: Array<() => Promise<void>> = [];
  if (provisioned.embedded) stack.push(() => provisioned.embedded?.stop() ?? Promise.resolve());
  try {
    await runMigrations(provisioned.url);
    const tokenCipher = createTokenCipher(await resolveKeyring(config));

    const database = connectDatabase(provisioned.url, { poolMax: config.databasePoolMax, logger });
    stack.push(() => database.pool.end());

    const runsJobs = config.role !== 'web';
    const jobs = createJobQueue<JobDeps, AppJobRegistry>({
      connectionString: provisioned.url,
      registry: jobRegistry,
      logger: logger.child({ component: 'jobs' }),
      role: runsJobs ? 'worker' : 'producer',
      concurrency: config.jobConcurrency,
      heartbeat: config.jobHeartbeat,
    });
    await jobs.start();
    stack.push(() => jobs.stop(config.shutdownTimeoutMs));
    const configured = config.vendors;
    // Zero-setup mode: an emulator with demo books stands in for each vendor not configured. One
    // process owning both roles can host them; split roles need the real vendors.
    const unconfigured = vendorIds.filter((vendor) => !configured[vendor]);
    const local =
      unconfigured.length > 0 && config.environment !== 'production' && config.role === 'all'
        ? await (await import('../emulators/index.js')).startLocalLedgers(
            unconfigured,
            config.publicUrl,
            logger,
          )
        : undefined;
    if (local) stack.push(() => local.stop());
    // Texts: Twilio when configured; in zero-setup mode the local Twilio emulator stands in for it.
    const localTwilio =
      !config.sms && config.environment !== 'production' && config.role === 'all'
        ? await (await import('../emulators/index.js')).startLocalTwilio(config.publicUrl, logger)
        : undefined;
    if (localTwilio) stack.push(() => localTwilio.stop());
    const twilioSettings: TwilioSettings | undefined = config.sms ?? localTwilio?.settings;
    const sms = twilioSettings
      ? { settings: twilioSettings, deps: smsDeps(database.db, twilioSettings, config.publicUrl) }
      : undefined;
    const ledger: LedgerContext = {
      db: database.db,
      pool: database.pool,
      cipher: tokenCipher,
      connectors: createConnectors({ ...configured, ...local?.settings }),
      logger: logger.child({ component: 'ledger' }),
    };
    const requests: SyncRequests & CollectionRequests & DeliveryRunRequests = {
      async sync(connectionId, mode, delaySeconds) {
        await jobs.send(
          'ledger.sync',
          { connectionId, mode },
          delaySeconds ? { startAfter: new Date(Date.now() + delaySeconds * 1000) } : undefined,
        );
      },
      async routeWebhooks() {
        await jobs.send('webhooks.route', {});
      },
      async evaluate(orgId) {
        await jobs.send('collections.evaluate', { orgId });
      },
      async deliverMessage(messageId) {
        await jobs.send('collections.deliver-message', { messageId });
      },
      async deliverDue(orgId) {
        await jobs.send('collections.deliver-due', { orgId });
      },
      async writeLedger(writeId) {
        await jobs.send('collections.write-ledger', { writeId });
      },
      async weeklySummary(orgId) {
        await jobs.send('reports.weekly-summary', { orgId });
      },
      async processReplies() {
        await jobs.send('replies.process', {});
      },
    };
    const sessionSecret = await resolveSessionSecret(config);
    const links = portalLinks(sessionSecret, config.publicUrl);
    if (runsJobs)
      await jobs.work({
        db: database.db,
        ledger,
        requests,
        collections: {
          links,
          transport: config.email.sendGridApiKey
            ? createSendGridTransport({ apiKey: config.email.sendGridApiKey })
            : createLocalTransport({ db: database.db }),
          from: config.email.from,
          ...(config.inboundReplyDomain
            ? { replyAddresses: replyAddresses(replyAddressKey(sessionSecret), config.inboundReplyDomain) }
            : {}),
        },
        weeklySummary: { links: weeklySummaryLinks(sessionSecret, config.publicUrl) },
        ...(sms ? { sms: sms.deps } : {}),
        ownerDigest: {
          windowMinutes: config.ownerDigest.windowMinutes,
          slack: config.ownerDigest.slackBaseUrl ? { slackBaseUrl: config.ownerDigest.slackBaseUrl } : {},
        },
      });

    const servesWeb = config.role !== 'worker';
    const app = await buildApp({
      logger,
      trustProxy: config.http.trustProxy,
      readinessChecks: [
        { name: 'database', check: async () => (await database.pool.query('select 1')).rowCount === 1 },
        jobsReadinessCheck(jobs),
      ],
      ...(servesWeb
        ? {
            services: {
              ledger,
              requests,
              publicUrl: config.publicUrl,
              sessionSecret,
              portal: links,
              cookies: { secure: config.publicUrl.startsWith('https://') },
              sendGridWebhookPublicKey: config.sendGridWebhookPublicKey,
              inboundEmailSecret: config.inboundEmailSecret,
              sms: twilioSettings ? { authToken: twilioSettings.authToken } : undefined,
            },
          }
        : {}),
    });
    await app.listen({ host: config.http.host, port: config.http.port });
    const address = app.server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    logger.info({ role: config.role, port: address.port }, 'dunwell started');

    return {
      app,
      database,
      jobs,
      tokenCipher,
      ledger,
      sms,
      url: `http://${host}:${address.port}`,
      async stop() {
        // New requests get 503 while in-flight ones finish, and running jobs drain (bounded), in parallel.
        await Promise.all([app.close(), jobs.stop(config.shutdownTimeoutMs)]);
        await local?.stop();
        await localTwilio?.stop();
        // A job still stuck past the grace period (already failed back to the queue for a retry)
        // would hold its connection and keep pool.end() waiting forever.
        const poolClosed = await within(
          database.pool.end().then(() => true),
          poolCloseBoundMs,
          false,
        );
        if (!poolClosed)
          logger.warn('database connections still busy after the jobs stopped; closing anyway');
        await provisioned.embedded?.stop();
      },
    };
  } catch (error) {
    await unwind(stack);
    throw error;
  }
}

const poolCloseBoundMs = 2_000;

async function unwind(stack: Array<() => Promise<void>>): Promise<void> {
  while (stack.length > 0) await stack.pop()?.();
}
