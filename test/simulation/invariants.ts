/**
 * The engine's promises, checked after every step with bookkeeping of our own (not the engine's):
 * journeys, holds, the ladder and the sending rules are worked out here from the world's state.
 *
 * A journey of a debtor is a maximal run of days (in the organisation's zone), up to today, on each of
 * which some invoice was overdue and owed: an invoice counts from the day after its due date until the
 * day it closed or was held by an approved flag (that day not included). Worked out here from the
 * world's own record of every invoice, not from the engine's snapshot.
 */

import { isPublicHoliday } from '../../src/domain/holidays.js';
import { dayNumber } from '../../src/domain/local-time.js';
import { type Policy, type Step, type Tone, toneRank } from '../../src/domain/policy.js';
import {
  type Debtor,
  type Effect,
  type Invoice,
  ladderOfPolicy,
  momentAt,
  type Observer,
  type World,
} from './world.js';

export { ladderOfPolicy };

export interface Violation {
  invariant: 1 | 2 | 3 | 4 | 5;
  debtor: string;
  at: string;
  message: string;
  /** A known engine bug this violation is an instance of (see knownBugs), if any. */
  known?: string;
}

/** Engine bugs found by the simulator and reported to the lead, with their minimal reproductions in regressions.test.ts. */
/**
 * Engine bugs the simulator found and that are not fixed yet, by name: a violation that is an instance
 * of one is labelled with it. Empty: the two it found (an invoice held by an approved flag restarting
 * or stretching the journey) were fixed in load-snapshots, and their cases are kept in regressions.test.ts.
 */
export const knownBugs: Record<string, string> = {};

interface Journey {
  startedAt: number;
  /** The journey's first day (a day number in the organisation's zone). */
  startDay: number;
  /** The rung of the journey's last contact, null before the first. */
  lastRung: number | null;
  lastContactAt: string | null;
  demandSent: boolean;
  finalSentAt: number | null;
}

const hourMs = 3_600_000;
export class Invariants implements Observer {
  readonly violations: Violation[] = [];
  checks = 0;
  contacts = 0;
  journeyContacts = 0;
  journeysStarted = 0;
  private readonly journeys = new Map<number, Journey>();
  private readonly lastSent = new Map<number, number>();
  private ladder: Step[] = [];
  private policy: Policy | null = null;

  /** The policy the invariants hold the engine to (by default the company's). */
  constructor(private readonly promised?: (policy: Policy) => Policy) {}

  private setUp(world: World) {
    if (this.policy) return;
    this.policy = this.promised ? this.promised(world.policy) : world.policy;
    this.ladder = ladderOfPolicy(this.policy);
  }

  private fail(invariant: Violation['invariant'], debtor: Debtor, ms: number, message: string) {
    const violation: Violation = { invariant, debtor: debtor.id, at: new Date(ms).toISOString(), message };
    this.violations.push(violation);
  }

  private check(
    invariant: Violation['invariant'],
    ok: boolean,
    debtor: Debtor,
    ms: number,
    message: () => string,
  ) {
    this.checks += 1;
    if (!ok) this.fail(invariant, debtor, ms, message());
  }

  private overdue(world: World, invoice: Invoice, today: string) {
    return world.chased(invoice) && invoice.dueDate < today;
  }

  /** What holds an owed invoice now: an open dispute, a pending promise, an active plan, an open settlement. */
  private holdOf(_world: World, debtor: Debtor, invoice: Invoice, today: number): string | null {
    const grace = (this.policy as Policy).promiseGraceDays;
    if (
      debtor.disputes.some((dispute) => dispute.status === 'open' && dispute.invoiceIds.includes(invoice.id))
    )
      return 'dispute';
    if (
      debtor.promises.some(
        (promise) =>
          promise.status === 'open' &&
          promise.invoiceIds.includes(invoice.id) &&
          today <= dayNumber(promise.promisedDate) + grace,
      )
    )
      return 'promise';
    const newest = debtor.plans.at(-1);
    if (newest?.status === 'active' && newest.invoiceIds.includes(invoice.id)) return 'plan';
    if (
      debtor.settlements.some(
        (offer) =>
          offer.status === 'offered' &&
          offer.invoiceIds.includes(invoice.id) &&
          today <= dayNumber(offer.payBy) + grace,
      )
    )
      return 'settlement';
    return null;
  }

  /** The first day of the debtor's journey today, from every invoice's true record; null when none is overdue now. */
  private journeyStartDay(world: World, debtor: Debtor, today: string): number | null {
    const todayNumber = dayNumber(today);
    const spans: Array<{ from: number; until: number }> = [];
    let start: number | null = null;
    for (const invoice of debtor.invoices) {
      if (!invoice.arrived) continue;
      const from = dayNumber(invoice.dueDate) + 1;
      const ends = [invoice.closedAt === null ? null : Date.parse(invoice.closedAt), invoice.heldAt].filter(
        (end): end is number => end !== null,
      );
      const until =
        ends.length === 0 ? Number.POSITIVE_INFINITY : dayNumber(world.orgDate(Math.min(...ends)));
      if (this.overdue(world, invoice, today) && (start === null || from < start)) start = from;
      if (from < until) spans.push({ from, until });
    }
    if (start === null || start > todayNumber) return null;
    for (let moved = true; moved; ) {
      moved = false;
      for (const span of spans)
        if (span.from < start && span.until >= start) {
          start = span.from;
          moved = true;
        }
    }
    return start;
  }

  private updateJourneys(world: World, ms: number) {
    const today = world.orgDate(ms);
    for (const debtor of world.debtors) {
      const startDay = this.journeyStartDay(world, debtor, today);
      if (startDay === null) this.journeys.delete(debtor.index);
      else if (this.journeys.get(debtor.index)?.startDay !== startDay) {
        this.journeysStarted += 1;
        this.journeys.set(debtor.index, {
          startedAt: ms,
          startDay,
          lastRung: null,
          lastContactAt: null,
          demandSent: false,
          finalSentAt: null,
        });
      }
    }
  }

  observe(world: World, ms: number) {
    this.setUp(world);
    this.updateJourneys(world, ms);
  }

  /** 1. The cap, across every channel: an email sent, a call made, a letter posted. */
  private contactMade(debtor: Debtor, ms: number) {
    const policy = this.policy as Policy;
    this.contacts += 1;
    const previous = this.lastSent.get(debtor.index);
    this.check(
      1,
      previous === undefined || ms - previous >= policy.minDaysBetweenContacts * 24 * hourMs,
      debtor,
      ms,
      () =>
        `two contacts ${((ms - (previous ?? 0)) / hourMs).toFixed(1)} h apart (cap ${policy.minDaysBetweenContacts} days)`,
    );
    this.lastSent.set(debtor.index, ms);
  }

  reached(world: World, debtor: Debtor, effect: Effect, ms: number) {
    this.setUp(world);
    this.contactMade(debtor, ms);
    const journey = this.journeys.get(debtor.index);
    const rung = this.ladder.findIndex((step) => step.key === effect.action.stepKey);
    if (journey && rung === this.ladder.length - 1) journey.finalSentAt ??= ms;
  }

  sent(world: World, debtor: Debtor, email: Effect, ms: number) {
    this.setUp(world);
    const policy = this.policy as Policy;
    const action = email.action;
    if (action.kind !== 'email') return;

    // 1. The cap, the sending hours and days in the debtor's zone, public holidays and closed days.
    this.contactMade(debtor, ms);
    const zone = debtor.timeZone ?? world.orgTimeZone;
    const local = momentAt(ms, zone);
    const window = policy.sendingWindow;
    this.check(
      1,
      window.weekdays.includes(local.weekday),
      debtor,
      ms,
      () => `sent on weekday ${local.weekday} in ${zone}`,
    );
    this.check(
      1,
      local.hour >= window.startHour && local.hour < window.endHour,
      debtor,
      ms,
      () => `sent at ${local.hour}:xx in ${zone}, outside ${window.startHour}–${window.endHour}`,
    );
    const country = debtor.country ?? world.orgCountry;
    this.check(
      1,
      !isPublicHoliday(country, local.date),
      debtor,
      ms,
      () => `sent on ${local.date}, a public holiday in ${country}`,
    );
    this.check(
      1,
      !policy.closedDays.includes(local.date),
      debtor,
      ms,
      () => `sent on ${local.date}, a closed day`,
    );
    // Texts: planned only for a number with consent on record that had not texted STOP, and going
    // inside texting hours on the debtor's clock. One reminder by email and text is one contact.
    // (The end-to-end tier reads reminders back from the outbox, where a reminder by email says nothing.)
    if ((action.via ?? 'email') !== 'email') {
      const stopped = debtor.textsStoppedAt !== null && debtor.textsStoppedAt <= Date.parse(email.takenAt);
      this.check(
        1,
        debtor.textConsent && !stopped,
        debtor,
        ms,
        () =>
          `${action.stepKey} planned by ${action.via} for a debtor ${stopped ? 'whose number texted STOP' : 'with no consent to texts on record'}`,
      );
    }
    if (email.texted)
      this.check(
        1,
        local.hour >= 8 && local.hour < 20,
        debtor,
        ms,
        () => `texted at ${local.hour}:xx in ${zone}, outside 8–20`,
      );

    // Nothing paid, voided, credited or taken out of the schedule is ever listed.
    const byId = new Map(debtor.invoices.map((invoice) => [invoice.id, invoice]));
    for (const entry of email.listed) {
      const invoice = byId.get(entry.id);
      this.check(
        2,
        invoice !== undefined && world.chased(invoice),
        debtor,
        ms,
        () =>
          `${action.stepKey} lists ${entry.id}, which is ${invoice?.status ?? 'unknown'}${invoice?.hold ? ` (${invoice.hold})` : ''} with balance ${invoice?.balanceMinor}`,
      );
      this.check(
        2,
        invoice !== undefined && entry.balanceMinor === invoice.balanceMinor,
        debtor,
        ms,
        () =>
          `${action.stepKey} lists ${entry.id} at ${entry.balanceMinor}, but it owes ${invoice?.balanceMinor}`,
      );
    }
    if (action.rung === null) return;
    this.journeyContacts += 1;

    // 2. A journey contact lists every open, overdue, unheld invoice, with the right totals.
    const todayIso = world.orgDate(ms);
    const today = dayNumber(todayIso);
    const holds = new Map(
      debtor.invoices.map((invoice) => [invoice.id, this.holdOf(world, debtor, invoice, today)]),
    );
    const expected = debtor.invoices.filter(
      (invoice) => this.overdue(world, invoice, todayIso) && holds.get(invoice.id) === null,
    );
    const listed = new Set(email.listed.map((entry) => entry.id));
    for (const invoice of expected)
      this.check(
        2,
        listed.has(invoice.id),
        debtor,
        ms,
        () =>
          `${action.stepKey} (rung ${action.rung}) leaves out ${invoice.id}, overdue since ${invoice.dueDate}`,
      );
    for (const entry of email.listed) {
      const hold = holds.get(entry.id);
      const invariant = hold === 'promise' || hold === 'plan' ? 5 : 2;
      this.check(
        invariant,
        !hold,
        debtor,
        ms,
        () => `${action.stepKey} (rung ${action.rung}) lists ${entry.id}, held by a ${hold}`,
      );
      const invoice = byId.get(entry.id);
      this.check(
        2,
        invoice !== undefined && invoice.dueDate < todayIso,
        debtor,
        ms,
        () => `${action.stepKey} lists ${entry.id}, not overdue (due ${invoice?.dueDate})`,
      );
    }
    const sums: Record<string, number> = {};
    for (const invoice of expected)
      sums[invoice.currency] = (sums[invoice.currency] ?? 0) + invoice.balanceMinor;
    this.check(
      2,
      JSON.stringify(Object.entries(sums).sort()) === JSON.stringify(Object.entries(email.totals).sort()),
      debtor,
      ms,
      () => `${action.stepKey} totals ${JSON.stringify(email.totals)}, owed ${JSON.stringify(sums)}`,
    );

    // 5. Never a journey contact when what is overdue, less credits, is not worth chasing.
    const worth = Object.entries(sums).some(([currency, amount]) => {
      const minimum = currency === world.orgCurrency ? policy.minimumBalanceMinor : 0;
      return amount - (debtor.credits.get(currency) ?? 0) > minimum;
    });
    this.check(
      5,
      worth,
      debtor,
      ms,
      () =>
        `${action.stepKey} sent, but overdue ${JSON.stringify(sums)} less credits ${JSON.stringify([...debtor.credits])} is at or below the minimum ${policy.minimumBalanceMinor}`,
    );

    this.rungTaken(debtor, { stepKey: action.stepKey, tone: action.tone, rung: action.rung }, ms, ms);
  }

  /**
   * 3. Rungs rise one at a time; the first is never harsher than allowed; demand and final once.
   * A call or letter takes its rung when it is asked for, and reaches the debtor when a person does it.
   */
  private rungTaken(
    debtor: Debtor,
    action: { stepKey: string; tone: Tone; rung: number },
    ms: number,
    reachedAt: number | null,
  ) {
    const policy = this.policy as Policy;
    const journey = this.journeys.get(debtor.index);
    this.check(
      3,
      journey !== undefined,
      debtor,
      ms,
      () => `${action.stepKey} (rung ${action.rung}) sent outside any journey`,
    );
    if (!journey) return;
    const step = this.ladder[action.rung];
    this.check(
      3,
      step !== undefined && step.key === action.stepKey && step.tone === action.tone,
      debtor,
      ms,
      () =>
        `rung ${action.rung} is "${action.stepKey}" (${action.tone}); the ladder says "${step?.key}" (${step?.tone})`,
    );
    if (journey.lastRung === null) {
      this.check(
        3,
        toneRank[action.tone] <= toneRank[policy.firstContactMaxTone],
        debtor,
        ms,
        () =>
          `the journey's first contact is ${action.tone} ("${action.stepKey}"), harsher than ${policy.firstContactMaxTone}`,
      );
    } else {
      const last = journey.lastRung;
      this.check(
        3,
        action.rung === last + 1,
        debtor,
        ms,
        () => `rung ${action.rung} ("${action.stepKey}") after rung ${last}`,
      );
      const since = journey.lastContactAt ?? '';
      const broken =
        debtor.promises.some(
          (promise) => promise.status === 'broken' && (promise.resolvedAt ?? '') > since,
        ) ||
        debtor.plans.some(
          (arrangement) => arrangement.status === 'broken' && (arrangement.resolvedAt ?? '') > since,
        );
      if (broken)
        this.check(
          5,
          action.rung === last + 1,
          debtor,
          ms,
          () => `after a broken promise or plan, rung ${action.rung} follows rung ${last}`,
        );
    }
    const isDemand = step?.template === 'formal';
    const isFinal = action.rung === this.ladder.length - 1;
    if (isDemand)
      this.check(3, !journey.demandSent, debtor, ms, () => 'a second formal demand in one journey');
    if (isFinal)
      this.check(3, journey.finalSentAt === null, debtor, ms, () => 'a second final notice in one journey');
    journey.lastRung = action.rung;
    journey.lastContactAt = new Date(ms).toISOString();
    if (isDemand) journey.demandSent = true;
    if (isFinal && reachedAt !== null) journey.finalSentAt = reachedAt;
  }

  raised(world: World, debtor: Debtor, effect: Effect, ms: number) {
    this.setUp(world);
    if (effect.kind === 'call' || effect.kind === 'letter') {
      const rung = this.ladder.findIndex((step) => step.key === effect.action.stepKey);
      this.check(
        3,
        rung >= 0,
        debtor,
        ms,
        () => `a ${effect.kind} at "${effect.action.stepKey}", not a rung`,
      );
      this.journeyContacts += 1;
      const tone = this.ladder[rung]?.tone ?? 'friendly';
      this.rungTaken(debtor, { stepKey: effect.action.stepKey, tone, rung }, ms, null);
      return;
    }
    if (effect.kind !== 'flag') return;
    // 4. No flag before the final notice went and its grace passed.
    const policy = this.policy as Policy;
    const journey = this.journeys.get(debtor.index);
    const finalAt = journey?.finalSentAt ?? null;
    this.check(
      4,
      finalAt !== null && ms >= finalAt + policy.finalNoticeGraceDays * 24 * hourMs,
      debtor,
      ms,
      () =>
        finalAt === null
          ? `flag "${effect.action.stepKey}" with no final notice in this journey`
          : `flag "${effect.action.stepKey}" ${((ms - finalAt) / hourMs).toFixed(1)} h after the final notice (grace ${policy.finalNoticeGraceDays} days)`,
    );
  }

  afterStep(world: World, ms: number) {
    this.setUp(world);
    this.updateJourneys(world, ms);
    for (const debtor of world.debtors) {
      let flags = 0;
      let addressTasks = 0;
      for (const effect of debtor.open) {
        if (effect.kind === 'flag' && effect.status === 'open') flags += 1;
        if (effect.kind === 'task' && effect.status === 'open' && effect.action.stepKey === 'find-address')
          addressTasks += 1;
      }
      this.check(4, flags <= 1, debtor, ms, () => `${flags} flags open at once`);
      this.check(
        4,
        addressTasks <= 1,
        debtor,
        ms,
        () => `${addressTasks} "find an address" tasks open at once`,
      );
    }
  }
}
