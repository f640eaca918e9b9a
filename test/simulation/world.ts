/**
 * The world the pure engine lives in, in memory: a ledger (invoices, payments, credits), the
 * arrangements (promises, plans, disputes, settlements) and an outbox of messages, tasks and flags.
 * Each step is one hour: events due are applied, the arrangements reconciled (as reconcile.ts does),
 * each debtor's snapshot built (as load-snapshots.ts does), `plan` called, its actions applied
 * under their idempotency keys (as apply-plan.ts does), and emails delivered 15 minutes later with
 * what they list recomputed (as deliver-message.ts and render-queued-message.ts do).
 */

import { planProgress, proposePlan } from '../../src/arrangements/proposals.js';
import { rungInvoicesAtSending } from '../../src/collections/journey.js';
import { type PlannedAction, type PlanResult, plan } from '../../src/collections/plan.js';
import type { DebtorSnapshot, PastContact, SnapshotInvoice } from '../../src/collections/snapshot.js';
import { addDays, dayNumber, type LocalMoment, localMoment } from '../../src/domain/local-time.js';
import type { Policy, Step, StepKind } from '../../src/domain/policy.js';
import {
  type CompanySpec,
  type DebtorSpec,
  type EventSpec,
  isoDay,
  paymentAmount,
  policyOf,
  simHours,
} from './generate.js';

const hourMs = 3_600_000;
const dayMs = 86_400_000;

const weekdayOfUtc = [7, 1, 2, 3, 4, 5, 6];
const dayOffsets = new Map<string, number | null>();
const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
/** The zone's offset (ms) through the UTC day of `ms`, or null when it changes that day (DST). */
function offsetThroughDay(ms: number, zone: string): number | null {
  const day = Math.floor(ms / dayMs);
  const key = `${zone}|${day}`;
  let offset = dayOffsets.get(key);
  if (offset === undefined) {
    const at = (instant: number) => {
      let formatter = offsetFormatters.get(zone);
      if (!formatter) {
        formatter = new Intl.DateTimeFormat('en-CA', {
          timeZone: zone,
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          hour: '2-digit',
          minute: '2-digit',
          hourCycle: 'h23',
        });
        offsetFormatters.set(zone, formatter);
      }
      const parts: Record<string, number> = {};
      for (const part of formatter.formatToParts(new Date(instant))) parts[part.type] = Number(part.value);
      const wall = Date.UTC(
        parts['year'] ?? 1970,
        (parts['month'] ?? 1) - 1,
        parts['day'] ?? 1,
        parts['hour'] ?? 0,
        parts['minute'] ?? 0,
      );
      return wall - instant;
    };
    const first = at(day * dayMs);
    offset = first === at((day + 1) * dayMs) && first === at(day * dayMs + 12 * hourMs) ? first : null;
    if (dayOffsets.size > 200_000) dayOffsets.clear();
    dayOffsets.set(key, offset);
  }
  return offset;
}

/**
 * Local time in a zone at an instant on the hour or quarter past (what the world asks): the zone's
 * offset for the day from `Intl`, then arithmetic; `Intl` for each instant on a day the offset changes.
 */
export function momentAt(ms: number, zone: string): LocalMoment {
  const last = lastMoments.get(zone);
  if (last && last.ms === ms) return last.moment;
  const moment = computeMoment(ms, zone);
  lastMoments.set(zone, { ms, moment });
  return moment;
}
const lastMoments = new Map<string, { ms: number; moment: LocalMoment }>();

function computeMoment(ms: number, zone: string): LocalMoment {
  const offset = offsetThroughDay(ms, zone);
  if (offset === null) return localMoment(new Date(ms), zone);
  const wall = new Date(ms + offset);
  return {
    date: wall.toISOString().slice(0, 10),
    weekday: weekdayOfUtc[wall.getUTCDay()] as number,
    hour: wall.getUTCHours(),
  };
}

const offLadder = new Set(['plan-offer', 'installment', 'settlement']);

/** The ladder as the policy writes it: contact steps (emails, calls, letters) after the due date, in offset order. */
export function ladderOfPolicy(policy: Policy): Step[] {
  return policy.steps
    .filter(
      (step) =>
        (step.action === 'email' || step.action === 'call' || step.action === 'letter') &&
        step.offsetDays > 0 &&
        !offLadder.has(step.template),
    )
    .sort((a, b) => a.offsetDays - b.offsetDays);
}

export interface Invoice {
  id: string;
  number: string;
  currency: string;
  totalMinor: number;
  balanceMinor: number;
  dueDate: string;
  status: 'open' | 'paid' | 'voided';
  arrivesHour: number;
  arrived: boolean;
  closedAt: string | null;
  /** Referred to an agency or written off after an approved flag: out of the schedule. */
  hold: 'agency_referral' | 'write_off' | null;
  heldAt: number | null;
  billEmail: string | null;
  parts: number;
  lastPaidOn: string | null;
}

export interface Promise_ {
  invoiceIds: string[];
  promisedDate: string;
  status: 'open' | 'kept' | 'broken';
  madeAt: string;
  resolvedAt: string | null;
}

export interface PaymentPlan {
  invoiceIds: string[];
  currency: string;
  installments: Array<{ dueDate: string; amountMinor: number }>;
  startBalanceMinor: number;
  status: 'active' | 'broken' | 'completed';
  madeAt: string;
  resolvedAt: string | null;
}

export interface Dispute {
  invoiceIds: string[];
  status: 'open' | 'resolved';
  openedAt: string;
}

export interface Settlement {
  id: string;
  invoiceIds: string[];
  currency: string;
  startBalanceMinor: number;
  offerMinor: number;
  payBy: string;
  status: 'offered' | 'paid' | 'expired';
}

/** An outbox row: a message, task or flag, with the collection steps it took. */
export interface Effect {
  key: string;
  kind: StepKind;
  action: PlannedAction;
  steps: Array<{ invoiceId: string; stepKey: string }>;
  takenAt: string;
  status: 'pending' | 'sent' | 'cancelled' | 'open' | 'closed' | 'approved' | 'rejected';
  sentAt: string | null;
  /** What the email listed when it went, and its totals per currency. */
  listed: Array<{ id: string; currency: string; balanceMinor: number }>;
  totals: Record<string, number>;
  /** For a reminder: which channels it went by when it went. */
  emailed?: boolean;
  texted?: boolean;
}

export interface Debtor {
  index: number;
  id: string;
  spec: DebtorSpec;
  timeZone: string | null;
  country: string | null;
  invoices: Invoice[];
  contacts: Array<{ email: string; name: string | null; role: 'billing' | 'escalation'; bounced: boolean }>;
  credits: Map<string, number>;
  promises: Promise_[];
  plans: PaymentPlan[];
  disputes: Dispute[];
  settlements: Settlement[];
  optedOut: boolean;
  /** A mobile number with consent to texts on record; when it texted STOP, if it did. */
  textConsent: boolean;
  textsStoppedAt: number | null;
  payments: Array<{ paidOn: string; currency: string; amountMinor: number }>;
  pastPaid: Array<{ dueDate: string; paidOn: string; partPayments: number }>;
  effects: Effect[];
  /** Tasks and flags still open. */
  open: Effect[];
  keys: Set<string>;
  lastResponseAt: string | null;
}

/** Seams for proving the invariants catch a broken engine: each wraps the engine or its inputs. */
export interface WorldOptions {
  /** The engine (default: `plan`). */
  engine?: (snapshot: DebtorSnapshot, policy: Policy, now: Date) => PlanResult;
  /** The policy the engine is given (default: the company's). */
  enginePolicy?: (policy: Policy) => Policy;
  /** What the engine and the renderer see of a debtor (default: the snapshot as loaded). */
  view?: (snapshot: DebtorSnapshot) => DebtorSnapshot;
  /** What a rung message lists at sending time (default: what render-queued-message lists). */
  render?: (listed: SnapshotInvoice[]) => SnapshotInvoice[];
}

/** What the invariant checker is told, as it happens. */
export interface Observer {
  /** Before planning and before delivering: the world as it is at `nowMs`. */
  observe(world: World, nowMs: number): void;
  sent(world: World, debtor: Debtor, email: Effect, nowMs: number): void;
  /** A person made a call or posted a letter the journey asked for. */
  reached(world: World, debtor: Debtor, effect: Effect, nowMs: number): void;
  raised(world: World, debtor: Debtor, effect: Effect, nowMs: number): void;
  afterStep(world: World, nowMs: number): void;
}

interface Scheduled {
  at: number;
  debtor: number;
  run: () => void;
  seq: number;
}

export interface WorldCounts {
  steps: number;
  plans: number;
  planned: number;
  sent: number;
  cancelled: number;
  tasks: number;
  /** Calls made and letters posted by the simulated person. */
  calls: number;
  letters: number;
  /** Reminders that went by text (alone or with their email). */
  texts: number;
  flags: number;
  events: number;
}

export class World {
  readonly policy: Policy;
  readonly enginePolicy: Policy;
  readonly startMs: number;
  readonly orgTimeZone: string;
  readonly orgCountry: string | null;
  readonly orgCurrency: string;
  readonly debtors: Debtor[];
  readonly counts: WorldCounts = {
    steps: 0,
    plans: 0,
    planned: 0,
    sent: 0,
    cancelled: 0,
    tasks: 0,
    calls: 0,
    letters: 0,
    texts: 0,
    flags: 0,
    events: 0,
  };
  private queue: Scheduled[] = [];
  private nextArrival = 0;
  private seq = 0;
  private touched = new Set<number>();
  private readonly lastRung: number;
  private readonly engine: NonNullable<WorldOptions['engine']>;
  private readonly view: NonNullable<WorldOptions['view']>;
  private readonly render: NonNullable<WorldOptions['render']>;

  constructor(
    readonly company: CompanySpec,
    private readonly observer: Observer,
    options: WorldOptions = {},
  ) {
    this.policy = policyOf(company);
    this.enginePolicy = options.enginePolicy ? options.enginePolicy(this.policy) : this.policy;
    this.engine = options.engine ?? plan;
    this.lastRung = ladderOfPolicy(this.enginePolicy).length - 1;
    this.view = options.view ?? ((snapshot) => snapshot);
    this.render = options.render ?? ((listed) => listed);
    this.startMs = Date.parse(`${company.start}T00:00:00Z`);
    this.orgTimeZone = company.orgTimeZone;
    this.orgCountry = company.orgCountry;
    this.orgCurrency = company.orgCurrency;
    this.debtors = company.debtors.map((spec, index) => this.debtorOf(spec, index));
    for (const debtor of this.debtors)
      for (const timed of debtor.spec.events)
        this.schedule(this.startMs + timed.hour * hourMs + timed.minute * 60_000, debtor.index, () =>
          this.apply(debtor, timed.event, this.startMs + timed.hour * hourMs + timed.minute * 60_000),
        );
  }

  private debtorOf(spec: DebtorSpec, index: number): Debtor {
    const id = `d${index}`;
    const contacts = spec.contacts.map((contact, c) => ({
      email: `${contact.role}${c}@${id}.example`,
      name: null,
      role: contact.role,
      bounced: contact.bouncedAtStart,
    }));
    const day = (offset: number) => isoDay(this.startMs + offset * dayMs);
    const invoices: Invoice[] = spec.invoices.map((invoice, i) => {
      const balance = invoice.totalMinor - invoice.paidAtStartMinor;
      return {
        id: `${id}-i${i}`,
        number: `INV-${index}-${i}`,
        currency: invoice.currency,
        totalMinor: invoice.totalMinor,
        balanceMinor: balance,
        dueDate: day(invoice.dueDay),
        status: 'open',
        arrivesHour: invoice.arrivesHour,
        arrived: invoice.arrivesHour === 0,
        closedAt: null,
        hold: null,
        heldAt: null,
        billEmail: invoice.billTo === null ? null : (contacts[invoice.billTo]?.email ?? null),
        parts: invoice.paidAtStartMinor > 0 ? 1 : 0,
        lastPaidOn: invoice.paidAtStartMinor > 0 ? day(-1) : null,
      };
    });
    const pastPaid = spec.pastLateness.map((lateness, i) => {
      const due = -200 - 30 * i;
      return { dueDate: day(due), paidOn: day(due + lateness), partPayments: 1 };
    });
    const credits = new Map<string, number>();
    for (const credit of spec.creditsAtStart) {
      const currency = spec.currencies[credit.currency % spec.currencies.length] ?? this.orgCurrency;
      credits.set(currency, (credits.get(currency) ?? 0) + credit.amountMinor);
    }
    return {
      index,
      id,
      spec,
      timeZone: spec.timeZone,
      country: spec.country,
      invoices,
      contacts,
      credits,
      promises: [],
      plans: [],
      disputes: [],
      settlements: [],
      optedOut: false,
      textConsent: spec.textConsent === true,
      textsStoppedAt: null,
      payments: pastPaid.map((paid) => ({
        paidOn: paid.paidOn,
        currency: this.orgCurrency,
        amountMinor: 50_000,
      })),
      pastPaid,
      effects: [],
      open: [],
      keys: new Set(),
      lastResponseAt: null,
    };
  }

  private schedule(at: number, debtor: number, run: () => void) {
    const item = { at, debtor, run, seq: this.seq++ };
    let index = this.queue.length;
    while (index > 0 && (this.queue[index - 1] as Scheduled).at > at) index--;
    this.queue.splice(index, 0, item);
  }

  private runUntil(ms: number) {
    while (this.queue.length > 0 && (this.queue[0] as Scheduled).at <= ms) {
      const item = this.queue.shift() as Scheduled;
      this.touched.add(item.debtor);
      this.counts.events += 1;
      item.run();
    }
  }

  /** The organisation's calendar date at `ms`. */
  orgDate(ms: number): string {
    return momentAt(ms, this.orgTimeZone).date;
  }

  // ---------------------------------------------------------------- the ledger

  owing = (invoice: Invoice) => invoice.arrived && invoice.status === 'open' && invoice.balanceMinor > 0;
  /** Owed and in the schedule (not referred or written off): what load-snapshots reads. */
  chased = (invoice: Invoice) => this.owing(invoice) && invoice.hold === null;

  private pay(debtor: Debtor, invoice: Invoice, amountMinor: number, ms: number) {
    if (!this.owing(invoice) || amountMinor <= 0) return;
    const amount = Math.min(amountMinor, invoice.balanceMinor);
    invoice.balanceMinor -= amount;
    invoice.parts += 1;
    const paidOn = this.orgDate(ms);
    invoice.lastPaidOn = paidOn;
    debtor.payments.push({ paidOn, currency: invoice.currency, amountMinor: amount });
    if (invoice.balanceMinor === 0) this.close(invoice, 'paid', ms);
  }

  private close(invoice: Invoice, status: 'paid' | 'voided', ms: number) {
    invoice.status = status;
    invoice.balanceMinor = 0;
    invoice.closedAt = new Date(ms).toISOString();
  }

  /** Pays `amount` across invoices, oldest due first (a payment on account spread by the ledger). */
  private payAcross(debtor: Debtor, ids: string[], amountMinor: number, ms: number) {
    let left = amountMinor;
    const invoices = debtor.invoices
      .filter((invoice) => ids.includes(invoice.id) && this.owing(invoice))
      .sort((a, b) => (a.dueDate < b.dueDate ? -1 : 1));
    for (const invoice of invoices) {
      if (left <= 0) break;
      const part = Math.min(left, invoice.balanceMinor);
      this.pay(debtor, invoice, part, ms);
      left -= part;
    }
  }

  private apply(debtor: Debtor, event: EventSpec, ms: number) {
    const at = new Date(ms).toISOString();
    const today = this.orgDate(ms);
    const pick = (index: number) => debtor.invoices[index % debtor.invoices.length] as Invoice;
    const disputed = (invoice: Invoice) =>
      debtor.disputes.some((dispute) => dispute.status === 'open' && dispute.invoiceIds.includes(invoice.id));
    const overdueChased = () =>
      debtor.invoices.filter(
        (invoice) => this.chased(invoice) && invoice.dueDate < today && !disputed(invoice),
      );
    switch (event.kind) {
      case 'pay': {
        const invoice = pick(event.invoice);
        if (!this.owing(invoice)) return;
        this.pay(debtor, invoice, paymentAmount(invoice.balanceMinor, event.fraction), ms);
        return;
      }
      case 'void': {
        const invoice = pick(event.invoice);
        if (invoice.arrived && invoice.status === 'open') this.close(invoice, 'voided', ms);
        return;
      }
      case 'credit': {
        const currency =
          debtor.spec.currencies[event.currency % debtor.spec.currencies.length] ?? this.orgCurrency;
        debtor.credits.set(currency, (debtor.credits.get(currency) ?? 0) + event.amountMinor);
        return;
      }
      case 'dispute': {
        const invoices = event.all
          ? debtor.invoices.filter((invoice) => this.chased(invoice) && !disputed(invoice))
          : [pick(event.invoice)].filter((invoice) => this.chased(invoice) && !disputed(invoice));
        if (invoices.length === 0) return;
        debtor.disputes.push({
          invoiceIds: invoices.map((invoice) => invoice.id),
          status: 'open',
          openedAt: at,
        });
        debtor.lastResponseAt = at;
        return;
      }
      case 'resolve': {
        const dispute = debtor.disputes.find((candidate) => candidate.status === 'open');
        if (dispute) dispute.status = 'resolved';
        return;
      }
      case 'promise': {
        const invoices = event.all
          ? overdueChased()
          : [pick(event.invoice)].filter((invoice) => this.chased(invoice) && !disputed(invoice));
        if (invoices.length === 0) return;
        const promisedDate = addDays(today, event.daysAhead);
        debtor.promises.push({
          invoiceIds: invoices.map((invoice) => invoice.id),
          promisedDate,
          status: 'open',
          madeAt: at,
          resolvedAt: null,
        });
        debtor.lastResponseAt = at;
        if (event.keep) {
          const ids = invoices.map((invoice) => invoice.id);
          this.schedule(ms + Math.max(hourMs, event.daysAhead * 12 * hourMs), debtor.index, () => {
            for (const invoice of debtor.invoices)
              if (ids.includes(invoice.id))
                this.pay(
                  debtor,
                  invoice,
                  invoice.balanceMinor,
                  ms + Math.max(hourMs, event.daysAhead * 12 * hourMs),
                );
          });
        }
        return;
      }
      case 'plan': {
        if (debtor.plans.some((candidate) => candidate.status === 'active')) return;
        const overdue = overdueChased();
        const currency = overdue[0]?.currency;
        const covered = overdue.filter((invoice) => invoice.currency === currency);
        const balance = covered.reduce((sum, invoice) => sum + invoice.balanceMinor, 0);
        if (covered.length === 0 || balance < event.count) return;
        const proposal = proposePlan({
          balanceMinor: balance,
          count: event.count,
          firstDate: addDays(today, event.firstInDays),
          today,
          limits: this.policy.arrangements,
        });
        const ids = covered.map((invoice) => invoice.id);
        debtor.plans.push({
          invoiceIds: ids,
          currency: currency as string,
          installments: proposal.installments,
          startBalanceMinor: balance,
          status: 'active',
          madeAt: at,
          resolvedAt: null,
        });
        debtor.lastResponseAt = at;
        for (const installment of proposal.installments.slice(0, event.kept)) {
          const payAt = Date.parse(`${installment.dueDate}T00:00:00Z`) + 2 * hourMs;
          this.schedule(Math.max(ms + hourMs, payAt), debtor.index, () =>
            this.payAcross(debtor, ids, installment.amountMinor, Math.max(ms + hourMs, payAt)),
          );
        }
        return;
      }
      case 'bounce': {
        const contact = debtor.contacts[event.contact % Math.max(1, debtor.contacts.length)];
        if (contact) contact.bounced = true;
        return;
      }
      case 'optOut':
        debtor.optedOut = true;
        return;
      case 'stopTexts':
        debtor.textsStoppedAt ??= ms;
        return;
      case 'decide': {
        const flag = debtor.open.find((effect) => effect.kind === 'flag');
        if (flag?.action.kind !== 'flag') return;
        this.settle(debtor, flag, event.approve ? 'approved' : 'rejected');
        if (!event.approve) return;
        const kinds = flag.action.flags;
        const choice = kinds[event.choice % kinds.length];
        const ids = flag.steps.map((entry) => entry.invoiceId);
        const owed = debtor.invoices.filter((invoice) => ids.includes(invoice.id) && this.chased(invoice));
        if (choice === 'agency_referral' || choice === 'write_off') {
          for (const invoice of owed) {
            invoice.hold = choice;
            invoice.heldAt = ms;
          }
          return;
        }
        const byCurrency = new Map<string, Invoice[]>();
        for (const invoice of owed)
          byCurrency.set(invoice.currency, [...(byCurrency.get(invoice.currency) ?? []), invoice]);
        for (const [currency, group] of byCurrency) {
          const start = group.reduce((sum, invoice) => sum + invoice.balanceMinor, 0);
          const offer = start - Math.round(start * this.policy.recovery.settlementDiscount);
          const settlement: Settlement = {
            id: `st${String(this.seq++).padStart(6, '0')}-${debtor.id}`,
            invoiceIds: group.map((invoice) => invoice.id),
            currency,
            startBalanceMinor: start,
            offerMinor: offer,
            payBy: addDays(today, this.policy.arrangements.settlementPayWithinDays),
            status: 'offered',
          };
          debtor.settlements.push(settlement);
          if (event.settlementPays)
            this.schedule(ms + 3 * dayMs, debtor.index, () =>
              this.payAcross(debtor, settlement.invoiceIds, settlement.offerMinor, ms + 3 * dayMs),
            );
        }
        return;
      }
    }
  }

  /** A person made the call or posted the letter: a contact from now, on every count. */
  private madeOrPosted(debtor: Debtor, effect: Effect, ms: number) {
    this.settle(debtor, effect, 'closed');
    this.counts[effect.kind === 'call' ? 'calls' : 'letters'] += 1;
    effect.sentAt = new Date(ms).toISOString();
    this.lastSent.set(debtor.index, ms);
    const rung = ladderOfPolicy(this.enginePolicy).findIndex((step) => step.key === effect.action.stepKey);
    if (rung === this.lastRung) this.finalSent.set(debtor.index, ms);
    this.observer.reached(this, debtor, effect, ms);
  }

  /** A person closes a task or decides a flag. */
  private settle(debtor: Debtor, effect: Effect, status: Effect['status']) {
    effect.status = status;
    debtor.open = debtor.open.filter((candidate) => candidate !== effect);
    this.touched.add(debtor.index);
  }

  // ---------------------------------------------------------------- arrangements (reconcile.ts)

  /** What each invoice still owes as the reconciler reads it (held ones included). */
  private stillOwed(debtor: Debtor, ids: string[]) {
    return debtor.invoices
      .filter((invoice) => ids.includes(invoice.id))
      .reduce((sum, invoice) => sum + (invoice.status === 'open' ? Math.max(0, invoice.balanceMinor) : 0), 0);
  }

  private reconcile(ms: number) {
    const today = dayNumber(this.orgDate(ms));
    const grace = this.policy.promiseGraceDays;
    const lapsed = (date: string) => today > dayNumber(date) + grace;
    const at = new Date(ms).toISOString();
    for (const debtor of this.debtors) {
      for (const promise of debtor.promises) {
        if (promise.status !== 'open') continue;
        const paidInFull = this.stillOwed(debtor, promise.invoiceIds) === 0;
        if (!paidInFull && !lapsed(promise.promisedDate)) continue;
        promise.status = paidInFull ? 'kept' : 'broken';
        promise.resolvedAt = at;
        this.touched.add(debtor.index);
      }
      for (const arrangement of debtor.plans) {
        if (arrangement.status !== 'active') continue;
        const progress = planProgress(
          arrangement.installments,
          arrangement.startBalanceMinor - this.stillOwed(debtor, arrangement.invoiceIds),
        );
        const open = debtor.invoices.filter(
          (invoice) => arrangement.invoiceIds.includes(invoice.id) && this.owing(invoice),
        );
        if (progress.complete || open.length === 0) {
          arrangement.status = 'completed';
          arrangement.resolvedAt = at;
          this.touched.add(debtor.index);
        } else if (lapsed(progress.next.dueDate)) {
          arrangement.status = 'broken';
          arrangement.resolvedAt = at;
          this.touched.add(debtor.index);
        }
      }
      for (const offer of debtor.settlements) {
        if (offer.status !== 'offered') continue;
        const paid = offer.startBalanceMinor - this.stillOwed(debtor, offer.invoiceIds);
        const settled = paid >= offer.offerMinor;
        if (!settled && !lapsed(offer.payBy)) continue;
        offer.status = settled ? 'paid' : 'expired';
        this.touched.add(debtor.index);
        // The rest is credited in the ledger: the invoices close.
        if (settled)
          for (const invoice of debtor.invoices)
            if (offer.invoiceIds.includes(invoice.id) && this.owing(invoice)) this.close(invoice, 'paid', ms);
      }
    }
  }

  // ---------------------------------------------------------------- snapshots (load-snapshots.ts)

  /** The debtor as `loadSnapshots` would read it at `ms`, or null when it owes nothing chased. */
  snapshotOf(debtor: Debtor, _ms: number): DebtorSnapshot | null {
    const open = debtor.invoices.filter(
      (invoice) => invoice.arrived && invoice.status === 'open' && invoice.hold === null,
    );
    if (!open.some((invoice) => invoice.balanceMinor > 0)) return null;
    const balances = new Map(open.map((invoice) => [invoice.id, invoice.balanceMinor]));
    const contacts: PastContact[] = [];
    for (const effect of debtor.effects) {
      if (effect.steps.length === 0) continue;
      const contact: PastContact = {
        at: effect.sentAt ?? effect.takenAt,
        kind: effect.kind,
        steps: effect.steps.map((entry) => ({ ...entry })),
      };
      if (effect.kind === 'email' && effect.status === 'pending') contact.unsent = true;
      if (effect.kind !== 'email' && effect.status === 'open') contact.open = true;
      if ((effect.kind === 'call' || effect.kind === 'letter') && effect.status === 'rejected')
        contact.dismissed = true;
      contacts.push(contact);
    }
    const newestPlan = debtor.plans.at(-1);
    let planHistory: DebtorSnapshot['history']['plan'] = null;
    if (newestPlan) {
      const owedNow = newestPlan.invoiceIds.reduce((sum, id) => sum + (balances.get(id) ?? 0), 0);
      const progress = planProgress(newestPlan.installments, newestPlan.startBalanceMinor - owedNow);
      planHistory = {
        status: newestPlan.status,
        invoiceIds: newestPlan.invoiceIds,
        nextInstallment: progress.next ? { ...progress.next, currency: newestPlan.currency } : null,
        brokenAt: newestPlan.status === 'broken' ? newestPlan.resolvedAt : null,
        madeAt: newestPlan.madeAt,
      };
    }
    const inOrgCurrency = debtor.payments.filter((payment) => payment.currency === this.orgCurrency);
    const paidInvoices = [
      ...debtor.pastPaid,
      ...debtor.invoices
        .filter((invoice) => invoice.status === 'paid' && invoice.lastPaidOn !== null)
        .map((invoice) => ({
          dueDate: invoice.dueDate,
          paidOn: invoice.lastPaidOn as string,
          partPayments: Math.max(1, invoice.parts),
        })),
    ];
    return {
      orgId: 'org',
      customerId: debtor.id,
      customerName: `Debtor ${debtor.index}`,
      orgTimeZone: this.orgTimeZone,
      debtorTimeZone: debtor.timeZone,
      orgCountry: this.orgCountry,
      debtorCountry: debtor.country,
      orgCurrency: this.orgCurrency,
      credits: [...debtor.credits]
        .filter(([, amount]) => amount > 0)
        .map(([currency, amountMinor]) => ({ currency, amountMinor })),
      invoices: open.map((invoice) => ({
        id: invoice.id,
        number: invoice.number,
        currency: invoice.currency,
        balanceMinor: invoice.balanceMinor,
        totalMinor: invoice.totalMinor,
        dueDate: invoice.dueDate,
        status: 'open',
        billEmail: invoice.billEmail,
      })),
      contacts: debtor.contacts.map((contact) => ({ ...contact })),
      history: {
        contacts,
        // As load-snapshots reads them: closed, or held by an approved flag (then closed when it was held,
        // the earlier of the two).
        closedInvoices: debtor.invoices.flatMap((invoice) => {
          const held = invoice.heldAt === null ? null : new Date(invoice.heldAt).toISOString();
          const closedAt =
            invoice.closedAt !== null && held !== null
              ? Date.parse(invoice.closedAt) < Date.parse(held)
                ? invoice.closedAt
                : held
              : (invoice.closedAt ?? held);
          return closedAt ? [{ dueDate: invoice.dueDate, closedAt }] : [];
        }),
        paidInvoices,
        payments: debtor.payments.map((payment) => ({ paidOn: payment.paidOn })),
        promises: debtor.promises.map((promise) => ({
          invoiceIds: promise.invoiceIds,
          promisedDate: promise.promisedDate,
          status: promise.status,
          madeOn: promise.madeAt.slice(0, 10),
          resolvedAt: promise.resolvedAt,
        })),
        plan: planHistory,
        settlements: debtor.settlements
          .filter((offer) => offer.status === 'offered')
          .map((offer) => ({
            id: offer.id,
            invoiceIds: offer.invoiceIds,
            amountMinor: offer.offerMinor,
            currency: offer.currency,
            payBy: offer.payBy,
          })),
        disputes: debtor.disputes.map((dispute) => ({
          invoiceIds: dispute.invoiceIds,
          status: dispute.status,
          openedOn: dispute.openedAt.slice(0, 10),
        })),
        lastResponseAt: debtor.lastResponseAt,
        optedOut: debtor.optedOut,
        lifetimePaidMinor: inOrgCurrency.reduce((sum, payment) => sum + payment.amountMinor, 0),
        firstInvoiceDate: inOrgCurrency.map((payment) => payment.paidOn).sort()[0] ?? null,
      },
      overrides: {},
      ...(textable(debtor) ? { textable: true } : {}),
    };
  }

  // ---------------------------------------------------------------- the step

  /**
   * Whether planning this debtor now could decide anything new. `plan` reads its snapshot and, of the
   * clock, only: the organisation's date, the debtor's local date (weekday, holidays) and whether the
   * hour is inside the sending window, whether the contact cap has run out, and whether the final
   * notice's grace has passed. Between changes of these, and with nothing happened to the debtor,
   * it decides the same: those hours are skipped.
   */
  private due(debtor: Debtor, ms: number, touched: boolean): boolean {
    const window = this.policy.sendingWindow;
    const local = momentAt(ms, debtor.timeZone ?? this.orgTimeZone);
    const sent = this.lastSent.get(debtor.index);
    const final = this.finalSent.get(debtor.index);
    const key =
      `${this.orgDate(ms)}|${local.date}|${local.hour >= window.startHour && local.hour < window.endHour}|` +
      `${sent === undefined || ms >= sent + this.enginePolicy.minDaysBetweenContacts * dayMs}|` +
      `${final === undefined || ms >= final + this.enginePolicy.finalNoticeGraceDays * dayMs}`;
    if (!touched && this.planKeys.get(debtor.index) === key) return false;
    this.planKeys.set(debtor.index, key);
    return true;
  }
  private readonly planKeys = new Map<number, string>();
  private readonly lastSent = new Map<number, number>();
  private readonly finalSent = new Map<number, number>();

  step(hour: number) {
    const planAt = this.startMs + hour * hourMs;
    const sendAt = planAt + 15 * 60_000;
    this.runUntil(planAt);
    if (hour >= this.nextArrival) {
      this.nextArrival = Number.POSITIVE_INFINITY;
      for (const debtor of this.debtors)
        for (const invoice of debtor.invoices) {
          if (!invoice.arrived && invoice.arrivesHour <= hour) {
            invoice.arrived = true;
            this.touched.add(debtor.index);
          }
          if (!invoice.arrived) this.nextArrival = Math.min(this.nextArrival, invoice.arrivesHour);
        }
    }
    // A person deals with a task within two days, and makes a call or posts a letter then too
    // (one debtor in five: the call is never made, set aside instead).
    for (const debtor of this.debtors)
      for (const effect of debtor.open) {
        if (Date.parse(effect.takenAt) > planAt - 48 * hourMs) continue;
        if (effect.kind === 'task') this.settle(debtor, effect, 'closed');
        else if (effect.kind === 'call' && debtor.index % 5 === 4) this.settle(debtor, effect, 'rejected');
        else if (effect.kind === 'call' || effect.kind === 'letter')
          this.madeOrPosted(debtor, effect, planAt);
      }
    this.reconcile(planAt);
    this.observer.observe(this, planAt);
    const now = new Date(planAt);
    const touched = this.touched;
    this.touched = new Set();
    const queued: Array<{ debtor: Debtor; effect: Effect }> = [];
    for (const debtor of this.debtors) {
      if (!this.due(debtor, planAt, touched.has(debtor.index))) continue;
      const loaded = this.snapshotOf(debtor, planAt);
      if (!loaded) continue;
      const snapshot = this.view(loaded);
      this.counts.plans += 1;
      const result = this.engine(snapshot, this.enginePolicy, now);
      for (const action of result.actions) {
        if (debtor.keys.has(action.idempotencyKey)) continue;
        debtor.keys.add(action.idempotencyKey);
        const effect: Effect = {
          key: action.idempotencyKey,
          kind: action.kind === 'task' && action.channel ? action.channel : action.kind,
          action,
          steps: action.invoiceSteps.map((entry) => ({ ...entry })),
          takenAt: now.toISOString(),
          status: action.kind === 'email' ? 'pending' : 'open',
          sentAt: null,
          listed: [],
          totals: {},
        };
        debtor.effects.push(effect);
        this.touched.add(debtor.index);
        if (action.kind === 'email') {
          this.counts.planned += 1;
          queued.push({ debtor, effect });
        } else {
          debtor.open.push(effect);
          this.counts[action.kind === 'task' ? 'tasks' : 'flags'] += 1;
          this.observer.raised(this, debtor, effect, planAt);
        }
      }
    }
    this.runUntil(sendAt);
    if (queued.length > 0) {
      this.reconcile(sendAt);
      this.observer.observe(this, sendAt);
      for (const { debtor, effect } of queued) this.deliver(debtor, effect, sendAt);
    }
    this.counts.steps += 1;
    this.observer.afterStep(this, planAt);
  }

  /** deliver-message.ts + render-queued-message.ts: re-read, drop what is settled, list afresh, send or cancel. */
  private deliver(debtor: Debtor, effect: Effect, ms: number) {
    if (effect.action.kind !== 'email') return;
    this.touched.add(debtor.index);
    const cancel = () => {
      effect.status = 'cancelled';
      effect.steps = [];
      this.counts.cancelled += 1;
    };
    const byId = new Map(debtor.invoices.map((invoice) => [invoice.id, invoice]));
    const settled = (id: string) => {
      const invoice = byId.get(id);
      return invoice?.status !== 'open' || invoice.balanceMinor <= 0;
    };
    if (effect.steps.every((entry) => settled(entry.invoiceId))) return cancel();
    effect.steps = effect.steps.filter((entry) => !settled(entry.invoiceId));
    const loaded = this.snapshotOf(debtor, ms);
    if (!loaded) return cancel();
    const snapshot = this.view(loaded);
    const action = effect.action;
    const onLadder = action.rung !== null || action.template === 'plan-offer';
    let listed: SnapshotInvoice[];
    if (onLadder) {
      const today = dayNumber(localMoment(new Date(ms), snapshot.orgTimeZone).date);
      listed = this.render(rungInvoicesAtSending(snapshot, this.policy, today));
    } else {
      const ids = new Set(effect.steps.map((entry) => entry.invoiceId));
      listed = snapshot.invoices.filter((invoice) => ids.has(invoice.id));
    }
    if (listed.length === 0) return cancel();
    // As delivery does: the text to a consented number not stopped; the email when the reminder asks
    // for one or its text cannot go; nothing when neither can.
    effect.texted = action.via !== 'email' && textable(debtor);
    effect.emailed = action.via !== 'text' || !effect.texted;
    if (effect.emailed && action.to.length === 0) return cancel();
    if (effect.texted) this.counts.texts += 1;
    effect.status = 'sent';
    effect.sentAt = new Date(ms).toISOString();
    this.lastSent.set(debtor.index, ms);
    if (action.rung === this.lastRung) this.finalSent.set(debtor.index, ms);
    effect.listed = listed.map((invoice) => ({
      id: invoice.id,
      currency: invoice.currency,
      balanceMinor: invoice.balanceMinor,
    }));
    effect.totals = {};
    for (const invoice of listed)
      effect.totals[invoice.currency] = (effect.totals[invoice.currency] ?? 0) + invoice.balanceMinor;
    this.counts.sent += 1;
    this.observer.sent(this, debtor, effect, ms);
  }

  run(hours = simHours) {
    for (let hour = 0; hour < hours; hour++) this.step(hour);
  }
}

/** A debtor whose number may be texted: consent on record, no STOP. */
export const textable = (debtor: Debtor) => debtor.textConsent && debtor.textsStoppedAt === null;
