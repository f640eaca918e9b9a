/**
 * The end-to-end tier's ledger: a QuickBooks emulator company or a Xero emulator organisation on a
 * clock the simulator moves, and a Dunwell web process (no job workers: the simulator runs sync,
 * evaluation and delivery itself, at simulated instants) on a scratch database, connected through
 * the real OAuth redirects.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { processRateLimiter } from '../../connectors/shared/rate-limit.js';
import { createQuickBooksEmulator, type QuickBooksEmulator } from '../../emulators/quickbooks/index.js';
import { createXeroEmulator, type XeroEmulator } from '../../emulators/xero/index.js';
import { loadConfig } from '../../src/config.js';
import { formatKeyEntry } from '../../src/crypto/keyring.js';
import { freePort } from '../../src/free-port.js';
import type { LedgerContext } from '../../src/ledger/context.js';
import { createLogger } from '../../src/logger.js';
import { type Runtime, startRuntime } from '../../src/runtime.js';
import { createScratchDatabase } from '../helpers/databases.js';
import { Browser } from '../helpers/dunwell-harness.js';

export type Vendor = 'quickbooks' | 'xero';

export interface SeedCustomer {
  name: string;
  email: string | null;
}
export interface SeedInvoice {
  customer: number;
  number: string;
  currency: string;
  totalMinor: number;
  balanceMinor: number;
  issueDate: string;
  dueDate: string;
  billEmail: string | null;
}

/** What the simulator does to the ledger, and reads back as the truth. */
export interface SimLedger {
  vendor: Vendor;
  runtime: Runtime;
  /** The ledger context of the simulated instant (cursors and closing times on the simulated clock). */
  ctx: LedgerContext;
  connectionId: string;
  /** The secret the runtime signs portal links with. */
  sessionSecret: string;
  /** Sets the emulator's clock. */
  setClock(ms: number): void;
  createInvoice(invoice: SeedInvoice): void;
  pay(number: string, amountMinor: number, date: string): void;
  /** False when the ledger refuses (Xero: an invoice with payments). */
  voidInvoice(number: string): boolean;
  /** Balance owed per invoice number, as the ledger has it now. */
  balances(): Map<string, number>;
  /** Posts the emulator's pending webhooks to Dunwell (signed, verified, stored in its inbox). */
  deliverWebhooks(): Promise<number>;
  stop(): Promise<void>;
}

const quickBooksApp = {
  clientId: 'sim-qbo-client',
  clientSecret: 'sim-qbo-secret',
  verifier: 'sim-verifier',
};
const xeroApp = { clientId: 'sim-xero-client', clientSecret: 'sim-xero-secret', webhookKey: 'sim-xero-key' };
const tenYears = 10 * 365 * 86_400;
const toMinor = (major: unknown) => Math.round(Number(major) * 100);
const owner = { email: 'owner@sim.example', firstName: 'Sim', lastName: 'Owner' };

/**
 * Connections of the simulator whose calls skip the per-connection pacing (Xero's 48 calls a
 * minute would make a 180-day walk take minutes): their calls go through a limiter queue of
 * their own, with generous limits. Only the simulator's process is affected.
 */
const unpaced = new Set<string>();
const schedule = processRateLimiter.schedule.bind(processRateLimiter);
processRateLimiter.schedule = (connectionId, limits, task) =>
  unpaced.has(connectionId)
    ? schedule(`sim:${connectionId}`, { ...limits, perMinute: 1_000_000, perDay: 1_000_000 }, task)
    : schedule(connectionId, limits, task);

export async function startSimLedger(
  adminUrl: string,
  vendor: Vendor,
  company: {
    name: string;
    currency: string;
    customers: SeedCustomer[];
    invoices: SeedInvoice[];
  },
): Promise<SimLedger> {
  let clock: number | null = null;
  const now = () => clock ?? Date.now();
  const emulatorOptions = {
    now,
    accessTokenTtlSeconds: tenYears,
    refreshTokenTtlSeconds: tenYears,
    rateLimit: { perMinute: 1_000_000, concurrent: 50, perDay: 10_000_000, appPerMinute: 10_000_000 },
  };
  let qbo: QuickBooksEmulator | null = null;
  let xero: XeroEmulator | null = null;
  let tenant = '';
  const ids = new Map<string, string>();
  const customerIds: string[] = [];
  if (vendor === 'quickbooks') {
    qbo = createQuickBooksEmulator({
      clientId: quickBooksApp.clientId,
      clientSecret: quickBooksApp.clientSecret,
      webhookVerifierToken: quickBooksApp.verifier,
      ...emulatorOptions,
    });
    await qbo.listen(0);
    tenant = qbo.addCompany({
      name: company.name,
      homeCurrency: company.currency,
      customers: company.customers.map((customer, index) => ({
        id: String(index + 1),
        displayName: customer.name,
        email: customer.email,
        currency: company.currency,
      })),
      invoices: company.invoices.map((invoice, index) => {
        ids.set(invoice.number, String(100 + index));
        return {
          id: String(100 + index),
          customerId: String(invoice.customer + 1),
          docNumber: invoice.number,
          txnDate: invoice.issueDate,
          dueDate: invoice.dueDate,
          total: invoice.totalMinor,
          balance: invoice.balanceMinor,
          currency: invoice.currency,
          billEmail: invoice.billEmail,
        };
      }),
    });
    for (const index of company.customers.keys()) customerIds.push(String(index + 1));
  } else {
    xero = createXeroEmulator({ ...xeroApp, ...emulatorOptions });
    await xero.listen(0);
    const contactId = (index: number) => `a0000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
    const invoiceId = (index: number) => `c0000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
    tenant = xero.addOrganisation({
      name: company.name,
      baseCurrency: company.currency,
      user: owner,
      contacts: company.customers.map((customer, index) => ({
        id: contactId(index),
        name: customer.name,
        emailAddress: customer.email,
      })),
      invoices: company.invoices.map((invoice, index) => {
        ids.set(invoice.number, invoiceId(index));
        return {
          id: invoiceId(index),
          contactId: contactId(invoice.customer),
          invoiceNumber: invoice.number,
          date: invoice.issueDate,
          dueDate: invoice.dueDate,
          total: invoice.totalMinor,
          amountDue: invoice.balanceMinor,
          currency: invoice.currency,
        };
      }),
    });
    for (const index of company.customers.keys()) customerIds.push(contactId(index));
  }

  const database = await createScratchDatabase(adminUrl, 'sim');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'dunwell-sim-'));
  await chmod(dataDir, 0o755);
  const port = await freePort();
  const environment: NodeJS.ProcessEnv = {
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    TOKEN_KEYS: formatKeyEntry('test', randomBytes(32)),
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    SHUTDOWN_TIMEOUT_MS: '2000',
    LOG_LEVEL: 'silent',
    ...(qbo
      ? {
          QUICKBOOKS_CLIENT_ID: quickBooksApp.clientId,
          QUICKBOOKS_CLIENT_SECRET: quickBooksApp.clientSecret,
          QUICKBOOKS_WEBHOOK_VERIFIER_TOKEN: quickBooksApp.verifier,
          QUICKBOOKS_EMULATOR_URL: qbo.url,
        }
      : {
          XERO_CLIENT_ID: xeroApp.clientId,
          XERO_CLIENT_SECRET: xeroApp.clientSecret,
          XERO_WEBHOOK_KEY: xeroApp.webhookKey,
          XERO_EMULATOR_URL: xero?.url,
        }),
  };
  // The web role: no job workers, so no cron evaluates at the wall clock's hour and no queued sync
  // moves the cursor to the wall clock; the simulator runs each of those itself.
  const runtime = await startRuntime(loadConfig(environment, ['--role=web']), createLogger('silent'));
  const stopAll = async () => {
    await runtime.stop();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
    await qbo?.close();
    await xero?.close();
  };
  try {
    if (qbo)
      qbo.setWebhookTarget({
        url: `${runtime.url}/webhooks/quickbooks`,
        format: 'cloudevents',
        mode: 'manual',
      });
    else xero?.setWebhookTarget({ url: `${runtime.url}/webhooks/xero`, mode: 'manual' });
    const browser = new Browser();
    const { connectionId } = await browser.connect(runtime.url, vendor, {
      ...(vendor === 'xero' ? { consentParameters: `&user=${encodeURIComponent(owner.email)}` } : {}),
    });
    unpaced.add(connectionId);
    const ctx: LedgerContext = { ...runtime.ledger, now: () => new Date(now()) };
    const idOf = (number: string) => {
      const id = ids.get(number);
      if (!id) throw new Error(`no invoice ${number}`);
      return id;
    };
    return {
      vendor,
      runtime,
      ctx,
      connectionId,
      sessionSecret: String(environment['SESSION_SECRET']),
      setClock(ms) {
        clock = ms;
      },
      createInvoice(invoice) {
        if (qbo)
          ids.set(
            invoice.number,
            qbo.changes(tenant).createInvoice({
              customerId: customerIds[invoice.customer] as string,
              amount: invoice.totalMinor,
              docNumber: invoice.number,
              txnDate: invoice.issueDate,
              dueDate: invoice.dueDate,
              currency: invoice.currency,
              billEmail: invoice.billEmail,
            }),
          );
        else
          ids.set(
            invoice.number,
            (xero as XeroEmulator).changes(tenant).createInvoice({
              contactId: customerIds[invoice.customer] as string,
              amount: invoice.totalMinor,
              invoiceNumber: invoice.number,
              date: invoice.issueDate,
              dueDate: invoice.dueDate,
              currency: invoice.currency,
              status: 'AUTHORISED',
            }),
          );
      },
      pay(number, amountMinor, date) {
        const id = idOf(number);
        if (qbo) {
          const customer = qbo.company(tenant).invoice(id)?.['CustomerRef'] as { value: string };
          qbo.changes(tenant).receivePayment({
            customerId: customer.value,
            amount: amountMinor,
            invoiceIds: [id],
            txnDate: date,
          });
        } else
          (xero as XeroEmulator).changes(tenant).receivePayment({ invoiceId: id, amount: amountMinor, date });
      },
      voidInvoice(number) {
        try {
          if (qbo) qbo.changes(tenant).voidInvoice(idOf(number));
          else (xero as XeroEmulator).changes(tenant).voidInvoice(idOf(number));
          return true;
        } catch {
          return false; // Xero refuses to void an invoice with payments allocated
        }
      },
      balances() {
        const owed = new Map<string, number>();
        if (qbo)
          for (const invoice of qbo.company(tenant).invoices)
            owed.set(String(invoice['DocNumber']), toMinor(invoice['Balance']));
        else
          for (const invoice of (xero as XeroEmulator).organisation(tenant).invoices)
            owed.set(
              String(invoice['InvoiceNumber']),
              invoice['Status'] === 'VOIDED' || invoice['Status'] === 'DELETED'
                ? 0
                : toMinor(invoice['AmountDue']),
            );
        return owed;
      },
      async deliverWebhooks() {
        const statuses = qbo ? await qbo.deliverWebhooks() : await (xero as XeroEmulator).deliverWebhooks();
        const refused = statuses.filter((status) => status >= 300);
        if (refused.length > 0) throw new Error(`Dunwell answered webhooks with ${refused.join(', ')}`);
        return statuses.length;
      },
      async stop() {
        unpaced.delete(connectionId);
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
