import { createHash } from 'node:crypto';
import { isClosedDay } from '../domain/holidays.js';
import {
  creditsFor,
  type InvoiceHold,
  journeyInvoices,
  journeyStartDay,
  journeyStartInstant,
  ladderOf,
  netOwedAboveMinimum,
  offLadderTemplates,
  owing,
  planActiveOn,
  planCovers,
  rungIndexOf,
  rungOfContact,
} from './journey.js';
import { dayNumber, isoDateOf, type LocalMoment, localMoment } from './local-time.js';
import { type FlagKind, type Policy, type Segment, type Step, type Tone, toneRank } from './policy.js';
import { classifyDebtor, type SegmentResult } from './segments.js';
import type { DebtorSnapshot, SnapshotContact, SnapshotInvoice } from './snapshot.js';

interface Planned {
  stepKey: string;
  /** The step each invoice in the action is at (a contact covers several invoices at their own steps). */
  invoiceSteps: Array<{ invoiceId: string; stepKey: string }>;
  /** Deterministic (organisation, debtor, step, invoice set): planning twice queues one effect. */
  idempotencyKey: string;
  why: string;
}

export type PlannedAction =
  | (Planned & {
      kind: 'email';
      /** The journey's rung it is (0 = the first rung after the due date); null off the ladder (heads-up, arrangements). */
      rung: number | null;
      tone: Tone;
      template: string;
      to: SnapshotContact[];
      cc: SnapshotContact[];
      requiresApproval: boolean;
      lateFeeNotice: boolean;
      brokenPromise: { promisedDate: string } | null;
    })
  | (Planned & { kind: 'task'; task: string })
  | (Planned & { kind: 'flag'; flags: FlagKind[]; daysOverdue: number; requiresApproval: true });

export interface PlanResult {
  actions: PlannedAction[];
  /** Why nothing (more) was planned: each guard that stopped something says so. */
  notes: string[];
  segment: SegmentResult;
  /** The first day the contact cap allows another message, when it is what stopped one. */
  nextContactOn: string | null;
}

const planOfferStep = (offsetDays: number): Step => ({
  key: 'plan-offer',
  offsetDays,
  action: 'email',
  template: 'plan-offer',
  tone: 'neutral',
  copyEscalationContacts: false,
  requiresApproval: false,
  lateFeeNotice: false,
});

const installmentStep = (number: number): Step => ({
  key: `installment-${number}`,
  offsetDays: 0,
  action: 'email',
  template: 'installment',
  tone: 'friendly',
  copyEscalationContacts: false,
  requiresApproval: false,
  lateFeeNotice: false,
});

const settlementStep = (settlementId: string): Step => ({
  key: `settlement-${settlementId.slice(0, 8)}`,
  offsetDays: 0,
  action: 'email',
  template: 'settlement',
  // A person approved the offer already: its tone must not send it for approval again.
  tone: 'neutral',
  copyEscalationContacts: false,
  requiresApproval: false,
  lateFeeNotice: false,
});

const scheduleCache = new WeakMap<object, Map<Segment, Step[]>>();

/** The schedule after the segment's shift, in offset order; cached per step list and segment. */
export function effectiveSteps(policy: Policy, baseSteps: Step[], segment: Segment): Step[] {
  let bySegment = scheduleCache.get(baseSteps);
  if (!bySegment) {
    bySegment = new Map();
    scheduleCache.set(baseSteps, bySegment);
  }
  const cached = bySegment.get(segment);
  if (cached) return cached;
  const adjustment = policy.segmentAdjustments[segment];
  const firstReminder = Math.min(
    ...baseSteps.filter((step) => step.offsetDays > 0).map((step) => step.offsetDays),
    1,
  );
  const steps = baseSteps.map((step) => {
    if (!adjustment) return step;
    if (step.action === 'flag') {
      const shift = adjustment.escalationShiftDays + adjustment.flagShiftDays;
      return { ...step, offsetDays: Math.max(firstReminder + 1, step.offsetDays + shift) };
    }
    if (step.offsetDays > firstReminder) {
      return {
        ...step,
        offsetDays: Math.max(firstReminder + 1, step.offsetDays + adjustment.escalationShiftDays),
      };
    }
    return step;
  });
  if (adjustment?.offerPlanAtDays) steps.push(planOfferStep(adjustment.offerPlanAtDays));
  steps.sort((a, b) => a.offsetDays - b.offsetDays);
  bySegment.set(segment, steps);
  return steps;
}

const moments = new Map<string, LocalMoment>();
/** Local time per zone at one instant, remembered: a batch plans many debtors in a few zones at one `now`. */
function momentIn(now: Date, timeZone: string): LocalMoment {
  const key = `${timeZone}|${now.getTime()}`;
  let moment = moments.get(key);
  if (!moment) {
    if (moments.size > 256) moments.clear();
    moment = localMoment(now, timeZone);
    moments.set(key, moment);
  }
  return moment;
}

function digestOf(parts: string[]): string {
  return createHash('sha256').update(parts.join(',')).digest('base64url').slice(0, 16);
}

/**
 * Deterministic (debtor, step, journey, invoice set): planning twice queues one effect. The debtor's
 * id leads: an evaluation goes through debtors in id order, so the outboxes' unique indexes grow at
 * a few places instead of at random ones (which costs far more at scale).
 */
function keyFor(snapshot: DebtorSnapshot, stepKey: string, journey: string, invoiceIds: string[]): string {
  return `${snapshot.customerId}:${stepKey}:${digestOf([journey, ...[...invoiceIds].sort()])}`;
}

/** One per debtor, step and journey, whatever the invoices: a flag or a task is raised once a journey. */
const onceKey = (snapshot: DebtorSnapshot, stepKey: string, journey: string) =>
  `${snapshot.customerId}:${stepKey}:j${journey}`;

/**
 * A promise or plan broken since `since` (an ISO timestamp, the journey's last contact): the journey
 * resumes at its next rung at once (not on that rung's day), and the message says what was broken.
 */
function brokenSince(history: DebtorSnapshot['history'], since: string): { promisedDate: string } | null {
  const promise = history.promises
    .filter((candidate) => candidate.status === 'broken' && (candidate.resolvedAt ?? '') >= since)
    .sort((a, b) => (a.promisedDate < b.promisedDate ? 1 : -1))[0];
  if (promise) return { promisedDate: promise.promisedDate };
  const arrangement = history.plan;
  if (arrangement?.status === 'broken' && (arrangement.brokenAt ?? '') >= since)
    return arrangement.nextInstallment ? { promisedDate: arrangement.nextInstallment.dueDate } : null;
  return null;
}

/** Which guards `plan` applies; the look-ahead of `nextStep` relaxes some to ask "on which day". */
export interface PlanOptions {
  /** Ignore the sending hours (weekdays and closed days still hold). */
  anyHour?: boolean;
  /** Ignore the contact cap, the sending hours, weekdays and closed days. */
  unguarded?: boolean;
}

const dayMs = 86_400_000;
const stepKeyOfAddressTask = 'find-address';
const stepKeyOfCreditTask = 'apply-credit';
const stepKeyOfOptOutTask = 'contact-another-way';

/**
 * The first instant from `now` at which the debtor's sending window is open (a sending day that is
 * not a holiday or closed day, within the hours), looking at most three weeks ahead; `now` when it is
 * open already. What a message approved by a person waits for.
 */
export function nextSendingInstant(snapshot: DebtorSnapshot, policy: Policy, now: Date): Date {
  if (windowClosed(snapshot, policy, now, {}) === null) return now;
  const hourMs = 3_600_000;
  // In quarter hours: every zone's offset is a whole number of them, so one step lands on the hour it opens.
  const quarterMs = 15 * 60_000;
  let at = Math.ceil(now.getTime() / quarterMs) * quarterMs;
  for (const until = now.getTime() + 21 * 24 * hourMs; at <= until; at += quarterMs)
    if (windowClosed(snapshot, policy, new Date(at), {}) === null) return new Date(at);
  return now;
}

/** Why the sending window holds a message now, in the debtor's zone, or null when it does not. */
function windowClosed(
  snapshot: DebtorSnapshot,
  policy: Policy,
  now: Date,
  options: PlanOptions,
): string | null {
  if (options.unguarded) return null;
  const local = momentIn(now, snapshot.debtorTimeZone ?? snapshot.orgTimeZone);
  const window = policy.sendingWindow;
  if (!window.weekdays.includes(local.weekday))
    return `outside the sending window (${window.startHour}:00–${window.endHour}:00 on working days, debtor's time)`;
  if (!options.anyHour && (local.hour < window.startHour || local.hour >= window.endHour))
    return `outside the sending window (${window.startHour}:00–${window.endHour}:00 on working days, debtor's time)`;
  if (isClosedDay(local.date, snapshot.debtorCountry ?? snapshot.orgCountry ?? null, policy.closedDays))
    return `${local.date} is a public holiday or a closed day where the debtor is: no contact`;
  return null;
}

/** Where to send: the invoices' own bill-to addresses, else the customer's billing contacts. */
function recipientsFor(snapshot: DebtorSnapshot, covered: SnapshotInvoice[]): SnapshotContact[] {
  const bounced = new Set(
    snapshot.contacts.filter((contact) => contact.bounced).map((contact) => contact.email),
  );
  const billTo: SnapshotContact[] = [];
  for (const invoice of covered) {
    const email = invoice.billEmail;
    if (!email || bounced.has(email) || billTo.some((contact) => contact.email === email)) continue;
    const known = snapshot.contacts.find((contact) => contact.email === email);
    billTo.push({ email, name: known?.name ?? null, role: 'billing', bounced: false });
  }
  if (billTo.length > 0) return billTo;
  return snapshot.contacts.filter((contact) => contact.role === 'billing' && !contact.bounced);
}

/**
 * Decides what is due now for one debtor, who walks one ladder (not one per invoice): at most one
 * contact, at the journey's next rung, covering every overdue invoice that is chased; a flag after
 * the final notice and its grace; tasks for a person — or nothing, with why. Pure: no database, no
 * clock; `now` is given.
 */
export function plan(
  snapshot: DebtorSnapshot,
  policy: Policy,
  now: Date,
  options: PlanOptions = {},
): PlanResult {
  const notes: string[] = [];
  const today = momentIn(now, snapshot.orgTimeZone).date;
  const todayNumber = dayNumber(today);
  const { history, overrides } = snapshot;
  const segment = classifyDebtor(history, snapshot.contacts, today, overrides.segment);
  const actions: PlannedAction[] = [];
  let nextContactOn: string | null = null;
  const result = (): PlanResult => {
    if (actions.length === 0 && notes.length === 0)
      notes.push(snapshot.invoices.some(owing) ? 'nothing due today' : 'nothing is owed');
    return { actions, notes, segment, nextContactOn };
  };

  if (overrides.excluded || overrides.doNotContact) {
    notes.push(
      overrides.doNotContact
        ? 'a person set this customer to do-not-contact'
        : 'a person excluded this customer',
    );
    return result();
  }

  const steps = effectiveSteps(policy, overrides.steps ?? policy.steps, segment.segment);
  const ladder = ladderOf(steps);
  const indexes = rungIndexOf(ladder);
  const invoicesNow = journeyInvoices(snapshot, policy, todayNumber);
  for (const { invoice, hold } of invoicesNow.held)
    notes.push(`invoice ${invoice.number ?? invoice.id}: ${holdNote[hold]}`);

  const startDay = journeyStartDay(snapshot, todayNumber, indexes);
  const journey = startDay === null ? '' : isoDateOf(startDay);
  const journeyFrom = startDay === null ? null : journeyStartInstant(startDay, snapshot.orgTimeZone);

  // What the journey has done so far, and what every contact says about the cap.
  let rung = -1;
  let lastJourneyContact = '';
  let finalSentAt: string | null = null;
  let lastSent = '';
  const headsUpKeys = headsUpKeysOf(steps);
  let waiting = false;
  let openFlag = false;
  let openAddressTask = false;
  let openCreditTask = false;
  let openOptOutTask = false;
  const doneInJourney = new Set<string>();
  const headsUpDone = new Set<string>();
  const lastRung = ladder.length - 1;
  for (const contact of history.contacts) {
    if (contact.kind === 'email') {
      if (contact.unsent) waiting = true;
      else if (contact.at > lastSent) lastSent = contact.at;
      for (const entry of contact.steps) if (headsUpKeys.has(entry.stepKey)) headsUpDone.add(entry.invoiceId);
    } else if (contact.open) {
      const key = contact.steps[0]?.stepKey;
      if (contact.kind === 'flag') openFlag = true;
      else if (key === stepKeyOfAddressTask) openAddressTask = true;
      else if (key === stepKeyOfCreditTask) openCreditTask = true;
      else if (key === stepKeyOfOptOutTask) openOptOutTask = true;
    }
    if (journeyFrom === null || contact.at < journeyFrom) continue;
    for (const entry of contact.steps) doneInJourney.add(entry.stepKey);
    if (contact.kind !== 'email') continue;
    const contactRung = rungOfContact(contact, indexes);
    if (contactRung < 0) continue;
    if (contactRung > rung) rung = contactRung;
    if (contact.at > lastJourneyContact) lastJourneyContact = contact.at;
    if (contactRung === lastRung && !contact.unsent && (finalSentAt === null || contact.at < finalSentAt))
      finalSentAt = contact.at;
  }

  const overdue = invoicesNow.overdue;
  const lead = overdue.reduce<SnapshotInvoice | null>(
    (most, invoice) => (most === null || invoice.dueDate < most.dueDate ? invoice : most),
    null,
  );
  const leadDays = lead ? todayNumber - dayNumber(lead.dueDate) : 0;
  const worthChasing = overdue.length > 0 && netOwedAboveMinimum(snapshot, policy, overdue);
  if (overdue.length > 0 && !worthChasing) {
    notes.push('what is overdue, less the credit available, is not worth chasing: nothing is sent');
    if (!openCreditTask && creditsFor(snapshot, overdue).length > 0)
      actions.push({
        kind: 'task',
        task: 'Apply the available credit to the open invoices in the ledger',
        stepKey: stepKeyOfCreditTask,
        invoiceSteps: overdue.map((invoice) => ({ invoiceId: invoice.id, stepKey: stepKeyOfCreditTask })),
        idempotencyKey: onceKey(snapshot, stepKeyOfCreditTask, journey || today),
        why: 'the customer has credit that covers what is overdue',
      });
  }

  // The one email this debtor may get now: an arrangement's, else the journey's next rung, else a heads-up.
  let email: {
    step: Step;
    covered: SnapshotInvoice[];
    why: string;
    rung: number | null;
    brokenPromise: { promisedDate: string } | null;
  } | null = null;
  const settlement = history.settlements?.find(
    (offer) =>
      todayNumber <= dayNumber(offer.payBy) + policy.promiseGraceDays &&
      !doneAny(history, settlementStep(offer.id).key),
  );
  const planActive = planActiveOn(snapshot, policy, todayNumber);
  const installment = planActive ? history.plan?.nextInstallment : null;
  if (settlement) {
    const covered = snapshot.invoices.filter(
      (invoice) => owing(invoice) && settlement.invoiceIds.includes(invoice.id),
    );
    if (covered.length > 0)
      email = {
        step: settlementStep(settlement.id),
        covered,
        why: `settlement offer approved: pay by ${settlement.payBy}`,
        rung: null,
        brokenPromise: null,
      };
  }
  if (
    !email &&
    installment &&
    todayNumber >= dayNumber(installment.dueDate) - policy.arrangements.installmentReminderDays
  ) {
    const step = installmentStep(installment.number);
    const covered = snapshot.invoices.filter(
      (invoice) => owing(invoice) && planCovers(history.plan, invoice.id),
    );
    if (covered.length > 0 && !doneAny(history, step.key, journeyFromOrPlan(history)))
      email = {
        step,
        covered,
        why: `installment ${installment.number} of ${installment.of} due ${installment.dueDate}`,
        rung: null,
        brokenPromise: null,
      };
  }
  if (!email && worthChasing && lead) {
    const broken = brokenSince(history, lastJourneyContact || (journeyFrom ?? ''));
    let next: number | null = null;
    if (rung < 0) {
      // The first contact of a journey catches up with the lead invoice's age, never harsher than allowed.
      for (let index = 0; index < ladder.length; index++) {
        const step = ladder[index] as Step;
        if (step.offsetDays <= leadDays && toneRank[step.tone] <= toneRank[policy.firstContactMaxTone])
          next = index;
      }
    } else if (rung < lastRung && ((ladder[rung + 1] as Step).offsetDays <= leadDays || broken)) {
      next = rung + 1;
    }
    const offer = segmentPlanOffer(steps);
    if (
      offer &&
      offer.offsetDays <= leadDays &&
      rung >= 0 &&
      !planActive &&
      !doneInJourney.has(offer.key) &&
      next !== null
    )
      email = {
        step: offer,
        covered: overdue,
        why: `${leadDays} days overdue: a payment plan is offered`,
        rung: null,
        brokenPromise: null,
      };
    else if (next !== null) {
      const step = ladder[next] as Step;
      email = {
        step,
        covered: overdue,
        rung: next,
        brokenPromise: broken,
        why: `${leadDays} days overdue: rung ${next + 1} of ${ladder.length}, "${step.key}" (${step.tone})${broken ? ', after a broken promise' : ''}`,
      };
    }
  }
  if (!email && overdue.length === 0) {
    const headsUp = steps.find(
      (step) => step.action === 'email' && step.offsetDays <= 0 && !offLadderTemplates.has(step.template),
    );
    if (headsUp) {
      const covered = invoicesNow.upcoming.filter(
        (invoice) =>
          dayNumber(invoice.dueDate) + headsUp.offsetDays <= todayNumber && !headsUpDone.has(invoice.id),
      );
      if (covered.length > 0 && netOwedAboveMinimum(snapshot, policy, covered))
        email = {
          step: headsUp,
          covered,
          why: `due on ${covered[0]?.dueDate}: a friendly heads-up`,
          rung: null,
          brokenPromise: null,
        };
    }
  }

  if (email) {
    const { step, covered } = email;
    const invoiceSteps = covered.map((invoice) => ({ invoiceId: invoice.id, stepKey: step.key }));
    const capEnds = lastSent ? Date.parse(lastSent) + policy.minDaysBetweenContacts * dayMs : 0;
    const closed = windowClosed(snapshot, policy, now, options);
    const recipients = recipientsFor(snapshot, covered);
    if (waiting) {
      // Sent together later (an approval days on), two rungs would reach the debtor at once.
      notes.push('an earlier message is still waiting to be approved or sent: nothing more until it goes');
    } else if (!options.unguarded && now.getTime() < capEnds) {
      nextContactOn = momentIn(new Date(capEnds), snapshot.orgTimeZone).date;
      notes.push(
        `contact cap: last message ${lastSent.slice(0, 16).replace('T', ' ')} UTC; the next may go from ${new Date(capEnds).toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      );
    } else if (history.optedOut) {
      notes.push('the debtor opted out of emails: no automatic message');
      if (email.rung !== null && !openOptOutTask)
        actions.push({
          kind: 'task',
          task: 'The customer opted out of emails: reach them another way (a call or a letter)',
          stepKey: stepKeyOfOptOutTask,
          invoiceSteps: covered.map((invoice) => ({ invoiceId: invoice.id, stepKey: stepKeyOfOptOutTask })),
          idempotencyKey: onceKey(snapshot, stepKeyOfOptOutTask, today),
          why: 'a message is due but the customer asked for no more emails',
        });
    } else if (closed) {
      notes.push(closed);
    } else if (recipients.length === 0) {
      if (openAddressTask) notes.push('no deliverable email address: waiting for a person to find one');
      else
        actions.push({
          kind: 'task',
          task: 'No deliverable email address: find a working address or call the customer',
          stepKey: stepKeyOfAddressTask,
          invoiceSteps: covered.map((invoice) => ({ invoiceId: invoice.id, stepKey: stepKeyOfAddressTask })),
          idempotencyKey: onceKey(snapshot, stepKeyOfAddressTask, today),
          why: 'a message is due but every address bounced or none is known',
        });
    } else {
      const valuable = history.lifetimePaidMinor >= policy.highValueCustomerMinor;
      const gated =
        email.rung !== null && valuable && toneRank[step.tone] >= toneRank[policy.approvalFromTone];
      actions.push({
        kind: 'email',
        stepKey: step.key,
        tone: step.tone,
        template: step.template,
        invoiceSteps,
        rung: email.rung,
        to: recipients,
        cc: step.copyEscalationContacts
          ? snapshot.contacts.filter((contact) => contact.role === 'escalation' && !contact.bounced)
          : [],
        requiresApproval: step.requiresApproval || gated,
        lateFeeNotice: step.lateFeeNotice,
        brokenPromise: email.brokenPromise,
        idempotencyKey: keyFor(
          snapshot,
          step.key,
          journey,
          covered.map((invoice) => invoice.id),
        ),
        why: `${email.why}${gated ? '; a high-value customer, so a person approves it' : ''}`,
      });
    }
  }

  // Tasks of the schedule: once a journey each, when the lead invoice reaches their day.
  if (worthChasing && lead) {
    for (const step of steps) {
      if (step.action !== 'task' || step.offsetDays > leadDays || doneInJourney.has(step.key)) continue;
      actions.push({
        kind: 'task',
        task: step.task ?? step.key,
        stepKey: step.key,
        invoiceSteps: overdue.map((invoice) => ({ invoiceId: invoice.id, stepKey: step.key })),
        idempotencyKey: onceKey(snapshot, step.key, journey),
        why: `${leadDays} days overdue: ${step.task}`,
      });
    }
  }

  // A flag: one per debtor, after the final notice went and its grace has passed, never while another waits.
  if (worthChasing && lead && !openFlag) {
    const graceOver =
      finalSentAt !== null && now.getTime() >= Date.parse(finalSentAt) + policy.finalNoticeGraceDays * dayMs;
    // Catching up, the latest flag whose day has come: once it was raised, the journey waits for the next.
    const reached = steps.filter((step) => step.action === 'flag' && step.offsetDays <= leadDays);
    const latest = reached[reached.length - 1];
    const flag = latest && !doneInJourney.has(latest.key) ? latest : undefined;
    if (flag && graceOver) {
      actions.push({
        kind: 'flag',
        flags: flag.flags ?? [],
        daysOverdue: leadDays,
        requiresApproval: true,
        stepKey: flag.key,
        invoiceSteps: overdue.map((invoice) => ({ invoiceId: invoice.id, stepKey: flag.key })),
        idempotencyKey: onceKey(snapshot, flag.key, journey),
        why: `${leadDays} days overdue and no payment since the final notice: ${(flag.flags ?? []).map((kind) => flagWords[kind]).join(' or ')} for a person to consider`,
      });
    } else if (flag && finalSentAt === null) {
      notes.push('a flag waits until the final notice has been sent');
    }
  }

  return result();
}

const holdNote: Record<InvoiceHold, string> = {
  dispute: 'paused while disputed, until a person resumes it',
  settlement: 'paused while a settlement offer is open',
  promise: 'paused until the promised date',
  payment_plan: 'paused: a payment plan is being kept',
};

const flagWords: Record<string, string> = {
  agency_referral: 'agency referral',
  settlement_offer: 'settlement offer',
  write_off: 'write-off',
};

const headsUps = new WeakMap<Step[], Set<string>>();

/** The keys of the email steps before the due date (cached per schedule). */
function headsUpKeysOf(steps: Step[]): Set<string> {
  let keys = headsUps.get(steps);
  if (!keys) {
    keys = new Set(
      steps.filter((step) => step.action === 'email' && step.offsetDays <= 0).map((step) => step.key),
    );
    headsUps.set(steps, keys);
  }
  return keys;
}

/** The plan offer a segment adds to the schedule, if any. */
function segmentPlanOffer(steps: Step[]): Step | undefined {
  return steps.find((step) => step.template === 'plan-offer');
}

/** Whether any past contact (since `since`, an ISO timestamp) took this step. */
function doneAny(history: DebtorSnapshot['history'], stepKey: string, since = ''): boolean {
  return history.contacts.some(
    (contact) => contact.at >= since && contact.steps.some((entry) => entry.stepKey === stepKey),
  );
}

/** Installment reminders are numbered per plan: only those since the current plan was made count. */
function journeyFromOrPlan(history: DebtorSnapshot['history']): string {
  return history.plan?.madeAt ?? '';
}
