// Vendor faults (#17): each emulator answers 20% of API calls with a 500, adds latency, and hangs 15%
// of its reads and 15% of its writes (evenly spread): carries them out (a write lands) and holds the
// answer past Dunwell's connector timeout (short here, VENDOR_HTTP_TIMEOUT_MS = 1 s), so each is a
// timed-out call whose write may or may not have happened; with a 429 storm in the middle (the
// vendor's limits cut to almost nothing), while Dunwell runs a full sync, webhooks and their
// incremental syncs, and write-backs (notes on invoices, credits) through its real jobs. Then the 5xx,
// latency and storm stop and everything settles (no write-back waiting, no webhook unrouted, no sync or
// write job queued, waiting to retry or running) while the hangs go on (most write-backs are carried
// out then: those caught in the storm wait out its 60-second throttle); then the hangs stop too, and
// the mirror is compared with the emulator: every open invoice's balance and status, every customer's
// name and status; each note and credit must be in the ledger exactly once. 429s outside the storm are
// Dunwell's own (beyond the injected ones).
//
// RELIABILITY_SHORT=1 for CI. One JSON line per vendor; exits 1 on any mismatch, duplicate or lost
// write, or unexpected 429. FAULTS_VENDORS=quickbooks,xero picks vendors; FAULTS_LATENCY_MS,
// FAULTS_HANG_RATE and FAULTS_TIMEOUT_MS change the latency, the share of hangs and the timeout.

import { and, eq, inArray, sql } from 'drizzle-orm';
import { prng } from '../../emulators/kit/prng.js';
import { customers, invoices, ledgerConnections, ledgerWrites } from '../../src/db/schema/index.js';
import { queueLedgerWrites } from '../../src/ledger-writes/queue.js';
import { openTestServer } from '../helpers/test-server.js';
import {
  type InjectedFaults,
  quickBooksUnderFaults,
  type VendorUnderFaults,
  xeroUnderFaults,
} from './faults-vendors.js';
import { emit, sleep } from './fresh-stats.js';

const short = process.env['RELIABILITY_SHORT'] === '1';
const vendors = (process.env['FAULTS_VENDORS'] ?? 'quickbooks,xero').split(',');
const plan = short
  ? {
      customers: 30,
      openInvoices: 80,
      paidInvoices: 20,
      faultSeconds: 20,
      storm: [6, 12],
      notes: 12,
      credits: 3,
    }
  : {
      customers: 300,
      openInvoices: 1_500,
      paidInvoices: 500,
      faultSeconds: 180,
      storm: [60, 120],
      notes: 120,
      credits: 12,
    };
/** Dunwell's VENDOR_HTTP_TIMEOUT_MS in this run: short, so that hangs time out often and quickly. */
const httpTimeoutMs = Number(process.env['FAULTS_TIMEOUT_MS'] ?? 1_000);
const faults: InjectedFaults = {
  errorRate: 0.2,
  latencyMs: Number(process.env['FAULTS_LATENCY_MS'] ?? 300),
  hangRate: Number(process.env['FAULTS_HANG_RATE'] ?? 0.15),
  // Held three times as long as the connector waits: the answer is never seen.
  hangMs: httpTimeoutMs * 3,
};
// How long settling may take before the run calls it stuck: a guard against work that never ends,
// not a speed goal (settle_s is printed). Short runs usually settle in 50–80 s; one short run on
// 7 December took over 150 s, write-backs still retrying through hangs, and
// lost or doubled nothing, so the short run now allows as long as the full one.
const settleLimitMs = 420_000;

interface QueuedWrite {
  kind: 'note' | 'credit';
  key: string;
  invoiceExternalId: string;
  text: string;
}

async function waitUntil(probe: () => Promise<boolean>, limitMs: number): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await sleep(250);
  }
  return false;
}

async function run(subject: VendorUnderFaults): Promise<Record<string, unknown>> {
  const started = Date.now();
  const random = prng(17);
  const { runtime } = subject.dunwell;
  const db = runtime.database.db;
  const pool = runtime.database.pool;
  const throttledInStorm = { count: 0 };
  let unexpected429 = 0;
  let injectedFaults = 0;
  let injectedHangs = 0;
  let hungWrites = 0;
  let calls = 0;
  const take = (inStorm: boolean) => {
    const c = subject.counters();
    subject.resetCounters();
    calls += c.total;
    injectedFaults += c.faults;
    injectedHangs += c.hangs;
    hungWrites += c.hungWrites;
    if (inStorm) throttledInStorm.count += c.throttled;
    else unexpected429 += c.throttled;
  };

  // Connecting is done without faults (a 5xx in Xero's callback exchange ends the consent with
  // "may have been used already or have expired"; see the report); the full sync starts under them.
  const connectionId = await subject.connect();
  subject.faults(faults);
  subject.resetCounters();
  const synced = await waitUntil(async () => {
    const [row] = await db.select().from(ledgerConnections).where(eq(ledgerConnections.id, connectionId));
    return row?.syncProgress?.phase === 'done';
  }, settleLimitMs);
  if (!synced) throw new Error(`${subject.vendor}: the full sync under faults never finished`);
  const fullSyncSeconds = (Date.now() - started) / 1000;
  const [connection] = await db
    .select()
    .from(ledgerConnections)
    .where(eq(ledgerConnections.id, connectionId));
  const orgId = connection?.orgId ?? '';
  subject.webhooksOn();

  // Changes in the ledger and write-backs from Dunwell, spread over the fault phase.
  const queued: QueuedWrite[] = [];
  const writesDue = plan.notes + plan.credits;
  const phaseMs = plan.faultSeconds * 1000;
  const phaseStart = Date.now();
  let mutations = 0;
  let refusedMutations = 0;
  let inStorm = false;
  let tick = 0;
  while (Date.now() - phaseStart < phaseMs) {
    const elapsed = (Date.now() - phaseStart) / 1000;
    const stormNow = elapsed >= (plan.storm[0] ?? 0) && elapsed < (plan.storm[1] ?? 0);
    if (stormNow !== inStorm) {
      take(inStorm);
      subject.storm(stormNow);
      inStorm = stormNow;
    }
    if (subject.mutate(random)) mutations += 1;
    else refusedMutations += 1;
    // Write-backs at an even pace over the phase.
    const writesByNow = Math.min(
      writesDue,
      Math.floor(((Date.now() - phaseStart) / phaseMs) * writesDue) + 1,
    );
    while (queued.length < writesByNow) {
      const kind: QueuedWrite['kind'] =
        queued.filter((w) => w.kind === 'credit').length < (plan.credits * queued.length) / writesDue + 0.5 &&
        queued.filter((w) => w.kind === 'credit').length < plan.credits
          ? 'credit'
          : 'note';
      const targets = await db
        .select({ id: invoices.id, externalId: invoices.externalId, currency: invoices.currency })
        .from(invoices)
        .where(
          and(eq(invoices.orgId, orgId), eq(invoices.status, 'open'), sql`${invoices.balanceMinor} > 200`),
        )
        .orderBy(sql`random()`)
        .limit(1);
      const target = targets[0];
      if (!target) break;
      const key = `faults:${subject.vendor}:${kind}:${queued.length}`;
      const text = `Dunwell reliability ${kind} ${queued.length} ${Date.now().toString(36)}`;
      await queueLedgerWrites(db, [
        kind === 'note'
          ? {
              orgId,
              connectionId,
              invoiceId: target.id,
              kind: 'note',
              idempotencyKey: key,
              payload: { text, invoiceIds: [target.id] },
            }
          : {
              orgId,
              connectionId,
              invoiceId: target.id,
              kind: 'credit',
              idempotencyKey: key,
              payload: {
                amountMinor: 100,
                currency: target.currency,
                target: subject.creditTarget(),
                memo: text,
              },
            },
      ]);
      const [row] = await db
        .select({ id: ledgerWrites.id })
        .from(ledgerWrites)
        .where(and(eq(ledgerWrites.orgId, orgId), eq(ledgerWrites.idempotencyKey, key)));
      if (row) await runtime.jobs.send('collections.write-ledger', { writeId: row.id });
      queued.push({ kind, key, invoiceExternalId: target.externalId, text });
    }
    tick += 1;
    await sleep(short ? 250 : 400);
  }
  take(inStorm);
  subject.storm(false);
  // Only the hangs go on while everything settles: timed-out calls are in the mix to the end.
  subject.faults({ errorRate: 0, latencyMs: 0, hangRate: faults.hangRate, hangMs: faults.hangMs });
  const hangsBeforeSettle = injectedHangs;

  // Settle: nothing waiting anywhere.
  const settleStart = Date.now();
  // What settling waits for: the queued jobs at its start, and how far ahead the latest may start.
  const waiting = await pool.query<{ name: string; state: string; count: number; starts_in_s: number }>(
    `select name, state, count(*)::int as count,
            round(max(extract(epoch from start_after - now())))::int as starts_in_s
       from pgboss.job where state in ('created', 'retry', 'active') group by name, state order by name`,
  );
  const settled = await waitUntil(async () => {
    const open = await pool.query<{ writes: number; inbox: number; jobs: number }>(
      `select (select count(*)::int from ledger_writes where status in ('pending', 'in_progress')) as writes,
              (select count(*)::int from webhook_inbox where status = 'received') as inbox,
              (select count(*)::int from pgboss.job
                where name in ('ledger.sync', 'webhooks.route', 'collections.write-ledger')
                  and state in ('created', 'retry', 'active')) as jobs`,
    );
    const row = open.rows[0];
    return row !== undefined && row.writes + row.inbox + row.jobs === 0;
  }, settleLimitMs);
  const settleSeconds = (Date.now() - settleStart) / 1000;
  take(false);
  subject.faults(null);

  // The mirror against the ledger.
  const problems: string[] = [];
  const mirrorInvoices = await db
    .select({ externalId: invoices.externalId, status: invoices.status, balance: invoices.balanceMinor })
    .from(invoices)
    .where(eq(invoices.connectionId, connectionId));
  const mirrored = new Map(mirrorInvoices.map((row) => [row.externalId, row]));
  const ledgerInvoices = subject.invoices();
  const inLedger = new Map(ledgerInvoices.map((row) => [row.externalId, row]));
  let openInLedger = 0;
  for (const invoice of ledgerInvoices) {
    const row = mirrored.get(invoice.externalId);
    if (invoice.open) {
      openInLedger += 1;
      if (!row)
        problems.push(
          `invoice ${invoice.externalId}: open (${invoice.balanceMinor}) in the ledger, not in the mirror`,
        );
      else if (row.status !== 'open' || row.balance !== invoice.balanceMinor)
        problems.push(
          `invoice ${invoice.externalId}: ledger open ${invoice.balanceMinor}, mirror ${row.status} ${row.balance}`,
        );
    } else if (row && row.status === 'open' && row.balance > 0) {
      problems.push(`invoice ${invoice.externalId}: closed in the ledger, mirror open ${row.balance}`);
    }
  }
  for (const row of mirrorInvoices)
    if (row.status === 'open' && row.balance > 0 && !inLedger.has(row.externalId))
      problems.push(`invoice ${row.externalId}: open in the mirror, not in the ledger`);
  const mirrorCustomers = await db
    .select({
      externalId: customers.externalId,
      name: customers.name,
      active: customers.active,
      deletedAt: customers.deletedAt,
    })
    .from(customers)
    .where(eq(customers.connectionId, connectionId));
  const mirroredCustomers = new Map(mirrorCustomers.map((row) => [row.externalId, row]));
  const ledgerCustomers = subject.customers();
  for (const customer of ledgerCustomers) {
    const row = mirroredCustomers.get(customer.externalId);
    if (!row) problems.push(`customer ${customer.externalId} (${customer.name}): not in the mirror`);
    else if (row.name !== customer.name || row.active !== customer.active)
      problems.push(
        `customer ${customer.externalId}: ledger "${customer.name}" active=${customer.active}, mirror "${row.name}" active=${row.active}`,
      );
  }

  // Each write exactly once.
  const rows = await db
    .select({
      key: ledgerWrites.idempotencyKey,
      status: ledgerWrites.status,
      result: ledgerWrites.result,
      lastError: ledgerWrites.lastError,
      attempts: ledgerWrites.attempts,
    })
    .from(ledgerWrites)
    .where(
      and(
        eq(ledgerWrites.orgId, orgId),
        inArray(
          ledgerWrites.idempotencyKey,
          queued.map((w) => w.key),
        ),
      ),
    );
  const byKey = new Map(rows.map((row) => [row.key, row]));
  let duplicates = 0;
  let missing = 0;
  let refused = 0;
  let skippedCredits = 0;
  let retriedWrites = 0;
  const writeProblems: string[] = [];
  for (const write of queued) {
    const row = byKey.get(write.key);
    if ((row?.attempts ?? 0) > 1) retriedWrites += 1;
    const landed =
      write.kind === 'note'
        ? subject.notesWith(write.invoiceExternalId, write.text)
        : subject.creditsWith(write.text);
    if (row?.status === 'failed') {
      refused += 1;
      writeProblems.push(`${write.key}: refused (${row.lastError})`);
      if (landed > 0) {
        duplicates += landed > 1 ? 1 : 0;
        writeProblems.push(`${write.key}: refused, yet landed ${landed}×`);
      }
      continue;
    }
    if (write.kind === 'credit' && row?.result && 'skipped' in row.result) {
      skippedCredits += 1;
      if (landed > 0) writeProblems.push(`${write.key}: skipped, yet landed ${landed}×`);
      continue;
    }
    if (landed > 1) {
      duplicates += 1;
      writeProblems.push(`${write.key}: ${write.kind} landed ${landed}× on ${write.invoiceExternalId}`);
    } else if (landed === 0) {
      missing += 1;
      writeProblems.push(`${write.key}: ${write.kind} not in the ledger (row ${row?.status ?? 'absent'})`);
    }
  }

  return {
    bench: 'faults',
    vendor: subject.vendor,
    mode: short ? 'short' : 'full',
    mismatches: problems.length,
    duplicate_writes: duplicates,
    missing_writes: missing,
    unexpected_429s: unexpected429,
    settled,
    injected: {
      error_rate: faults.errorRate,
      latency_ms: faults.latencyMs,
      hang_rate: faults.hangRate,
      hang_ms: faults.hangMs,
      connector_timeout_ms: httpTimeoutMs,
      storm_s: plan.storm,
    },
    injected_5xx: injectedFaults,
    injected_hangs_timed_out: injectedHangs,
    hangs_while_settling: injectedHangs - hangsBeforeSettle,
    hung_writes: hungWrites,
    storm_429s: throttledInStorm.count,
    vendor_calls: calls,
    open_invoices_ledger: openInLedger,
    customers_ledger: ledgerCustomers.length,
    ledger_changes: mutations,
    ledger_changes_refused_by_emulator: refusedMutations,
    writes: queued.length,
    notes: queued.filter((w) => w.kind === 'note').length,
    credits: queued.filter((w) => w.kind === 'credit').length,
    writes_refused: refused,
    credits_skipped_nothing_owed: skippedCredits,
    writes_retried: retriedWrites,
    full_sync_s: Math.round(fullSyncSeconds),
    settle_s: Math.round(settleSeconds),
    settle_waited_for: waiting.rows.map(
      (row) => `${row.name} ${row.state} ×${row.count} (starts in ${row.starts_in_s} s)`,
    ),
    seconds: Math.round((Date.now() - started) / 1000),
    ticks: tick,
    examples: [...problems.slice(0, 5), ...writeProblems.slice(0, 5)],
  };
}

const server = await openTestServer(process.env);
let failed = false;
try {
  // One vendor after the other: a runtime without a vendor's settings starts that vendor's demo
  // emulator, and xero-node's redirect to an emulator is process-wide, so two runtimes would clash.
  const lines: Record<string, unknown>[] = [];
  for (const vendor of vendors)
    lines.push(
      await (async () => {
        const size = {
          customers: plan.customers,
          openInvoices: plan.openInvoices,
          paidInvoices: plan.paidInvoices,
        };
        const subject =
          vendor === 'xero'
            ? await xeroUnderFaults(server.adminUrl, size, httpTimeoutMs)
            : await quickBooksUnderFaults(server.adminUrl, size, httpTimeoutMs);
        try {
          return await run(subject);
        } finally {
          await subject.stop();
        }
      })(),
    );
  for (const line of lines) {
    emit(line);
    if (
      line['mismatches'] !== 0 ||
      line['duplicate_writes'] !== 0 ||
      line['missing_writes'] !== 0 ||
      line['unexpected_429s'] !== 0 ||
      line['settled'] !== true
    )
      failed = true;
  }
} finally {
  await server.stop();
}
process.exit(failed ? 1 : 0);
