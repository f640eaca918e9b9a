// Freshness (#17): a payment made in the QuickBooks emulator → the pending reminder of that debtor can
// no longer go. Everything runs through the real path: the emulator posts its signed webhook ('auto'
// mode, one POST per change, as Intuit does) to a running Dunwell (web + worker in this process, real
// pg-boss), the route stores it in the inbox, `webhooks.route` asks for an incremental sync, the sync
// (CDC) mirrors the payment. What production does next: nothing. The sync job requests no evaluation
// and no delivery run, and an evaluation never cancels a pending message: a reminder is cancelled only
// by a delivery run, which re-reads every balance from the ledger itself just before sending
// (src/messaging/deliver-message.ts, refreshBalances → prepare → cancelNoLongerOwed). So each trial
// measures when the mirror shows the invoice paid, and then proves the "would cancel" half by making
// the message due and asking the real job queue for a delivery run, timing its cancellation.
//
// RELIABILITY_SHORT=1: 10 trials (CI), otherwise 100. Prints JSON lines; exits 1 if a reminder went out.
import { and, eq, sql } from 'drizzle-orm';
import { queueReminders } from '../../bench/support/queue-reminders.js';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import { evaluateOrganisation } from '../../src/collections/evaluate.js';
import { customers, invoices, outboundMessages } from '../../src/db/schema/index.js';
import { startQuickBooksHarness } from '../helpers/quickbooks-harness.js';
import { openTestServer } from '../helpers/test-server.js';
import { emit, percentile, sleep, summarise } from './fresh-stats.js';

const short = process.env['RELIABILITY_SHORT'] === '1';
const trials = Number(process.env['FRESH_TRIALS'] ?? (short ? 10 : 100));
/** Pause between trials, so one trial's jobs never overlap the next one's. */
const gapMs = Number(process.env['FRESH_GAP_MS'] ?? 200);
const pollMs = 5;
const trialTimeoutMs = 60_000;

const day = 86_400_000;
const isoDay = (offset: number) => new Date(Date.now() + offset * day).toISOString().slice(0, 10);

const seed: CompanySeed = {
  name: 'Freshness Ltd',
  homeCurrency: 'GBP',
  country: 'GB',
  customers: Array.from({ length: trials }, (_, n) => ({
    id: String(n + 1),
    displayName: `Debtor ${n + 1}`,
    email: `ap${n + 1}@debtor.example`,
  })),
  invoices: Array.from({ length: trials }, (_, n) => ({
    id: String(1_000 + n),
    docNumber: `F-${1_000 + n}`,
    customerId: String(n + 1),
    total: 10_000 + n,
    status: 'overdue' as const,
    dueDate: isoDay(-10),
  })),
};

/** The next weekday at 10:30 UTC at least a day ahead: inside the GB sending window, in the future. */
function nextWindow(): Date {
  const at = new Date(Date.now() + day);
  at.setUTCHours(10, 30, 0, 0);
  while (at.getUTCDay() === 0 || at.getUTCDay() === 6) at.setTime(at.getTime() + day);
  return at;
}

const started = Date.now();
const server = await openTestServer(process.env);
const qbo = await startQuickBooksHarness(server.adminUrl, seed);
let exitCode = 0;
try {
  const { orgId } = await qbo.connectAndSync();
  const db = qbo.runtime.database.db;
  // The reminders, planned by the real evaluation for a moment in the sending window ahead of now:
  // pending, not yet due, so nothing delivers them before the payment.
  const planAt = nextWindow();
  const evaluated = await evaluateOrganisation(db, orgId, { now: planAt });
  let plannedBy = 'evaluation';
  if (evaluated.emails < trials) {
    plannedBy = 'evaluation+queued';
    await queueReminders(qbo.runtime.database.pool, orgId, { sendAfter: planAt });
  }
  qbo.emulator.setWebhookTarget({
    url: `${qbo.runtime.url}/webhooks/quickbooks`,
    format: 'cloudevents',
    mode: 'auto',
  });

  const rows = await db
    .select({ customerId: customers.id, externalId: customers.externalId, invoiceId: invoices.id })
    .from(customers)
    .innerJoin(invoices, eq(invoices.customerId, customers.id))
    .where(eq(customers.orgId, orgId));
  const byExternal = new Map(rows.map((row) => [row.externalId, row]));

  const mirror: number[] = [];
  const stored: number[] = [];
  const routed: number[] = [];
  const cancelAfterMirror: number[] = [];
  const cancelTotal: number[] = [];
  let sent = 0;
  let notPending = 0;

  for (let n = 0; n < trials; n++) {
    const debtor = byExternal.get(String(n + 1));
    if (!debtor) throw new Error(`debtor ${n + 1} is not in the mirror`);
    const [message] = await db
      .select({ id: outboundMessages.id, status: outboundMessages.status })
      .from(outboundMessages)
      .where(
        and(eq(outboundMessages.customerId, debtor.customerId), eq(outboundMessages.purpose, 'reminder')),
      );
    if (message?.status !== 'pending') {
      notPending += 1;
      continue;
    }
    const t0 = Date.now();
    qbo.emulator
      .changes(qbo.realmId)
      .receivePayment({ customerId: String(n + 1), amount: 10_000 + n, invoiceIds: [String(1_000 + n)] });
    // 1. The mirror shows the invoice paid.
    let mirroredAt = 0;
    while (!mirroredAt) {
      const [row] = await db
        .select({ status: invoices.status, balance: invoices.balanceMinor })
        .from(invoices)
        .where(eq(invoices.id, debtor.invoiceId));
      if (row && (row.status !== 'open' || row.balance <= 0)) mirroredAt = Date.now();
      else if (Date.now() - t0 > trialTimeoutMs)
        throw new Error(`trial ${n}: the mirror never saw the payment`);
      else await sleep(pollMs);
    }
    mirror.push((mirroredAt - t0) / 1000);
    // Where the time went: the inbox's own timestamps (PostgreSQL's clock, the same machine's).
    const inbox = await qbo.runtime.database.pool.query<{ received: Date | null; processed: Date | null }>(
      `select min(received_at) as received, min(processed_at) as processed
         from webhook_inbox where received_at >= to_timestamp($1::double precision / 1000) - interval '5 ms'`,
      [t0],
    );
    const { received, processed } = inbox.rows[0] ?? { received: null, processed: null };
    if (received) stored.push((received.getTime() - t0) / 1000);
    if (processed) routed.push((processed.getTime() - t0) / 1000);
    // 2. The message can no longer go: made due now, a delivery run from the job queue cancels it.
    const cancelFrom = Date.now();
    await db
      .update(outboundMessages)
      .set({ sendAfter: sql`now()` })
      .where(eq(outboundMessages.id, message.id));
    await qbo.runtime.jobs.send('collections.deliver-due', { orgId });
    for (;;) {
      const [row] = await db
        .select({ status: outboundMessages.status })
        .from(outboundMessages)
        .where(eq(outboundMessages.id, message.id));
      if (row?.status === 'cancelled') {
        cancelAfterMirror.push((Date.now() - cancelFrom) / 1000);
        cancelTotal.push((Date.now() - t0) / 1000);
        break;
      }
      // "sending" is the claim a delivery makes before it looks at the balances: not an outcome.
      if (row && row.status !== 'pending' && row.status !== 'sending') {
        sent += 1;
        emit({ bench: 'freshness-violation', trial: n, status: row.status });
        break;
      }
      if (Date.now() - cancelFrom > trialTimeoutMs)
        throw new Error(`trial ${n}: the reminder was never cancelled`);
      await sleep(pollMs);
    }
    await sleep(gapMs);
  }

  const measured = mirror.length;
  emit({
    bench: 'freshness',
    vendor: 'quickbooks',
    mode: short ? 'short' : 'full',
    trials: measured,
    p50_s: percentile(mirror, 0.5),
    p99_s: percentile(mirror, 0.99),
    max_s: Math.max(...mirror),
    goal_p99_s: 10,
    met: percentile(mirror, 0.99) < 10,
    reminders_sent_after_payment: sent,
    reminders_not_pending_at_start: notPending,
    planned_by: plannedBy,
    definition:
      'seconds from the payment recorded in the QuickBooks emulator (webhooks in auto mode) until the mirror shows the invoice paid (status not open or balance 0), through webhook → inbox → webhooks.route → incremental sync (CDC). From that moment every reader of the mirror and every delivery run agrees nothing is owed; the reminder itself can no longer go from the payment on, because a delivery run re-reads balances from the ledger before sending (checked: the message is made due and a deliver-due job is queued; it must end cancelled, never sent). Production requests no evaluation or delivery after a sync, and evaluation never cancels a pending message: only a delivery run does.',
  });
  emit({
    bench: 'freshness-breakdown',
    webhook_stored_s: summarise(stored),
    webhook_routed_s: summarise(routed),
    mirror_paid_s: summarise(mirror),
    delivery_run_cancel_after_mirror_s: summarise(cancelAfterMirror),
    payment_to_cancelled_s: summarise(cancelTotal),
    seconds: Math.round((Date.now() - started) / 1000),
  });
  if (sent > 0 || notPending > 0 || measured < trials) exitCode = 1;
} finally {
  await qbo.stop();
  await server.stop();
}
process.exit(exitCode);
