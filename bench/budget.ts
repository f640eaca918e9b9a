// npm run bench:budget (issue #16) — the vendor API calls of a typical company over 30 simulated
// days, on QuickBooks and on Xero, with webhooks working and with every webhook lost.
//
// A typical company: 120 debtors, 300 open invoices, a year of paid history; each day 15 payments
// and 10 new invoices made in the ledger (the emulator) between 09:00 and 17:00 in the
// organisation's zone. Dunwell runs as production runs it, on a simulated clock: the real web app
// takes the emulator's signed webhooks (verify → inbox → a `webhooks.route` request), and the real
// job handlers run inline at the instants production's queue would run them — the cron schedules of
// src/jobs/registry.ts at the minutes they name, and every job a job or a route requests (routing,
// syncs, evaluations, delivery runs, write-backs, summaries) at once, deduplicated and retried as
// pg-boss would. Reminders go through the local transport; a debtor who got one opens "Pay now" in
// the portal (the real route) before paying, half the time, which reads the payment link.
//
// Prints one JSON line per vendor and webhook mode: API reads and writes per day (days 2–30),
// reads by cause, the full sync apart, and what that means for Intuit's free-tier 500,000 reads a
// month per app or Xero's 5,000 (1,000 on Starter) calls a day per organisation.
// BENCH_DAYS (default 30) shortens the run; BENCH_ONLY=quickbooks|xero runs one vendor;
// BENCH_PAY_NOW_SHARE (default 0.5) and BENCH_WEBHOOK_SYNC_DELAY_S (a what-if, default 0) vary the
// assumptions.

// First: the simulated clock replaces Date before any other module is evaluated.
import { startOfLocalDay } from '../src/domain/local-time.js';
import './support/budget-clock.js';

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createConnectors } from '../connectors/factory.js';
import type { Vendor } from '../connectors/ledger.js';
import { processRateLimiter } from '../connectors/shared/rate-limit.js';
import { prng } from '../emulators/kit/prng.js';
import { completeConnect } from '../src/connections/connect.js';
import { parseKeyring } from '../src/crypto/keyring.js';
import { createTokenCipher } from '../src/crypto/token-cipher.js';
import { connectDatabase } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import { organisations } from '../src/db/schema/index.js';
import { portalLinks } from '../src/domain/portal-links.js';
import type { JobDeps } from '../src/jobs/deps.js';
import type { LedgerContext } from '../src/ledger/context.js';
import { createLogger } from '../src/logger.js';
import { createLocalTransport } from '../src/messaging/transport/local.js';
import { weeklySummaryLinks } from '../src/reports/summary-links.js';
import { buildApp } from '../src/web/app.js';
import { createScratchDatabase } from '../test/helpers/databases.js';
import { openTestServer } from '../test/helpers/test-server.js';
import { simClock } from './support/budget-clock.js';
import { cronMatches, cronSchedules, inlineJobs } from './support/budget-jobs.js';
import { type CompanyShape, type OpenInvoice, startBudgetLedger } from './support/budget-ledger.js';
import { Meter } from './support/budget-meter.js';

const dayMs = 86_400_000;
const minuteMs = 60_000;
const days = Number(process.env['BENCH_DAYS'] ?? 30);
const shape: CompanyShape = { debtors: 120, openInvoices: 300, paidInvoices: 600 };
const paymentsPerDay = 15;
const invoicesPerDay = 10;
/** Of the payments by a debtor who was sent a reminder, the share made through the portal's "Pay now". */
const payNowShare = Number(process.env['BENCH_PAY_NOW_SHARE'] ?? 0.5);
/** What-if (not production): webhook-triggered syncs wait this long, absorbing the webhooks meanwhile. */
const webhookSyncDelaySeconds = Number(process.env['BENCH_WEBHOOK_SYNC_DELAY_S'] ?? 0);
const quickBooksReadsPerMonth = 500_000;
const xeroDayLimit = 5_000;
const xeroStarterDayLimit = 1_000;
const zones: Record<Vendor, string> = { quickbooks: 'America/New_York', xero: 'Pacific/Auckland' };
const publicUrl = 'https://dunwell.example';
const secret = randomBytes(32).toString('base64url');

// Pacing is Dunwell's own (under the vendors' per-minute limits) and changes when calls go, not how
// many: the simulated clock does not wait for it.
const paced = processRateLimiter.schedule.bind(processRateLimiter);
processRateLimiter.schedule = (connectionId, limits, task) =>
  paced(`budget:${connectionId}`, { ...limits, perMinute: 1_000_000 }, task);

for (const schedule of cronSchedules())
  if (schedule.timeZone !== 'UTC') throw new Error(`${schedule.name}: only UTC schedules are simulated`);

/** The UTC instant of a wall-clock time in a zone (minutes after its local midnight). */
function zonedMs(date: string, minutes: number, timeZone: string): number {
  return startOfLocalDay(date, timeZone).getTime() + minutes * minuteMs;
}

type Event =
  | { at: number; kind: 'cron'; name: string }
  | { at: number; kind: 'payment' }
  | { at: number; kind: 'invoice' };

function timeline(startMs: number, timeZone: string, random: () => number): Event[] {
  const endMs = startMs + days * dayMs;
  const events: Event[] = [];
  const schedules = cronSchedules();
  for (let at = startMs; at < endMs; at += minuteMs)
    for (const schedule of schedules)
      if (cronMatches(schedule.cron, at)) events.push({ at, kind: 'cron', name: schedule.name });
  // The business's days in its own zone, from the day before the first UTC day to cover every hour.
  for (let day = -1; day <= days; day += 1) {
    const date = new Date(startMs + day * dayMs).toISOString().slice(0, 10);
    const working = (kind: 'payment' | 'invoice') =>
      events.push({ at: zonedMs(date, 9 * 60 + Math.floor(random() * 8 * 60), timeZone) + 17_000, kind });
    for (let n = 0; n < paymentsPerDay; n += 1) working('payment');
    for (let n = 0; n < invoicesPerDay; n += 1) working('invoice');
  }
  return events
    .filter((event) => event.at >= startMs && event.at < endMs)
    .sort((a, b) => a.at - b.at || (a.kind === 'cron' ? -1 : 1));
}

interface Outcome {
  line: Record<string, unknown>;
}

async function simulate(vendor: Vendor, webhooks: boolean, adminUrl: string): Promise<Outcome> {
  const started = performance.now();
  // The first day starts at the next UTC midnight of the real clock, so the simulation runs ahead of it.
  const startMs = Math.ceil((simClock.realNow() + 1) / dayMs) * dayMs;
  simClock.reset(startMs);
  const random = prng(vendor === 'quickbooks' ? 16 : 17);
  const ledger = await startBudgetLedger(vendor, shape, startMs, 16);
  const database = await createScratchDatabase(adminUrl, `budget_${vendor}_${webhooks ? 'wh' : 'nowh'}`);
  const logger = createLogger('silent');
  const meter = new Meter(() => ledger.calls(), startMs);
  try {
    await runMigrations(database.url);
    // (synchronous_commit off: commits need not wait for the disk, which only makes the run faster.)
    // PostgreSQL's now() on the simulated clock too (the mirror stamps closings and checks with it):
    // a now() of our own, found first on the search path.
    const setup = connectDatabase(database.url, { poolMax: 1, logger });
    await setup.pool.query(`
      create schema bench_clock;
      create table bench_clock.shift (ms double precision not null);
      insert into bench_clock.shift values (0);
      create function bench_clock.now() returns timestamptz language sql stable as
        $$ select pg_catalog.now() + make_interval(secs => (select ms from bench_clock.shift) / 1000.0) $$;
      alter database "${database.name}" set search_path = bench_clock, pg_catalog, public;
      alter database "${database.name}" set synchronous_commit = off;`);
    await setup.pool.end();

    const handle = connectDatabase(database.url, { poolMax: 10, logger });
    let storedShift = 0;
    const at = async (ms: number) => {
      simClock.set(ms);
      const shift = simClock.shiftMs();
      if (Math.abs(shift - storedShift) > 1_000) {
        await handle.pool.query('update bench_clock.shift set ms = $1', [shift]);
        storedShift = shift;
      }
    };
    await at(startMs);

    const keyring = parseKeyring(`budget:${randomBytes(32).toString('base64')}`);
    if (!keyring.ok) throw new Error('keyring');
    const ctx: LedgerContext = {
      db: handle.db,
      pool: handle.pool,
      cipher: createTokenCipher(keyring.keyring),
      connectors: meter.wrap(createConnectors(ledger.settings), () => startMs + dayMs),
      logger,
    };
    const links = portalLinks(secret, publicUrl);
    const transport = createLocalTransport({ keep: 100_000 });
    let deps: JobDeps | null = null;
    const jobs = inlineJobs({
      deps: () => {
        if (!deps) throw new Error('no deps');
        return deps;
      },
      logger,
      around: meter.around,
      webhookSyncDelaySeconds,
    });
    deps = {
      db: handle.db,
      ledger: ctx,
      requests: jobs.requests,
      collections: { links, transport, from: { email: 'reminders@dunwell.example', name: 'Typical' } },
      weeklySummary: { links: weeklySummaryLinks(secret, publicUrl) },
    };
    const app = await buildApp({
      logger,
      readinessChecks: [],
      services: {
        ledger: ctx,
        requests: jobs.requests,
        publicUrl,
        sessionSecret: secret,
        portal: links,
        cookies: { secure: false },
        sendGridWebhookPublicKey: undefined,
        portalRequestsPerMinute: 100_000,
      },
    });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      // Connect (the real OAuth redirects and completeConnect), then the full sync it queues.
      const connector = ctx.connectors[vendor];
      if (!connector) throw new Error(`${vendor} not configured`);
      const redirectUri = `${publicUrl}/connect/${vendor}/callback`;
      const consent = connector.consentUrl({ state: 'budget', redirectUri });
      const authorized = await fetch(`${consent}${ledger.consentSuffix}`, { redirect: 'manual' });
      jobs.ambient('connect');
      const connected = await meter.attribute('connect', () =>
        completeConnect(
          ctx,
          jobs.requests,
          vendor,
          { callbackUrl: authorized.headers.get('location') ?? '', redirectUri },
          async () => 'budget-user',
        ),
      );
      if (connected.kind !== 'connected') throw new Error('expected one company');
      // What the owner sets on the go-live page: their zone, where notices and the summary go; then
      // Go live (a new organisation starts in preview, where nothing is sent).
      await handle.db.update(organisations).set({
        timeZone: zones[vendor],
        settings: { notifyEmail: 'owner@typical.example' },
        sending: 'live',
      });
      await jobs.drain();
      const [organisation] = await handle.db.select({ id: organisations.id }).from(organisations);
      if (!organisation) throw new Error('no organisation');
      ledger.setWebhookTarget(webhooks ? `${address}/webhooks/${vendor}` : null);

      const counts = { payments: 0, invoices: 0, payNow: 0, webhookPosts: 0, refused: 0 };
      const payNow = async (invoice: OpenInvoice) => {
        const found = await handle.pool.query<{ invoice_id: string; customer_id: string; reminded: boolean }>(
          `select i.id as invoice_id, i.customer_id,
                  exists (select 1 from outbound_messages m where m.customer_id = i.customer_id
                            and m.purpose = 'reminder' and m.status = 'sent') as reminded
             from invoices i where i.org_id = $1 and i.external_id = $2`,
          [organisation.id, invoice.id],
        );
        const row = found.rows[0];
        if (!row?.reminded || random() >= payNowShare) return;
        const url = links.urlFor(
          { orgId: organisation.id, customerId: row.customer_id },
          new Date(Date.now() + 30 * dayMs),
        );
        const page = new URL(`${url}/pay/${row.invoice_id}`);
        jobs.ambient('portal');
        const response = await meter.attribute('payment_links', () =>
          app.inject({ method: 'GET', url: page.pathname }),
        );
        if (response.statusCode !== 303) throw new Error(`Pay now answered ${response.statusCode}`);
        counts.payNow += 1;
      };
      const afterChange = async () => {
        if (!webhooks) return;
        jobs.ambient('webhook');
        const statuses = await ledger.deliverWebhooks();
        counts.webhookPosts += statuses.length;
        counts.refused += statuses.filter((status) => status !== 200).length;
      };

      for (const event of timeline(startMs, zones[vendor], random)) {
        await at(event.at);
        await jobs.drain(); // retries and delayed jobs that came due meanwhile
        const today = new Date(event.at).toISOString().slice(0, 10);
        if (event.kind === 'cron') {
          jobs.fire(event.name);
        } else if (event.kind === 'invoice') {
          const customers = ledger.customerIds();
          const customer = customers[Math.floor(random() ** 1.6 * customers.length)] as string;
          ledger.createInvoice({
            customerId: customer,
            amountMinor: (50 + Math.floor(random() * 4_950)) * 100,
            issueDate: today,
            dueDate: new Date(event.at + 30 * dayMs).toISOString().slice(0, 10),
          });
          counts.invoices += 1;
          await afterChange();
        } else {
          const open = ledger.openInvoices();
          const soon = new Date(event.at + 7 * dayMs).toISOString().slice(0, 10);
          const due = open.filter((invoice) => invoice.dueDate <= soon);
          const pool = due.length > 0 && random() < 0.8 ? due : open;
          const invoice = pool[Math.floor(random() * pool.length)];
          if (invoice) {
            await payNow(invoice);
            const partial = random() < 0.25 && invoice.balanceMinor >= 200;
            const amount = partial
              ? Math.round(invoice.balanceMinor * (0.3 + random() * 0.4))
              : invoice.balanceMinor;
            ledger.pay(invoice, amount, today);
            counts.payments += 1;
            await afterChange();
          }
        }
        await jobs.drain();
      }
      await at(startMs + days * dayMs);
      await jobs.drain();

      // ------------------------------------------------------------------ the figures
      const from = Math.min(2, days);
      const measured = meter.total(from, days);
      const dayCount = days - from + 1;
      const perDay = (value: number) => Number((value / dayCount).toFixed(2));
      const reads = (cause: string) => measured.byCause[cause]?.reads ?? 0;
      const totalReads = measured.perDay.reduce((sum, day) => sum + day.reads, 0);
      const totalWrites = measured.perDay.reduce((sum, day) => sum + day.writes, 0);
      const readsPerDay = perDay(totalReads);
      const writesPerDay = perDay(totalWrites);
      const named = ['sync', 'reconcile', 'recheck_before_send', 'payment_links'];
      const otherReads = totalReads - named.reduce((sum, cause) => sum + reads(cause), 0);
      const firstDays = meter.total(0, 1);
      const sent = await handle.pool.query<{ purpose: string; count: number }>(
        `select purpose, count(*)::int as count from outbound_messages where status = 'sent' group by purpose`,
      );
      const openAtEnd = ledger.openInvoices().length;
      const stats = jobs.stats();
      const unattributed = meter.unattributed();
      const callsPerDay = (totalReads + totalWrites) / dayCount;
      const peakCalls = Math.max(...measured.perDay.map((day) => day.reads + day.writes));
      const line: Record<string, unknown> = {
        bench: 'budget',
        vendor,
        webhooks,
        reads_per_day: readsPerDay,
        writes_per_day: writesPerDay,
        breakdown: {
          sync: perDay(reads('sync')),
          reconcile: perDay(reads('reconcile')),
          recheck_before_send: perDay(reads('recheck_before_send')),
          payment_links: perDay(reads('payment_links')),
          other: perDay(otherReads),
        },
        full_sync_reads: firstDays.byCause['full_sync']?.reads ?? 0,
        connect_reads: firstDays.byCause['connect']?.reads ?? 0,
        day1_reads:
          (meter.total(1, 1).perDay[0]?.reads ?? 0) -
          (firstDays.byCause['full_sync']?.reads ?? 0) -
          (firstDays.byCause['connect']?.reads ?? 0),
        ...(vendor === 'quickbooks'
          ? { companies_per_app: Math.floor(quickBooksReadsPerMonth / (readsPerDay * 30)) }
          : {
              calls_per_day: Number(callsPerDay.toFixed(2)),
              peak_day_calls: peakCalls,
              share_of_day_limit: Number((callsPerDay / xeroDayLimit).toFixed(4)),
              share_of_starter_day_limit: Number((callsPerDay / xeroStarterDayLimit).toFixed(4)),
            }),
        detail: {
          days,
          ...(payNowShare !== 0.5 ? { what_if_pay_now_share: payNowShare } : {}),
          ...(webhookSyncDelaySeconds > 0 ? { what_if_webhook_sync_delay_s: webhookSyncDelaySeconds } : {}),
          reads_by_method: meter.methodReads(),
          reads_per_run: meter.readsPerRun(),
          writes_by_cause: Object.fromEntries(
            Object.entries(measured.byCause).map(([cause, tally]) => [cause, perDay(tally.writes)]),
          ),
          reads_per_day_min_max: [
            Math.min(...measured.perDay.map((day) => day.reads)),
            Math.max(...measured.perDay.map((day) => day.reads)),
          ],
          sent: Object.fromEntries(sent.rows.map((row) => [row.purpose, row.count])),
          payments: counts.payments,
          new_invoices: counts.invoices,
          pay_now_clicks: counts.payNow,
          webhook_posts: counts.webhookPosts,
          webhooks_refused: counts.refused,
          open_invoices_at_end: openAtEnd,
          job_runs: stats.runs,
          job_ms: stats.ms,
          job_failures: stats.failures.length,
          first_failures: stats.failures.slice(0, 3),
          unattributed,
          throttled: ledger.calls().throttled,
          // Token refreshes (and Xero's /connections): not accounting API calls, not metered as reads.
          auth_calls: ledger.calls().auth,
        },
        seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
      };
      return { line };
    } finally {
      await app.close();
      await handle.pool.end();
    }
  } finally {
    await database.drop();
    await ledger.close();
  }
}

/** Each vendor and webhook mode in a process of its own (the simulated clock is process-wide), in parallel. */
async function inChildren(adminUrl: string, scenarios: Array<{ vendor: Vendor; webhooks: boolean }>) {
  const parallel = Math.max(1, Number(process.env['BENCH_PARALLEL'] ?? 4));
  const lines: string[] = new Array(scenarios.length).fill('');
  let next = 0;
  const worker = async () => {
    for (;;) {
      const index = next++;
      const scenario = scenarios[index];
      if (!scenario) return;
      const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
        env: {
          ...process.env,
          TEST_DATABASE_URL: adminUrl,
          BENCH_SCENARIO: `${scenario.vendor}:${scenario.webhooks}`,
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      if (code !== 0)
        throw new Error(`${scenario.vendor} (webhooks ${scenario.webhooks}) exited with ${code}`);
      lines[index] = output.trim();
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return lines;
}

const only = process.env['BENCH_ONLY'];
const scenario = process.env['BENCH_SCENARIO'];
if (scenario) {
  const [vendor, webhooks] = scenario.split(':');
  if (vendor !== 'quickbooks' && vendor !== 'xero') throw new Error(`BENCH_SCENARIO=${scenario}`);
  const adminUrl = process.env['TEST_DATABASE_URL'];
  if (!adminUrl) throw new Error('BENCH_SCENARIO needs TEST_DATABASE_URL');
  const { line } = await simulate(vendor, webhooks === 'true', adminUrl);
  console.log(JSON.stringify(line));
} else {
  const server = await openTestServer(process.env);
  const benchStarted = performance.now();
  try {
    const scenarios = (['quickbooks', 'xero'] as const)
      .filter((vendor) => !only || only === vendor)
      .flatMap((vendor) => [true, false].map((webhooks) => ({ vendor, webhooks })));
    for (const line of await inChildren(server.adminUrl, scenarios)) console.log(line);
    console.error(`bench:budget took ${((performance.now() - benchStarted) / 1000).toFixed(0)} s`);
  } finally {
    await server.stop();
  }
}
