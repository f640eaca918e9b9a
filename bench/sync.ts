// npm run bench:sync — a full sync of 1,000 and 10,000 open invoices (2,000 customers) from the
// QuickBooks and Xero emulators, and a reconcile with nothing changed: API calls, seconds, 429s.
// For Xero it adds the day-limit arithmetic of a 10,000-invoice organisation's first day.
import { randomBytes } from 'node:crypto';
import { createConnectors } from '../connectors/factory.js';
import type { Vendor } from '../connectors/ledger.js';
import { invoicesPerFetch as xeroInvoicesPerFetch } from '../connectors/xero/reads.js';
import { createQuickBooksEmulator } from '../emulators/quickbooks/index.js';
import { createXeroEmulator } from '../emulators/xero/index.js';
import { completeConnect } from '../src/connections/connect.js';
import { parseKeyring } from '../src/crypto/keyring.js';
import { createTokenCipher } from '../src/crypto/token-cipher.js';
import { connectDatabase } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import type { LedgerContext } from '../src/ledger/context.js';
import { createLogger } from '../src/logger.js';
import { syncConnection } from '../src/sync/sync-connection.js';
import { createScratchDatabase } from '../test/helpers/databases.js';
import { openTestServer } from '../test/helpers/test-server.js';

const customers = 2_000;
const pageSize = 1_000;
const xeroDayLimit = 5_000;

interface VendorSetup {
  settings: Parameters<typeof createConnectors>[0];
  /** Where the consent URL is sent, plus what picks the company. */
  consentSuffix: string;
  apiCalls(): { calls: number; throttled: number };
  resetCounters(): void;
  /** Open invoice count per customer, and payments, as generated. */
  company(): { overdueByCustomer: Map<string, number>; payments: number; customers: number };
  close(): Promise<void>;
}

async function quickBooks(openInvoices: number): Promise<VendorSetup> {
  const app = {
    clientId: 'bench-client',
    clientSecret: 'bench-secret',
    webhookVerifierToken: 'bench-verifier',
  };
  const emulator = createQuickBooksEmulator(app);
  await emulator.listen(0);
  const realmId = emulator.generateCompany({ customers, openInvoices, seed: 7 });
  const today = new Date().toISOString().slice(0, 10);
  return {
    settings: { quickbooks: { ...app, environment: 'sandbox', emulatorUrl: emulator.url } },
    consentSuffix: `&realm_id=${realmId}`,
    apiCalls() {
      const { byKind, throttled } = emulator.counters();
      return { calls: byKind.query + byKind.cdc + byKind.read + byKind.write, throttled };
    },
    resetCounters: () => emulator.resetCounters(),
    company() {
      const view = emulator.company(realmId);
      const overdueByCustomer = new Map<string, number>();
      for (const invoice of view.invoices) {
        if (Number(invoice['Balance']) > 0 && String(invoice['DueDate']) < today) {
          const customer = String((invoice['CustomerRef'] as { value: string }).value);
          overdueByCustomer.set(customer, (overdueByCustomer.get(customer) ?? 0) + 1);
        }
      }
      return { overdueByCustomer, payments: view.payments.length, customers: view.customers.length };
    },
    close: () => emulator.close(),
  };
}

async function xero(openInvoices: number): Promise<VendorSetup> {
  const app = { clientId: 'bench-xero', clientSecret: 'bench-xero-secret', webhookKey: 'bench-key' };
  const emulator = createXeroEmulator(app);
  await emulator.listen(0);
  const userEmail = `bench-${openInvoices}@example.com`;
  const tenantId = emulator.generateOrganisation({ contacts: customers, openInvoices, seed: 7, userEmail });
  const today = Date.now();
  return {
    settings: { xero: { ...app, emulatorUrl: emulator.url } },
    consentSuffix: `&user=${encodeURIComponent(userEmail)}`,
    apiCalls() {
      const { byKind, throttled } = emulator.counters();
      return {
        calls: byKind.read + byKind.write,
        throttled: throttled.minute + throttled.day + throttled.concurrent + throttled.app,
      };
    },
    resetCounters: () => emulator.resetCounters(),
    company() {
      const view = emulator.organisation(tenantId);
      const overdueByCustomer = new Map<string, number>();
      for (const invoice of view.invoices) {
        const due = Number(/\d+/.exec(String(invoice['DueDate']))?.[0] ?? Number.NaN);
        if (invoice['Status'] === 'AUTHORISED' && Number(invoice['AmountDue']) > 0 && due < today) {
          const contact = String((invoice['Contact'] as { ContactID: string }).ContactID);
          overdueByCustomer.set(contact, (overdueByCustomer.get(contact) ?? 0) + 1);
        }
      }
      return { overdueByCustomer, payments: view.payments.length, customers: view.contacts.length };
    },
    close: () => emulator.close(),
  };
}

async function measure(vendor: Vendor, openInvoices: number, adminUrl: string) {
  const setup = vendor === 'quickbooks' ? await quickBooks(openInvoices) : await xero(openInvoices);
  const database = await createScratchDatabase(adminUrl, `bench_${vendor}_${openInvoices}`);
  await runMigrations(database.url);
  const logger = createLogger('warn');
  const handle = connectDatabase(database.url, { poolMax: 5, logger });
  const keyring = parseKeyring(`bench:${randomBytes(32).toString('base64')}`);
  if (!keyring.ok) throw new Error('keyring');
  const ctx: LedgerContext = {
    db: handle.db,
    pool: handle.pool,
    cipher: createTokenCipher(keyring.keyring),
    connectors: createConnectors(setup.settings),
    logger,
  };
  try {
    const connector = ctx.connectors[vendor];
    if (!connector) throw new Error(`${vendor} not configured`);
    const redirectUri = `http://127.0.0.1/connect/${vendor}/callback`;
    const consent = connector.consentUrl({ state: 'bench-state', redirectUri });
    const authorized = await fetch(`${consent}${setup.consentSuffix}`, { redirect: 'manual' });
    const callbackUrl = authorized.headers.get('location') ?? '';
    const noRequests = { sync: async () => undefined, routeWebhooks: async () => undefined };
    const outcome = await completeConnect(
      ctx,
      noRequests,
      vendor,
      { callbackUrl, redirectUri },
      async () => 'bench-user',
    );
    if (outcome.kind !== 'connected') throw new Error('expected one company');

    const company = setup.company();
    const pageMinimum =
      Math.ceil(company.customers / pageSize) +
      Math.ceil(openInvoices / pageSize) +
      Math.max(1, Math.ceil(company.payments / pageSize));

    setup.resetCounters();
    let started = performance.now();
    const full = await syncConnection(ctx, outcome.connectionId, 'full');
    const fullSeconds = (performance.now() - started) / 1000;
    const fullCalls = setup.apiCalls();
    if (full.outcome !== 'synced') throw new Error(`full sync: ${JSON.stringify(full)}`);

    setup.resetCounters();
    started = performance.now();
    const reconcile = await syncConnection(ctx, outcome.connectionId, 'incremental');
    const reconcileSeconds = (performance.now() - started) / 1000;
    const reconcileCalls = setup.apiCalls();
    if (reconcile.outcome !== 'synced') throw new Error(`reconcile: ${JSON.stringify(reconcile)}`);

    const base = {
      bench: 'sync',
      vendor,
      invoices: full.progress.invoices,
      customers: full.progress.customers,
    };
    const lines: object[] = [
      {
        ...base,
        kind: 'full',
        payments: full.progress.payments,
        api_calls: fullCalls.calls,
        page_minimum: pageMinimum,
        seconds: Number(fullSeconds.toFixed(3)),
        rate_limit_429s: fullCalls.throttled,
      },
    ];
    if (vendor === 'xero' && openInvoices === 10_000) {
      // Day one after connecting: the full sync, one balance re-check per 50 overdue invoices before
      // reminders go out, and one History note per debtor contacted (a contact covers all of a
      // debtor's overdue invoices; the note goes on the lead invoice and names the others).
      const overdueInvoices = [...company.overdueByCustomer.values()].reduce((sum, count) => sum + count, 0);
      const debtorsContacted = company.overdueByCustomer.size;
      const balanceChecks = Math.ceil(overdueInvoices / xeroInvoicesPerFetch);
      const callsFirstDay = fullCalls.calls + balanceChecks + debtorsContacted;
      lines[0] = {
        ...lines[0],
        calls_first_day: callsFirstDay,
        first_day: {
          sync: fullCalls.calls,
          balance_checks: balanceChecks,
          notes: debtorsContacted,
          overdue_invoices: overdueInvoices,
          day_limit: xeroDayLimit,
        },
      };
    }
    if (openInvoices === 10_000) {
      lines.push({
        ...base,
        kind: 'reconcile',
        api_calls: reconcileCalls.calls,
        seconds: Number(reconcileSeconds.toFixed(3)),
        rate_limit_429s: reconcileCalls.throttled,
      });
    }
    return lines;
  } finally {
    await handle.pool.end();
    await database.drop();
    await setup.close();
  }
}

const server = await openTestServer(process.env);
try {
  for (const vendor of ['quickbooks', 'xero'] as const) {
    for (const openInvoices of [1_000, 10_000]) {
      for (const line of await measure(vendor, openInvoices, server.adminUrl))
        console.log(JSON.stringify(line));
    }
  }
} finally {
  await server.stop();
}
