import { lapseUnpaid } from '../arrangements/lapse.js';
import { effectiveSteps } from '../collections/effective-steps.js';
import { actionLabel } from '../collections/next-step.js';
import { type PlannedAction, plan } from '../collections/plan.js';
import { dayClock, sentClock } from '../collections/plan-clock.js';
import { momentIn } from '../collections/sending-window.js';
import type { DebtorSnapshot, PastContact } from '../collections/snapshot.js';
import { type LocalMoment, localMoment } from '../domain/local-time.js';
import type { ContactTaskKind, Policy, ReminderVia } from '../domain/policy.js';

/** One thing Dunwell would do on a day of the forecast: an email, or a task or flag for a person. */
export interface ForecastEntry {
  /** The instant of the evaluation that would do it (ISO, UTC), and its day in the organisation's zone. */
  at: string;
  day: string;
  customerId: string;
  customerName: string;
  kind: PlannedAction['kind'];
  stepKey: string;
  /** The step in words: "Firm reminder", "Agency referral flag", "Task: call the customer". */
  label: string;
  /** How it reaches someone: an email to the debtor, or a task or a flag for you. */
  channel:
    | 'email'
    | 'text'
    | 'email and text'
    | 'call for you to make'
    | 'letter for you to post'
    | 'task for you'
    | 'flag for your decision';
  /** The email's recipients (To, then CC); none for tasks and flags. */
  to: string[];
  cc: string[];
  /** An email that would wait for your approval (nothing more goes to that customer until it does). */
  awaitsApproval: boolean;
  invoiceIds: string[];
  /** What the covered invoices owe, per currency (as the mirror has them: nothing is assumed paid). */
  owed: Array<{ currency: string; amountMinor: number }>;
  /** The planner's own reason. */
  why: string;
}

export interface ForwardOptions {
  /** From when (the first evaluation is the engine's next one after it). */
  from: Date;
  days: number;
  /** Ask the planner at every evaluation, as the engine does, instead of when its clock moves (tests). */
  everyHour?: boolean;
}

const hourMs = 3_600_000;
/**
 * The minute past each hour at which the engine evaluates every organisation (the cron of
 * `collections.evaluate-all` in src/jobs/definitions/collections.ts: '7 * * * *', UTC).
 */
export const evaluationMinute = 7;
/**
 * How long after its evaluation an email is taken to have been sent: the delivery run the evaluation
 * queues goes within the minute. It matters: the contact cap counts from the sending, so a week later
 * the evaluation at the same hour finds the cap a minute short and the next email goes an hour later
 * (the next day, when that hour is past the sending window), as it does in production.
 */
export const deliveryLagMs = 60_000;

/** The engine's evaluation instants from `from` (inclusive) for `days` days. */
export function evaluationInstants(from: Date, days: number): Date[] {
  const offset = evaluationMinute * 60_000;
  const first = Math.ceil((from.getTime() - offset) / hourMs) * hourMs + offset;
  const until = from.getTime() + days * 24 * hourMs;
  const instants: Date[] = [];
  for (let at = first; at < until; at += hourMs) instants.push(new Date(at));
  return instants;
}

/** A copy of the snapshot whose history the run may change (the invoices and contacts are shared). */
function workingCopy(snapshot: DebtorSnapshot): DebtorSnapshot {
  const { history } = snapshot;
  return {
    ...snapshot,
    history: {
      ...history,
      contacts: [...history.contacts],
      promises: [...history.promises],
      ...(history.settlements ? { settlements: [...history.settlements] } : {}),
    },
  };
}

/** What the engine records of an action once it is written (and, for an email, sent soon after). */
function asContact(action: PlannedAction, now: Date): PastContact {
  const steps = action.invoiceSteps;
  const at = now.toISOString();
  // Nobody acts in a forecast: a call or letter stays to be done, and holds what follows it.
  if (action.kind === 'task' && action.channel) return { at, kind: action.channel, open: true, steps };
  if (action.kind !== 'email') return { at, kind: action.kind, open: true, steps };
  if (action.requiresApproval) return { at, kind: 'email', unsent: true, steps };
  return { at: new Date(now.getTime() + deliveryLagMs).toISOString(), kind: 'email', steps };
}

const contactChannelOf: Record<ContactTaskKind, ForecastEntry['channel']> = {
  call: 'call for you to make',
  letter: 'letter for you to post',
};

const viaChannel: Record<ReminderVia, ForecastEntry['channel']> = {
  email: 'email',
  text: 'text',
  both: 'email and text',
};

const channelOf: Record<PlannedAction['kind'], ForecastEntry['channel']> = {
  email: 'email',
  task: 'task for you',
  flag: 'flag for your decision',
};

function entryOf(
  snapshot: DebtorSnapshot,
  policy: Policy,
  action: PlannedAction,
  at: Date,
  segment: Parameters<typeof effectiveSteps>[2],
): ForecastEntry {
  const steps = effectiveSteps(policy, snapshot.overrides.steps ?? policy.steps, segment);
  const invoiceIds = action.invoiceSteps.map((entry) => entry.invoiceId);
  const owed = new Map<string, number>();
  for (const invoice of snapshot.invoices)
    if (invoiceIds.includes(invoice.id))
      owed.set(invoice.currency, (owed.get(invoice.currency) ?? 0) + invoice.balanceMinor);
  return {
    at: at.toISOString(),
    day: momentIn(at, snapshot.orgTimeZone).date,
    customerId: snapshot.customerId,
    customerName: snapshot.customerName,
    kind: action.kind,
    stepKey: action.stepKey,
    label: actionLabel(action, steps),
    channel:
      action.kind === 'task' && action.channel
        ? contactChannelOf[action.channel]
        : action.kind === 'email'
          ? viaChannel[action.via]
          : channelOf[action.kind],
    to: action.kind === 'email' ? action.to.map((contact) => contact.email) : [],
    cc: action.kind === 'email' ? action.cc.map((contact) => contact.email) : [],
    awaitsApproval: action.kind === 'email' && action.requiresApproval,
    invoiceIds,
    owed: [...owed].map(([currency, amountMinor]) => ({ currency, amountMinor })),
    why: action.why,
  };
}

/**
 * The pure planner run forward: at each of the engine's hourly evaluations for `days` days, every
 * debtor is planned as the engine would plan them, each action is fed back into the debtor's history
 * as if it had been written and (an email not held for approval) sent a minute later, promises, plans
 * and settlement offers lapse as the reconciliation would have them lapse, and nothing is paid. A
 * debtor is planned again only when the snapshot or what the planner reads of the clock has changed
 * (`planClock`, in its two parts). Pure: the snapshots given are not changed.
 */
export function runForward(
  snapshots: DebtorSnapshot[],
  policy: Policy,
  options: ForwardOptions,
): ForecastEntry[] {
  const entries: ForecastEntry[] = [];
  const debtors = snapshots.map((snapshot) => ({
    snapshot: workingCopy(snapshot),
    /**
     * The planner's clock in its two parts: the calendar parts it was asked under (and found nothing
     * to do) since the snapshot last changed, and the sent part then, which holds until `sentUntil`.
     */
    days: new Set<number>(),
    sent: -1,
    sentUntil: Number.NEGATIVE_INFINITY,
    emailsHeld: false,
    /** Whether the last plan's actions depended on the hour (the window held an email). */
    windowMatters: true,
    arrangements:
      snapshot.history.promises.length > 0 ||
      snapshot.history.plan !== null ||
      (snapshot.history.settlements?.length ?? 0) > 0,
  }));
  for (const now of evaluationInstants(options.from, options.days)) {
    // The local time in each zone at this instant, worked out once for every debtor in it.
    const moments = new Map<string, LocalMoment>();
    const localAt = (zone: string) => {
      let moment = moments.get(zone);
      if (!moment) {
        moment = localMoment(now, zone);
        moments.set(zone, moment);
      }
      return moment;
    };
    for (const debtor of debtors) {
      const { snapshot } = debtor;
      if (
        debtor.arrangements &&
        lapseUnpaid(snapshot.history, {
          today: localAt(snapshot.orgTimeZone).date,
          graceDays: policy.promiseGraceDays,
          now,
        })
      )
        debtor.days.clear();
      if (!options.everyHour) {
        if (now.getTime() >= debtor.sentUntil) {
          const sent = sentClock(snapshot, policy, now);
          if (sent.key !== debtor.sent) {
            debtor.days.clear();
            debtor.sent = sent.key;
          }
          debtor.sentUntil = sent.until;
          debtor.emailsHeld = sent.emailsHeld;
        }
        const day = dayClock(snapshot, policy, localAt, debtor.emailsHeld || !debtor.windowMatters);
        if (debtor.days.has(day)) continue;
        debtor.days.add(day);
      }
      const result = plan(snapshot, policy, now);
      debtor.windowMatters = result.heldByWindow === true;
      if (result.actions.length === 0) continue;
      for (const action of result.actions) {
        entries.push(entryOf(snapshot, policy, action, now, result.segment.segment));
        snapshot.history.contacts.push(asContact(action, now));
      }
      // What was just done changes the snapshot: plan it again at the next evaluation.
      debtor.days.clear();
      debtor.sentUntil = Number.NEGATIVE_INFINITY;
      debtor.windowMatters = true;
    }
  }
  return entries;
}
