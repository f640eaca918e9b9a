// A trial's company for test/reliability/crash.ts: debtors with 1–3 overdue invoices each in the
// QuickBooks emulator, connected and fully synced into Dunwell's database in this process (as
// bench/deliver.ts does), then one due reminder per debtor queued straight in SQL.
import type pg from 'pg';
import { queueReminders } from '../../bench/support/queue-reminders.js';
import type { CompanySeed, QuickBooksEmulator } from '../../emulators/quickbooks/index.js';
import { completeConnect } from '../../src/connections/connect.js';
import type { LedgerContext } from '../../src/ledger/context.js';
import { syncConnection } from '../../src/sync/sync-connection.js';

export interface CrashCompany {
  realmId: string;
  orgId: string;
  /** Reminders queued (one per debtor). */
  messages: number;
  /** Per debtor (emulator customer id): its invoices' emulator ids, sorted — what its note must reference. */
  invoicesOf: Map<string, string[]>;
}

/** Builds, connects, syncs and queues one trial's company; `label` makes names and ids unique. */
export async function crashCompany(
  emulator: QuickBooksEmulator,
  ledger: LedgerContext,
  pool: pg.Pool,
  options: { label: string; debtors: number },
): Promise<CrashCompany> {
  const dueDate = new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10);
  const invoicesOf = new Map<string, string[]>();
  const seed: CompanySeed = {
    name: `Crash ${options.label} Ltd`,
    homeCurrency: 'GBP',
    country: 'GB',
    customers: Array.from({ length: options.debtors }, (_, n) => ({
      id: String(n + 1),
      displayName: `Debtor ${n + 1}`,
      email: `ap${n + 1}@debtor.example`,
    })),
    invoices: Array.from({ length: options.debtors }, (_, n) =>
      Array.from({ length: 1 + (n % 3) }, (_, k) => {
        const id = String(100_000 + n * 3 + k);
        invoicesOf.set(String(n + 1), [...(invoicesOf.get(String(n + 1)) ?? []), id]);
        return {
          id,
          customerId: String(n + 1),
          total: 10_000 + ((n * 37 + k * 11) % 90_000),
          status: 'overdue' as const,
          dueDate,
        };
      }),
    ).flat(),
  };
  for (const [debtor, ids] of invoicesOf) invoicesOf.set(debtor, ids.sort());
  const realmId = emulator.addCompany(seed);

  const connector = ledger.connectors.quickbooks;
  if (!connector) throw new Error('quickbooks not configured');
  const redirectUri = 'http://127.0.0.1/connect/quickbooks/callback';
  const consent = connector.consentUrl({ state: `crash-${options.label}`, redirectUri });
  const authorized = await fetch(`${consent}&realm_id=${realmId}`, { redirect: 'manual' });
  const connected = await completeConnect(
    ledger,
    { sync: async () => undefined, routeWebhooks: async () => undefined },
    'quickbooks',
    { callbackUrl: authorized.headers.get('location') ?? '', redirectUri },
    async () => `crash-user-${options.label}`,
  );
  if (connected.kind !== 'connected') throw new Error('expected one company');
  const synced = await syncConnection(ledger, connected.connectionId, 'full');
  if (synced.outcome !== 'synced') throw new Error(`full sync: ${JSON.stringify(synced)}`);
  const orgId = (
    await pool.query<{ org_id: string }>('select org_id from ledger_connections where id = $1', [
      connected.connectionId,
    ])
  ).rows[0]?.org_id;
  if (!orgId) throw new Error('no organisation');
  // A newly connected organisation starts in preview, where nothing is sent: this one sends.
  await pool.query("update organisations set sending = 'live' where id = $1", [orgId]);
  // Not due yet: the trial makes them due when it queues their delivery run (else the outbox sweep
  // would deliver them before the trial starts timing its kill).
  const messages = await queueReminders(pool, orgId, { sendAfter: new Date(Date.now() + 86_400_000) });
  if (messages !== options.debtors)
    throw new Error(`queued ${messages} reminders for ${options.debtors} debtors`);
  return { realmId, orgId, messages, invoicesOf };
}
