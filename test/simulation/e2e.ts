/**
 * The end-to-end tier of the journey simulator: a generated company (generate.ts) walked through 180
 * days on the real system. The ledger is a QuickBooks emulator company or a Xero emulator
 * organisation (e2e-ledger.ts), reached by the real client libraries over HTTP; Dunwell keeps its
 * mirror in PostgreSQL, syncs from webhooks (verified and stored by its HTTP routes, routed to an
 * incremental sync), plans with `evaluateOrganisation` and sends with the delivery run `deliverDue`
 * through the local transport. Each day, at one or two random hours: the events due happen (in the
 * ledger, or through Dunwell's arrangement services), webhooks are delivered and synced, the
 * organisation is evaluated at that instant, the events of the next 14 minutes happen in the ledger
 * (payments racing the delivery, with no webhook delivered before it), and the delivery run goes at
 * :15. After every step what was actually sent (the transport's record, joined to its
 * outbound_messages row, and the invoices its text lists) and the ledger's truth (the emulator's
 * balances) go to the same `Invariants` the pure tier uses, through a world of ours (`LedgerWorld`).
 *
 * The subset of the generated events mapped here: payments (full and partial), new invoices, voids,
 * disputes and their resolution (src/arrangements/record.ts), promises (kept: paid in full on the
 * date), opt-outs (src/messaging/opt-out.ts), and bounces of addresses that were sent to (the
 * SendGrid event through src/messaging/record-delivery-events.ts). Left out: credits (credit notes
 * and unapplied payments), payment plans, settlements and flag decisions (no approved flag holds an
 * invoice), earlier payment history (segments), debtors' countries, contacts past the first (QuickBooks
 * keeps one address per customer), addresses bounced at the start, and currencies other than the
 * organisation's. Companies are cut to 1–3 debtors, 3 invoices and 6 events each.
 */

import { and, eq, inArray } from 'drizzle-orm';
import fc from 'fast-check';
import { prng as random } from '../../emulators/kit/prng.js';
import { openDispute, resolveDispute } from '../../src/arrangements/disputes.js';
import { makePromise } from '../../src/arrangements/promises.js';
import { evaluateOrganisation } from '../../src/collections/evaluate.js';
import type { PlannedAction } from '../../src/collections/plan.js';
import { savePolicy } from '../../src/collections/policy-versions.js';
import type { Database } from '../../src/db/client.js';
import {
  collectionFlags,
  collectionSteps,
  collectionTasks,
  customers,
  disputes as disputeRows,
  invoices as invoiceRows,
  organisations,
  outboundMessages,
} from '../../src/db/schema/index.js';
import { addDays, dayNumber } from '../../src/domain/local-time.js';
import { portalLinks } from '../../src/domain/portal-links.js';
import type { LedgerContext } from '../../src/ledger/context.js';
import { deliverDue } from '../../src/messaging/delivery/delivery-run.js';
import type { DeliveryDeps } from '../../src/messaging/delivery/deps.js';
import { optOutCustomer } from '../../src/messaging/opt-out.js';
import { recordDeliveryEvents } from '../../src/messaging/record-delivery-events.js';
import { createLocalTransport, type LocalTransport } from '../../src/messaging/transport/local.js';
import type { OutgoingEmail } from '../../src/messaging/transport/types.js';
import { markLetterPosted, recordCallOutcome } from '../../src/review/contact-outcomes.js';
import { routeWebhookEvents } from '../../src/sync/route-webhooks.js';
import { syncConnection } from '../../src/sync/sync-connection.js';
import { type SeedInvoice, type SimLedger, startSimLedger, type Vendor } from './e2e-ledger.js';
import {
  type CompanySpec,
  companyArb,
  type EventSpec,
  isoDay,
  paymentAmount,
  policyOf,
  simDays,
} from './generate.js';
import { Invariants, type Violation } from './invariants.js';
import type { TierResult } from './run.js';
import type { Debtor, Effect, Invoice, World } from './world.js';
import { momentAt } from './world.js';

const hourMs = 3_600_000;
const dayMs = 86_400_000;

/** A deliberately broken step, to show the checks catch it. */
export type Breakage =
  /** The first reminder sent is put back in the outbox (its sent_at forged away) and delivered again a day later. */
  | 'resend'
  /**
   * Delivery without the re-read: the ledger's answer is replaced by what the mirror already had, and
   * every queued reminder is raced by a payment whose webhook comes only after the run.
   */
  | 'stale-reread';

export interface E2EOptions {
  adminUrl: string;
  vendor: Vendor;
  /** Days walked (default 180). */
  days?: number;
  /** The seed of the random hours. */
  seed?: number;
  breakage?: Breakage;
  /** Stops at the first step after which a violation was found. */
  stopAtViolation?: boolean;
}

export interface E2EResult {
  vendor: Vendor;
  steps: number;
  skipped: number;
  evaluations: number;
  contacts: number;
  checks: number;
  events: number;
  cancelled: number;
  /** Payments made between planning and sending. */
  races: number;
  /** What happened, one line each (events, racing payments, messages sent), for reproducing a failure. */
  trace: string[];
  violations: Violation[];
  ms: number;
}

/** The company as this tier takes it: small, single-currency, and only the events it maps. */
export function e2eCompany(company: CompanySpec): CompanySpec {
  const mapped = new Set<EventSpec['kind']>([
    'pay',
    'void',
    'dispute',
    'resolve',
    'promise',
    'optOut',
    'bounce',
  ]);
  return {
    ...company,
    orgCountry: company.orgCountry,
    debtors: company.debtors.slice(0, 3).map((debtor) => {
      const invoices = debtor.invoices.slice(0, 3).map((invoice) => ({
        ...invoice,
        currency: company.orgCurrency,
        billTo: invoice.billTo === null ? null : 0,
      }));
      return {
        ...debtor,
        // Texts are not mapped to this tier (its ledger run has no numbers on record).
        textConsent: false,
        country: null,
        currencies: [company.orgCurrency],
        contacts: debtor.contacts.slice(0, 1).map((contact) => ({ ...contact, bouncedAtStart: false })),
        invoices,
        pastLateness: [],
        creditsAtStart: [],
        events: debtor.events
          .filter((timed) => mapped.has(timed.event.kind))
          .slice(0, 6)
          .map((timed) =>
            'invoice' in timed.event
              ? { ...timed, event: { ...timed.event, invoice: timed.event.invoice % invoices.length } }
              : timed,
          ),
      };
    }),
  };
}

interface Pending {
  at: number;
  debtor: number;
  run: () => Promise<void>;
}

/**
 * The world the invariants read, built from the ledger's truth (the emulator's balances) and our
 * own record of what the debtors did (disputes, promises), never from Dunwell's tables; only what
 * Dunwell did (emails, flags, tasks) is read from them. Shaped as `World` where `Invariants` looks.
 */
class LedgerWorld {
  readonly policy;
  readonly orgTimeZone: string;
  readonly orgCountry: string | null;
  readonly orgCurrency: string;
  readonly debtors: Debtor[];
  constructor(readonly company: CompanySpec) {
    this.policy = policyOf(company);
    this.orgTimeZone = company.orgTimeZone;
    this.orgCountry = company.orgCountry;
    this.orgCurrency = company.orgCurrency;
    const startMs = Date.parse(`${company.start}T00:00:00Z`);
    this.debtors = company.debtors.map((spec, index) => {
      const id = `d${index}`;
      return {
        index,
        id,
        spec,
        timeZone: spec.timeZone,
        country: null,
        invoices: spec.invoices.map(
          (invoice, i): Invoice => ({
            id: `S${index}-${i}`,
            number: `S${index}-${i}`,
            currency: invoice.currency,
            totalMinor: invoice.totalMinor,
            balanceMinor: invoice.totalMinor - invoice.paidAtStartMinor,
            dueDate: isoDay(startMs + invoice.dueDay * dayMs),
            status: 'open',
            arrivesHour: invoice.arrivesHour,
            arrived: invoice.arrivesHour === 0,
            closedAt: null,
            hold: null,
            heldAt: null,
            billEmail: null,
            parts: 0,
            lastPaidOn: null,
          }),
        ),
        contacts: spec.contacts.map((contact) => ({
          email: `${contact.role}0@${id}.example`,
          name: null,
          role: contact.role,
          bounced: false,
        })),
        credits: new Map(),
        promises: [],
        plans: [],
        disputes: [],
        settlements: [],
        optedOut: false,
        textConsent: false,
        textsStoppedAt: null,
        payments: [],
        pastPaid: [],
        effects: [],
        open: [],
        keys: new Set(),
        lastResponseAt: null,
      };
    });
  }
  orgDate(ms: number): string {
    return momentAt(ms, this.orgTimeZone).date;
  }
  owing = (invoice: Invoice) => invoice.arrived && invoice.status === 'open' && invoice.balanceMinor > 0;
  chased = (invoice: Invoice) => this.owing(invoice) && invoice.hold === null;
  /** Takes the ledger's balances; closes what is no longer owed at `ms`; settles promises as reconcile.ts would. */
  refresh(balances: Map<string, number>, ms: number) {
    const today = dayNumber(this.orgDate(ms));
    for (const debtor of this.debtors) {
      for (const invoice of debtor.invoices) {
        const owed = balances.get(invoice.number);
        if (owed === undefined) continue;
        invoice.arrived = true;
        invoice.balanceMinor = owed;
        if (owed === 0 && invoice.status === 'open') {
          invoice.status = 'paid';
          invoice.closedAt = new Date(ms).toISOString();
        }
      }
      for (const promise of debtor.promises) {
        if (promise.status !== 'open') continue;
        const paid = debtor.invoices.every(
          (invoice) => !promise.invoiceIds.includes(invoice.id) || !this.owing(invoice),
        );
        if (paid || today > dayNumber(promise.promisedDate) + this.policy.promiseGraceDays) {
          promise.status = paid ? 'kept' : 'broken';
          promise.resolvedAt = new Date(ms).toISOString();
        }
      }
    }
  }
}

/** The invoices a reminder's text lists ("- Invoice S0-1, due 3 March 2026: £1,234.56 … outstanding"). */
export function listedIn(text: string): Array<{ number: string; amountMinor: number }> {
  const listed: Array<{ number: string; amountMinor: number }> = [];
  for (const match of text.matchAll(/^- Invoice (\S+), due [^:\n]+: ([^\n]+?)(?: of [^\n]+?)? outstanding/gm))
    listed.push({ number: match[1] as string, amountMinor: Number((match[2] as string).replace(/\D/g, '')) });
  return listed;
}

/** Runs one company end to end; resolves with what the invariants found. */
export async function runE2ECompany(spec: CompanySpec, options: E2EOptions): Promise<E2EResult> {
  const started = performance.now();
  const company = e2eCompany(spec);
  const world = new LedgerWorld(company);
  const asWorld = world as unknown as World;
  const invariants = new Invariants();
  const startMs = Date.parse(`${company.start}T00:00:00Z`);
  const days = options.days ?? simDays;
  const rand = random(options.seed ?? 1);
  const result: E2EResult = {
    vendor: options.vendor,
    steps: 0,
    skipped: 0,
    evaluations: 0,
    contacts: 0,
    checks: 0,
    events: 0,
    cancelled: 0,
    races: 0,
    trace: [],
    violations: [],
    ms: 0,
  };

  const seedOf = (debtorIndex: number, i: number): SeedInvoice => {
    const debtor = world.debtors[debtorIndex] as Debtor;
    const invoice = debtor.invoices[i] as Invoice;
    const due = company.debtors[debtorIndex]?.invoices[i]?.dueDay ?? 0;
    const billTo = company.debtors[debtorIndex]?.invoices[i]?.billTo ?? null;
    return {
      customer: debtorIndex,
      number: invoice.number,
      currency: invoice.currency,
      totalMinor: invoice.totalMinor,
      balanceMinor: invoice.balanceMinor,
      issueDate: isoDay(startMs + Math.min(due - 30, Math.floor(invoice.arrivesHour / 24)) * dayMs),
      dueDate: invoice.dueDate,
      billEmail: billTo === null ? null : (debtor.contacts[0]?.email ?? null),
    };
  };
  const ledger: SimLedger = await startSimLedger(options.adminUrl, options.vendor, {
    name: 'Simulated Ltd',
    currency: company.orgCurrency,
    customers: world.debtors.map((debtor) => ({
      name: `Debtor ${debtor.index}`,
      email: debtor.contacts[0]?.email ?? null,
    })),
    invoices: world.debtors.flatMap((debtor) =>
      debtor.invoices.flatMap((invoice, i) => (invoice.arrived ? [seedOf(debtor.index, i)] : [])),
    ),
  });
  const db: Database = ledger.runtime.database.db;
  const transport: LocalTransport = createLocalTransport({ keep: 100_000 });
  try {
    // The first sync, at the simulated start (its cursor on the simulated clock).
    ledger.setClock(startMs);
    await syncConnection(ledger.ctx, ledger.connectionId, 'full');
    const [connection] = await db.select({ orgId: organisations.id }).from(organisations);
    if (!connection) throw new Error('connecting made no organisation');
    const orgId = connection.orgId;
    await db
      .update(organisations)
      .set({ timeZone: company.orgTimeZone, country: company.orgCountry })
      .where(eq(organisations.id, orgId));
    await savePolicy(db, { orgId, basedOnVersion: 0, policy: world.policy, actor: 'simulator' });
    const customerIds: string[] = [];
    for (const debtor of world.debtors) {
      const [row] = await db
        .update(customers)
        .set({ timeZone: debtor.timeZone })
        .where(and(eq(customers.orgId, orgId), eq(customers.name, `Debtor ${debtor.index}`)))
        .returning({ id: customers.id });
      if (!row) throw new Error(`Debtor ${debtor.index} was not synced`);
      customerIds.push(row.id);
    }
    const debtorOfCustomer = new Map(customerIds.map((id, index) => [id, index]));
    const mirrorIds = async (debtor: Debtor, numbers: string[]) => {
      const rows = await db
        .select({ id: invoiceRows.id, number: invoiceRows.number })
        .from(invoiceRows)
        .where(eq(invoiceRows.customerId, customerIds[debtor.index] as string));
      return rows.filter((row) => numbers.includes(row.number ?? '')).map((row) => row.id);
    };

    // ------------------------------------------------------------ the events
    const pending: Pending[] = [];
    const schedule = (at: number, debtor: number, run: () => Promise<void>) => {
      let index = pending.length;
      while (index > 0 && (pending[index - 1] as Pending).at > at) index--;
      pending.splice(index, 0, { at, debtor, run });
    };
    let ledgerChanged = false;
    const apply = async (debtor: Debtor, event: EventSpec, ms: number) => {
      const today = world.orgDate(ms);
      const now = new Date(ms);
      const request = {
        orgId,
        customerId: customerIds[debtor.index] as string,
        source: 'portal' as const,
        actor: 'debtor',
        now,
        today,
        limits: world.policy.arrangements,
      };
      const owedNumbers = () =>
        debtor.invoices.filter((invoice) => world.owing(invoice)).map((invoice) => invoice.number);
      const pick = (index: number) => debtor.invoices[index % debtor.invoices.length] as Invoice;
      switch (event.kind) {
        case 'pay': {
          const invoice = pick(event.invoice);
          if (!world.owing(invoice)) return;
          ledger.pay(invoice.number, paymentAmount(invoice.balanceMinor, event.fraction), today);
          ledgerChanged = true;
          break;
        }
        case 'void': {
          const invoice = pick(event.invoice);
          if (!invoice.arrived || invoice.status !== 'open') return;
          if (!ledger.voidInvoice(invoice.number)) return;
          invoice.status = 'voided';
          invoice.balanceMinor = 0;
          invoice.closedAt = now.toISOString();
          ledgerChanged = true;
          break;
        }
        case 'dispute': {
          // Disputed in Dunwell (the portal's service), about invoices its mirror knows as owed.
          const numbers = event.all
            ? owedNumbers()
            : [pick(event.invoice).number].filter((n) => owedNumbers().includes(n));
          const ids = await mirrorIds(debtor, numbers);
          if (ids.length === 0 || ids.length !== numbers.length) return;
          try {
            await openDispute(db, {
              ...request,
              invoiceIds: ids,
              reason: 'other',
              message: 'Not what we ordered',
            });
          } catch {
            return; // the mirror no longer has one of them open
          }
          debtor.disputes.push({ invoiceIds: numbers, status: 'open', openedAt: now.toISOString() });
          break;
        }
        case 'resolve': {
          const open = await db
            .select({ id: disputeRows.id })
            .from(disputeRows)
            .where(and(eq(disputeRows.customerId, request.customerId), eq(disputeRows.status, 'open')));
          for (const row of open)
            await resolveDispute(db, {
              orgIds: [orgId],
              disputeId: row.id,
              resolution: 'agreed',
              actor: 'user:sim',
              now,
            });
          for (const dispute of debtor.disputes) dispute.status = 'resolved';
          break;
        }
        case 'promise': {
          const numbers = event.all
            ? owedNumbers()
            : [pick(event.invoice).number].filter((n) => owedNumbers().includes(n));
          const ids = await mirrorIds(debtor, numbers);
          if (ids.length === 0 || ids.length !== numbers.length) return;
          const promisedDate = addDays(today, event.daysAhead);
          try {
            await makePromise(db, { ...request, invoiceIds: ids, promisedDate });
          } catch {
            return; // refused (a promise already open for one of them, a date past the limits)
          }
          debtor.promises.push({
            invoiceIds: numbers,
            promisedDate,
            status: 'open',
            madeAt: now.toISOString(),
            resolvedAt: null,
          });
          if (event.keep)
            schedule(Date.parse(`${promisedDate}T01:00:00Z`), debtor.index, async () => {
              for (const number of numbers) {
                const invoice = debtor.invoices.find((candidate) => candidate.number === number) as Invoice;
                if (world.owing(invoice)) {
                  ledger.pay(number, invoice.balanceMinor, promisedDate);
                  ledgerChanged = true;
                }
              }
            });
          break;
        }
        case 'optOut': {
          await optOutCustomer(db, request, { at: now, summary: 'Unsubscribed', details: {} });
          debtor.optedOut = true;
          break;
        }
        case 'bounce': {
          // SendGrid's event about the last reminder sent to the address (nothing to bounce before one).
          const address = debtor.contacts[0];
          const last = [...transport.sent()]
            .reverse()
            .find((email) => email.to.some((to) => to.email === address?.email));
          if (!address || !last) return;
          await recordDeliveryEvents(db, [
            {
              eventId: `bounce-${last.messageId}`,
              messageId: last.messageId,
              orgId,
              providerMessageId: null,
              email: address.email,
              kind: 'bounced',
              permanent: true,
              at: now,
              reason: '550 no such user',
            } as Parameters<typeof recordDeliveryEvents>[1][number],
          ]);
          address.bounced = true;
          break;
        }
        default:
          return;
      }
      result.events += 1;
      result.trace.push(`${now.toISOString()} ${debtor.id} ${JSON.stringify(event)}`);
    };
    for (const debtor of world.debtors) {
      for (const timed of debtor.spec.events) {
        const at = startMs + timed.hour * hourMs + timed.minute * 60_000;
        schedule(at, debtor.index, () => apply(debtor, timed.event, at));
      }
      debtor.invoices.forEach((invoice, i) => {
        if (invoice.arrived) return;
        schedule(startMs + invoice.arrivesHour * hourMs, debtor.index, async () => {
          ledger.createInvoice(seedOf(debtor.index, i));
          invoice.arrived = true;
          ledgerChanged = true;
        });
      });
    }
    const runUntil = async (ms: number) => {
      let ran = 0;
      while (pending.length > 0 && (pending[0] as Pending).at <= ms) {
        const next = pending.shift() as Pending;
        ledger.setClock(next.at);
        await next.run();
        ran += 1;
      }
      return ran;
    };
    /** Webhooks from the emulator to Dunwell's route, then the incremental sync they ask for. */
    let reconciledDay = -1;
    const syncFromWebhooks = async (day: number) => {
      // The reconcile (reconcile-connections.ts, daily in production): an incremental sync whatever the
      // webhooks said, which keeps the cursor within QuickBooks' 30 days of change data. Every ledger
      // change here sends its webhook, so it runs weekly to save time.
      if (reconciledDay < 0 || day - reconciledDay >= 7) {
        reconciledDay = day;
        ledgerChanged = false;
        await ledger.deliverWebhooks();
        await routeWebhookEvents(db, { async sync() {}, async routeWebhooks() {} });
        await syncConnection(ledger.ctx, ledger.connectionId, 'incremental');
        return;
      }
      if (!ledgerChanged) return;
      ledgerChanged = false;
      await ledger.deliverWebhooks();
      const wanted = new Set<string>();
      await routeWebhookEvents(db, {
        async sync(connectionId) {
          wanted.add(connectionId);
        },
        async routeWebhooks() {},
      });
      for (const connectionId of wanted) await syncConnection(ledger.ctx, connectionId, 'incremental');
    };

    // ------------------------------------------------------------ what Dunwell did
    const links = portalLinks(ledger.sessionSecret, ledger.runtime.url);
    const stale: LedgerContext = {
      ...ledger.ctx,
      connectors: Object.fromEntries(
        Object.entries(ledger.ctx.connectors).map(([vendor, connector]) => [
          vendor,
          connector && {
            ...connector,
            async fetchInvoices(handle: Parameters<typeof connector.fetchInvoices>[0], ids: string[]) {
              const fresh = await connector.fetchInvoices(handle, ids);
              const rows = await db.select().from(invoiceRows).where(inArray(invoiceRows.externalId, ids));
              const mirror = new Map(rows.map((row) => [row.externalId, row]));
              return fresh.map((invoice) => {
                const row = mirror.get(invoice.externalId);
                return row
                  ? {
                      ...invoice,
                      balanceMinor: row.balanceMinor,
                      status: row.status as typeof invoice.status,
                      version: row.vendorVersion,
                      updatedAt: row.vendorUpdatedAt?.toISOString() ?? null,
                    }
                  : invoice;
              });
            },
          },
        ]),
      ),
    };
    const deps = (ms: number): DeliveryDeps => ({
      db,
      ledger: options.breakage === 'stale-reread' ? stale : ledger.ctx,
      transport,
      from: { email: 'reminders@dunwell.example', name: 'Simulated Ltd' },
      links,
      unsubscribeUrl: ({ id }) => `${ledger.runtime.url}/opt-out/${id}`,
      now: () => new Date(ms),
    });
    let seenEmails = 0;
    const seenFlags = new Set<string>();
    /** Calls and letters by task id: when the simulated person first saw each (simulated time). */
    const seenContactTasks = new Map<string, number>();
    const feedSent = async (ms: number) => {
      const emails = transport.sent();
      const fresh: OutgoingEmail[] = emails.slice(seenEmails);
      seenEmails = emails.length;
      if (fresh.length === 0) return;
      const rows = await db
        .select()
        .from(outboundMessages)
        .where(inArray(outboundMessages.id, [...new Set(fresh.map((email) => email.messageId))]));
      const byId = new Map(rows.map((row) => [row.id, row]));
      for (const email of fresh) {
        const row = byId.get(email.messageId);
        if (row?.purpose !== 'reminder' || !row.customerId || !row.renderInputs) continue;
        const debtor = world.debtors[debtorOfCustomer.get(row.customerId) ?? -1];
        if (!debtor) continue;
        const inputs = row.renderInputs;
        const listed = listedIn(email.text).map((entry) => {
          const invoice = debtor.invoices.find((candidate) => candidate.number === entry.number);
          return { id: entry.number, currency: invoice?.currency ?? '?', balanceMinor: entry.amountMinor };
        });
        const totals: Record<string, number> = {};
        for (const entry of listed)
          totals[entry.currency] = (totals[entry.currency] ?? 0) + entry.balanceMinor;
        const effect: Effect = {
          key: row.idempotencyKey,
          kind: 'email',
          action: {
            kind: 'email',
            rung: inputs.rung ?? null,
            stepKey: inputs.stepKey,
            tone: inputs.tone,
            template: inputs.template,
          } as unknown as PlannedAction,
          steps: [],
          takenAt: row.createdAt.toISOString(),
          status: 'sent',
          sentAt: new Date(ms).toISOString(),
          listed,
          totals,
        };
        debtor.effects.push(effect);
        result.contacts += 1;
        result.trace.push(
          `${new Date(ms).toISOString()} ${debtor.id} sent ${inputs.stepKey} listing ${JSON.stringify(listed)}`,
        );
        invariants.sent(asWorld, debtor, effect, ms);
      }
    };
    const feedRaised = async (ms: number) => {
      const flags = await db.select().from(collectionFlags).where(eq(collectionFlags.orgId, orgId));
      const tasks = await db
        .select()
        .from(collectionTasks)
        .where(and(eq(collectionTasks.orgId, orgId), eq(collectionTasks.status, 'open')));
      for (const debtor of world.debtors) debtor.open = [];
      const asEffect = (
        kind: 'flag' | 'task',
        key: string,
        stepKey: string,
        status: Effect['status'],
      ): Effect => ({
        key,
        kind,
        action: { kind, stepKey } as unknown as PlannedAction,
        steps: [],
        takenAt: new Date(ms).toISOString(),
        status,
        sentAt: null,
        listed: [],
        totals: {},
      });
      for (const flag of flags) {
        const debtor = world.debtors[debtorOfCustomer.get(flag.customerId) ?? -1];
        if (!debtor) continue;
        const effect = asEffect(
          'flag',
          flag.idempotencyKey,
          flag.kinds.join('+'),
          flag.status === 'pending' ? 'open' : 'closed',
        );
        if (flag.status === 'pending') debtor.open.push(effect);
        if (!seenFlags.has(flag.id)) {
          seenFlags.add(flag.id);
          invariants.raised(asWorld, debtor, effect, ms);
        }
      }
      for (const task of tasks) {
        const debtor = world.debtors[debtorOfCustomer.get(task.customerId) ?? -1];
        if (!debtor) continue;
        if (task.kind !== 'task') {
          await carryOut(debtor, task, ms, asEffect);
          continue;
        }
        const stepKey = task.idempotencyKey.includes('find-address') ? 'find-address' : task.idempotencyKey;
        debtor.open.push(asEffect('task', task.idempotencyKey, stepKey, 'open'));
      }
    };
    /**
     * The person makes a call or posts a letter two days after it is asked for, through the same
     * services as the review page: it is then a contact, which the invariants hold to the one cap.
     */
    const carryOut = async (
      debtor: Debtor,
      task: typeof collectionTasks.$inferSelect,
      ms: number,
      asEffect: (kind: 'flag' | 'task', key: string, stepKey: string, status: Effect['status']) => Effect,
    ) => {
      const [taken] = await db
        .select({ stepKey: collectionSteps.stepKey })
        .from(collectionSteps)
        .where(and(eq(collectionSteps.orgId, orgId), eq(collectionSteps.effectKey, task.idempotencyKey)))
        .limit(1);
      const effect = {
        ...asEffect('task', task.idempotencyKey, taken?.stepKey ?? '', 'open'),
        kind: task.kind,
      };
      const seenAt = seenContactTasks.get(task.id);
      if (seenAt === undefined) {
        seenContactTasks.set(task.id, ms);
        invariants.raised(asWorld, debtor, effect, ms);
        debtor.open.push(effect);
        return;
      }
      if (ms - seenAt < 48 * hourMs) {
        debtor.open.push(effect);
        return;
      }
      const ctx = {
        orgId,
        db,
        now: new Date(ms),
        actor: { kind: 'system' as const, job: 'simulated person' },
      };
      if (task.kind === 'call') await recordCallOutcome(ctx, { taskId: task.id, outcome: 'reached' });
      else await markLetterPosted(ctx, { taskId: task.id, certified: true });
      result.contacts += 1;
      result.trace.push(`${new Date(ms).toISOString()} ${debtor.id} ${task.kind} done (${taken?.stepKey})`);
      invariants.reached(asWorld, debtor, effect, ms);
    };
    const observe = (ms: number) => {
      world.refresh(ledger.balances(), ms);
      invariants.observe(asWorld, ms);
    };

    // ------------------------------------------------------------ the walk
    const window = world.policy.sendingWindow;
    let broken = false;
    let lastKey = '';
    for (let day = 0; day < days; day++) {
      const hours = new Set<number>();
      // One hour in the organisation's working hours (most contacts happen then), sometimes another at random.
      for (let tries = 0; tries < 24; tries++) {
        const hour = Math.floor(rand() * 24);
        const local = momentAt(startMs + day * dayMs + hour * hourMs, company.orgTimeZone).hour;
        if (local >= window.startHour && local < window.endHour) {
          hours.add(hour);
          break;
        }
      }
      if (rand() < 0.4) hours.add(Math.floor(rand() * 24));
      for (const hour of [...hours].sort((a, b) => a - b)) {
        const planMs = startMs + day * dayMs + hour * hourMs;
        const sendMs = planMs + 15 * 60_000;
        const ran = await runUntil(planMs);
        ledger.setClock(planMs);
        await syncFromWebhooks(day);
        world.refresh(ledger.balances(), planMs);
        // Nothing can happen to a debtor who owes nothing, and an hour like the last one evaluated
        // (the same dates, inside or outside each debtor's window) with nothing happened decides nothing new
        // unless the cap or the final notice's grace ran out: those are kept by evaluating at least daily.
        const owing = world.debtors.some((debtor) =>
          debtor.invoices.some((invoice) => world.chased(invoice)),
        );
        const key = `${world.orgDate(planMs)}|${world.debtors
          .map((debtor) => {
            const local = momentAt(planMs, debtor.timeZone ?? company.orgTimeZone);
            return `${local.date}:${local.hour >= window.startHour && local.hour < window.endHour}`;
          })
          .join(',')}`;
        if (!owing || (ran === 0 && key === lastKey)) {
          result.skipped += 1;
          continue;
        }
        lastKey = key;
        invariants.observe(asWorld, planMs);
        await evaluateOrganisation(db, orgId, { now: new Date(planMs) });
        result.evaluations += 1;
        await feedRaised(planMs);
        // Between planning and sending: the events of these minutes, and a payment racing some of the
        // reminders just queued (in the ledger; its webhook delivered and synced before the run only
        // sometimes, so the delivery's own re-read must catch the rest).
        await runUntil(sendMs);
        const queued = await db
          .select({ customerId: outboundMessages.customerId })
          .from(outboundMessages)
          .where(
            and(
              eq(outboundMessages.orgId, orgId),
              eq(outboundMessages.status, 'pending'),
              eq(outboundMessages.purpose, 'reminder'),
            ),
          );
        for (const { customerId } of queued) {
          const debtor = world.debtors[debtorOfCustomer.get(customerId ?? '') ?? -1];
          if (!debtor || rand() >= (options.breakage === 'stale-reread' ? 1 : 0.35)) continue;
          const owed = debtor.invoices.filter((invoice) => world.owing(invoice));
          const invoice = owed[Math.floor(rand() * owed.length)];
          if (!invoice) continue;
          const amount =
            rand() < 0.5 ? invoice.balanceMinor : Math.max(1, Math.floor(invoice.balanceMinor * rand()));
          ledger.setClock(planMs + 10 * 60_000);
          ledger.pay(invoice.number, amount, world.orgDate(planMs));
          ledgerChanged = true;
          result.races += 1;
          result.trace.push(
            `${new Date(planMs + 10 * 60_000).toISOString()} racing payment ${amount} on ${invoice.number}`,
          );
        }
        if (ledgerChanged && options.breakage !== 'stale-reread' && rand() < 0.5) {
          ledger.setClock(planMs + 12 * 60_000);
          await syncFromWebhooks(day);
        }
        ledger.setClock(sendMs);
        observe(sendMs);
        const run = await deliverDue(deps(sendMs), orgId);
        result.cancelled += run.cancelled;
        await feedSent(sendMs);
        if (options.breakage === 'resend' && !broken) {
          // Broken on purpose: the first reminder sent goes back to the outbox as if never sent, and a
          // delivery run a day later sends it again (the cap counts from the forged sent_at: none).
          const [last] = await db
            .update(outboundMessages)
            .set({ status: 'pending', sentAt: null })
            .where(and(eq(outboundMessages.orgId, orgId), eq(outboundMessages.status, 'sent')))
            .returning({ id: outboundMessages.id });
          if (last) {
            broken = true;
            const again = sendMs + dayMs;
            await deliverDue(deps(again), orgId);
            await feedSent(again);
          }
        }
        invariants.afterStep(asWorld, planMs);
        result.steps += 1;
        if (options.stopAtViolation && invariants.violations.length > 0) break;
      }
      if (options.stopAtViolation && invariants.violations.length > 0) break;
    }
  } finally {
    await ledger.stop();
  }
  result.checks = invariants.checks;
  result.violations = invariants.violations;
  result.ms = performance.now() - started;
  return result;
}

/** The companies of the end-to-end tier: generated by `companyArb`, the same for a seed. */
export function e2eCompanies(count: number, seed: number): CompanySpec[] {
  return fc.sample(companyArb, { numRuns: count, seed });
}

/** The tier as run.ts takes it (registerE2ETier): `cases` companies, vendors alternating. */
export async function runE2ETier(cases: number, seed = 7_000): Promise<TierResult> {
  const { openTestServer } = await import('../helpers/test-server.js');
  const server = await openTestServer(process.env);
  const totals: TierResult = { cases: 0, steps: 0, contacts: 0, checks: 0, violations: 0 };
  const started = performance.now();
  try {
    for (const [index, company] of e2eCompanies(cases, seed).entries()) {
      const vendor: Vendor = index % 2 === 0 ? 'quickbooks' : 'xero';
      let outcome: E2EResult;
      try {
        outcome = await runE2ECompany(company, { adminUrl: server.adminUrl, vendor, seed: seed + index });
      } catch (error) {
        // A walk that could not finish is a failure too, counted as one violation.
        totals.cases += 1;
        totals.violations += 1;
        process.stderr.write(
          `e2e ${totals.cases}/${cases} (${vendor}) failed: ${error instanceof Error ? error.stack : String(error)}\n  company (seed ${seed}, index ${index}): ${JSON.stringify(company)}\n`,
        );
        continue;
      }
      totals.cases += 1;
      totals.steps += outcome.steps;
      totals.contacts += outcome.contacts;
      totals.checks += outcome.checks;
      totals.violations += outcome.violations.filter((violation) => !violation.known).length;
      process.stderr.write(
        `e2e ${totals.cases}/${cases} (${vendor}): ${outcome.steps} steps, ${outcome.contacts} contacts, ${outcome.checks} checks, ${outcome.violations.length} violations, ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
      );
      for (const violation of outcome.violations.slice(0, 5))
        process.stderr.write(
          `  [${violation.invariant}] ${violation.debtor} ${violation.at}: ${violation.message}\n`,
        );
      if (outcome.violations.length > 0)
        process.stderr.write(`  company (seed ${seed}, index ${index}): ${JSON.stringify(company)}\n`);
    }
  } finally {
    await server.stop();
  }
  return totals;
}
