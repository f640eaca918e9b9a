import { createHash } from 'node:crypto';
import { addDays, dayNumber, type LocalMoment, localMoment } from './local-time.js';
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

function keyFor(snapshot: DebtorSnapshot, stepKey: string, invoiceSteps: Planned['invoiceSteps']): string {
  const set = invoiceSteps
    .map((entry) => `${entry.invoiceId}=${entry.stepKey}`)
    .sort()
    .join(',');
  // The debtor's id leads: an evaluation goes through debtors in id order, so the outboxes' unique
  // indexes grow at a few places instead of at random ones (which costs far more at scale).
  const digest = createHash('sha256').update(set).digest('base64url').slice(0, 16);
  return `${snapshot.customerId}:${stepKey}:${digest}`;
}

/** Whether a payment plan covers the invoice (an older plan without a list covers them all). */
function planCovers(arrangement: DebtorSnapshot['history']['plan'], invoiceId: string): boolean {
  return arrangement !== null && (arrangement.invoiceIds?.includes(invoiceId) ?? true);
}

/**
 * A promise or plan broken since the invoice was last emailed (`since`, an ISO timestamp): the
 * schedule resumes at its next step at once (not on that step's day), and the message says what was
 * broken.
 */
function brokenSinceLastEmail(
  history: DebtorSnapshot['history'],
  invoiceId: string,
  since: string,
): { promisedDate: string } | null {
  const promise = history.promises
    .filter(
      (candidate) =>
        candidate.status === 'broken' &&
        candidate.invoiceIds.includes(invoiceId) &&
        (candidate.resolvedAt ?? '') >= since,
    )
    .sort((a, b) => (a.promisedDate < b.promisedDate ? 1 : -1))[0];
  if (promise) return { promisedDate: promise.promisedDate };
  const arrangement = history.plan;
  if (
    arrangement?.status === 'broken' &&
    planCovers(arrangement, invoiceId) &&
    (arrangement.brokenAt ?? '') >= since
  )
    return arrangement.nextInstallment ? { promisedDate: arrangement.nextInstallment.dueDate } : null;
  return null;
}

interface InvoiceState {
  invoice: SnapshotInvoice;
  daysOverdue: number;
  email: Step | undefined;
  task: Step | undefined;
  flag: Step | undefined;
}

/**
 * Decides what is due now for one debtor: at most one contact covering every invoice that has an
 * email step due (at the step of the most overdue one), tasks, and flags — or nothing, with why.
 * Pure: no database, no clock; `now` is given.
 */
export function plan(snapshot: DebtorSnapshot, policy: Policy, now: Date): PlanResult {
  const notes: string[] = [];
  const today = momentIn(now, snapshot.orgTimeZone).date;
  const todayNumber = dayNumber(today);
  const { history, overrides } = snapshot;
  const segment = classifyDebtor(history, snapshot.contacts, today, overrides.segment);
  const result = (actions: PlannedAction[], nextContactOn: string | null = null): PlanResult => ({
    actions,
    notes,
    segment,
    nextContactOn,
  });

  if (overrides.excluded || overrides.doNotContact) {
    notes.push(
      overrides.doNotContact
        ? 'a person set this customer to do-not-contact'
        : 'a person excluded this customer',
    );
    return result([]);
  }

  const steps = effectiveSteps(policy, overrides.steps ?? policy.steps, segment.segment);
  const done = new Map<string, Set<string>>();
  const arrangement = history.plan;
  // Only a broken promise or plan needs to know when each invoice was last emailed (most debtors have neither).
  const mayResume =
    arrangement?.status === 'broken' || history.promises.some((promise) => promise.status === 'broken');
  /** When each invoice was last in an email (ISO timestamp), when `mayResume`. */
  const lastEmailed = new Map<string, string>();
  for (const contact of history.contacts) {
    for (const entry of contact.steps) {
      let keys = done.get(entry.invoiceId);
      if (!keys) {
        keys = new Set();
        done.set(entry.invoiceId, keys);
      }
      keys.add(entry.stepKey);
      if (mayResume && contact.kind === 'email' && contact.at > (lastEmailed.get(entry.invoiceId) ?? ''))
        lastEmailed.set(entry.invoiceId, contact.at);
    }
  }
  const planActive =
    arrangement?.status === 'active' &&
    (arrangement.nextInstallment === null ||
      todayNumber <= dayNumber(arrangement.nextInstallment.dueDate) + policy.promiseGraceDays);
  if (planActive) notes.push('paused: a payment plan is being kept');
  const installment = planActive ? arrangement?.nextInstallment : null;
  const installmentDue =
    installment && todayNumber >= dayNumber(installment.dueDate) - policy.arrangements.installmentReminderDays
      ? installmentStep(installment.number)
      : undefined;

  const states: InvoiceState[] = [];
  for (const invoice of snapshot.invoices) {
    if (invoice.status !== 'open' || invoice.balanceMinor <= 0) continue; // paid, voided, credited, deleted: never
    if (invoice.currency === snapshot.orgCurrency && invoice.balanceMinor < policy.minimumBalanceMinor) {
      notes.push(`invoice ${invoice.number ?? invoice.id}: balance below the minimum worth chasing`);
      continue;
    }
    if (
      history.disputes.some((dispute) => dispute.status === 'open' && dispute.invoiceIds.includes(invoice.id))
    ) {
      notes.push(`invoice ${invoice.number ?? invoice.id}: paused while disputed, until a person resumes it`);
      continue;
    }
    const daysOverdue = todayNumber - dayNumber(invoice.dueDate);
    const settlement = history.settlements?.find(
      (offer) =>
        offer.invoiceIds.includes(invoice.id) &&
        todayNumber <= dayNumber(offer.payBy) + policy.promiseGraceDays,
    );
    if (settlement) {
      // The offer is the one message about these invoices until its date has passed.
      const offer = settlementStep(settlement.id);
      if (!done.get(invoice.id)?.has(offer.key))
        states.push({ invoice, daysOverdue, email: offer, task: undefined, flag: undefined });
      else
        notes.push(
          `invoice ${invoice.number ?? invoice.id}: paused while a settlement offer is open, until ${settlement.payBy}`,
        );
      continue;
    }
    const promise = history.promises.find(
      (candidate) =>
        candidate.status === 'open' &&
        candidate.invoiceIds.includes(invoice.id) &&
        todayNumber <= dayNumber(candidate.promisedDate) + policy.promiseGraceDays,
    );
    if (promise) {
      notes.push(
        `invoice ${invoice.number ?? invoice.id}: paused until the promised date ${promise.promisedDate}`,
      );
      continue;
    }
    if (planActive && planCovers(arrangement, invoice.id)) {
      // Installment reminders replace the schedule while the plan is kept.
      if (installmentDue && !done.get(invoice.id)?.has(installmentDue.key))
        states.push({ invoice, daysOverdue, email: installmentDue, task: undefined, flag: undefined });
      continue;
    }

    const doneKeys = done.get(invoice.id);
    // Emails, tasks and flags each keep their own place in the schedule: a flag raised early (a segment
    // brings it forward) must not swallow an email step of the same or an earlier day.
    let lastEmailOffset = Number.NEGATIVE_INFINITY;
    let lastTaskOffset = Number.NEGATIVE_INFINITY;
    let lastFlagOffset = Number.NEGATIVE_INFINITY;
    let contacted = false;
    if (doneKeys) {
      for (const step of steps) {
        if (!doneKeys.has(step.key)) continue;
        if (step.action === 'email') {
          lastEmailOffset = Math.max(lastEmailOffset, step.offsetDays);
          contacted = true;
        } else if (step.action === 'task') lastTaskOffset = Math.max(lastTaskOffset, step.offsetDays);
        else lastFlagOffset = Math.max(lastFlagOffset, step.offsetDays);
      }
    }
    const state: InvoiceState = { invoice, daysOverdue, email: undefined, task: undefined, flag: undefined };
    // Catch-up without flooding: the latest step whose day has passed, beyond the last one done.
    for (const step of steps) {
      if (step.offsetDays > daysOverdue) continue;
      const lastDone =
        step.action === 'email' ? lastEmailOffset : step.action === 'task' ? lastTaskOffset : lastFlagOffset;
      if (step.offsetDays <= lastDone || doneKeys?.has(step.key)) continue;
      if (step.action === 'email') {
        if (!contacted && toneRank[step.tone] > toneRank[policy.firstContactMaxTone]) continue;
        state.email = step;
      } else if (step.action === 'task') {
        state.task = step;
      } else {
        state.flag = step;
      }
    }
    if (
      !state.email &&
      mayResume &&
      brokenSinceLastEmail(history, invoice.id, lastEmailed.get(invoice.id) ?? '')
    ) {
      state.email = steps.find(
        (step) =>
          step.action === 'email' &&
          step.offsetDays > lastEmailOffset &&
          !doneKeys?.has(step.key) &&
          (contacted || toneRank[step.tone] <= toneRank[policy.firstContactMaxTone]),
      );
    }
    if (state.email || state.task || state.flag) states.push(state);
  }

  const actions: PlannedAction[] = [];
  let nextContactOn: string | null = null;

  const emailed = states.filter((state) => state.email);
  if (emailed.length > 0) {
    const lead = emailed.reduce((most, state) => (state.daysOverdue > most.daysOverdue ? state : most));
    const step = lead.email as Step;
    const invoiceSteps = emailed.map((state) => ({
      invoiceId: state.invoice.id,
      stepKey: (state.email as Step).key,
    }));
    const lastEmail = history.contacts
      .filter((contact) => contact.kind === 'email')
      .reduce((latest, contact) => (contact.at > latest ? contact.at : latest), '');
    const sinceLast = lastEmail ? todayNumber - dayNumber(lastEmail.slice(0, 10)) : Number.POSITIVE_INFINITY;
    const local = momentIn(now, snapshot.debtorTimeZone ?? snapshot.orgTimeZone);
    const window = policy.sendingWindow;
    const recipients = snapshot.contacts.filter((contact) => contact.role === 'billing' && !contact.bounced);

    const waiting = history.contacts.some((contact) => contact.kind === 'email' && contact.unsent);
    if (waiting) {
      // Sent together later (an approval days on), two steps would reach the debtor at once.
      notes.push('an earlier message is still waiting to be approved or sent: nothing more until it goes');
    } else if (sinceLast < policy.minDaysBetweenContacts) {
      nextContactOn = addDays(lastEmail.slice(0, 10), policy.minDaysBetweenContacts);
      notes.push(
        `contact cap: last message on ${lastEmail.slice(0, 10)}; the next may go on ${nextContactOn}`,
      );
    } else if (history.optedOut) {
      notes.push('the debtor opted out of emails: no automatic message');
    } else if (
      !window.weekdays.includes(local.weekday) ||
      local.hour < window.startHour ||
      local.hour >= window.endHour
    ) {
      notes.push(
        `outside the sending window (${window.startHour}:00–${window.endHour}:00 on working days, debtor's time)`,
      );
    } else if (recipients.length === 0) {
      actions.push({
        kind: 'task',
        task: 'No deliverable email address: find a working address or call the customer',
        stepKey: step.key,
        invoiceSteps,
        idempotencyKey: keyFor(snapshot, `${step.key}-address`, invoiceSteps),
        why: 'a message is due but every address bounced or none is known',
      });
    } else {
      const valuable = history.lifetimePaidMinor >= policy.highValueCustomerMinor;
      const gated = valuable && toneRank[step.tone] >= toneRank[policy.approvalFromTone];
      const brokenPromise = !mayResume
        ? null
        : (invoiceSteps
            .map((entry) =>
              brokenSinceLastEmail(history, entry.invoiceId, lastEmailed.get(entry.invoiceId) ?? ''),
            )
            .filter((candidate) => candidate !== null)
            .sort((a, b) => (a.promisedDate < b.promisedDate ? 1 : -1))[0] ?? null);
      actions.push({
        kind: 'email',
        stepKey: step.key,
        tone: step.tone,
        template: step.template,
        invoiceSteps,
        to: recipients,
        cc: step.copyEscalationContacts
          ? snapshot.contacts.filter((contact) => contact.role === 'escalation' && !contact.bounced)
          : [],
        requiresApproval: step.requiresApproval || gated,
        lateFeeNotice: step.lateFeeNotice,
        brokenPromise,
        idempotencyKey: keyFor(snapshot, step.key, invoiceSteps),
        why: `${lead.daysOverdue} days overdue: step "${step.key}" (${step.tone})${gated ? '; a high-value customer, so a person approves it' : ''}`,
      });
    }
  }

  for (const kind of ['task', 'flag'] as const) {
    const byStep = new Map<string, InvoiceState[]>();
    for (const state of states) {
      const step = state[kind];
      if (step) byStep.set(step.key, [...(byStep.get(step.key) ?? []), state]);
    }
    for (const [stepKey, grouped] of byStep) {
      const step = grouped[0]?.[kind] as Step;
      const invoiceSteps = grouped.map((state) => ({ invoiceId: state.invoice.id, stepKey }));
      const daysOverdue = Math.max(...grouped.map((state) => state.daysOverdue));
      const planned = { stepKey, invoiceSteps, idempotencyKey: keyFor(snapshot, stepKey, invoiceSteps) };
      if (kind === 'task') {
        actions.push({
          ...planned,
          kind: 'task',
          task: step.task ?? stepKey,
          why: `${daysOverdue} days overdue: ${step.task}`,
        });
      } else {
        actions.push({
          ...planned,
          kind: 'flag',
          flags: step.flags ?? [],
          daysOverdue,
          requiresApproval: true,
          why: `${daysOverdue} days overdue: ${(step.flags ?? []).join(' or ')} for a person to consider`,
        });
      }
    }
  }

  if (actions.length === 0 && notes.length === 0) {
    notes.push(
      snapshot.invoices.some((invoice) => invoice.status === 'open' && invoice.balanceMinor > 0)
        ? 'nothing due today'
        : 'nothing is owed',
    );
  }
  return result(actions, nextContactOn);
}
