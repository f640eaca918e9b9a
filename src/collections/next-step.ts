import { isClosedDay } from '../domain/holidays.js';
import { addDays, dayNumber, isoDateOf, localMoment } from '../domain/local-time.js';
import { type Policy, type Segment, type Step, segments, type Tone } from '../domain/policy.js';
import { effectiveSteps } from './effective-steps.js';
import { flagWords } from './flag-decision.js';
import type { Guard } from './guard.js';
import { ladderOf } from './journey.js';
import { owing, pauseGuard } from './pause-guard.js';
import { type PlannedAction, type PlanResult, pausedOn, plan } from './plan.js';
import { replyWait } from './reply-wait.js';
import type { CustomerOverrides, DebtorSnapshot } from './snapshot.js';

/** What the planner would do next for one debtor, for a person to read. */
export interface NextStep {
  /** due: the planner acts today; scheduled: on `on`, if nothing changes; held: a guard stops everything. */
  status: 'due' | 'scheduled' | 'held' | 'none';
  /** Today when due, the day of the next step when scheduled, else null. */
  on: string | null;
  /** The step in words ("Firm reminder", "Agency referral flag"), when there is one. */
  step: string | null;
  stepKey: string | null;
  guard: Guard | null;
  /** One line for the list: "Firm reminder due now", "Final notice on 2026-12-09 (contact cap: …)". */
  text: string;
  /** Why, from the planner's own reasons. */
  why: string;
}

const toneLabel: Record<Tone, string> = {
  friendly: 'Friendly reminder',
  neutral: 'Reminder',
  firm: 'Firm reminder',
  formal: 'Formal demand',
  final: 'Final notice',
};
const templateLabel: Record<string, string> = {
  'plan-offer': 'Payment-plan offer',
  installment: 'Installment reminder',
  settlement: 'Settlement offer',
};

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/** An action in words; `steps` (the debtor's schedule) tells a heads-up from a reminder. */
export function actionLabel(action: PlannedAction, steps: Step[]): string {
  if (action.kind === 'task' && action.channel) {
    const name = steps.find((step) => step.key === action.stepKey)?.name;
    return action.channel === 'call'
      ? `Call for you to make${name ? ` (${name})` : ''}`
      : `Letter for you to post${name ? ` (${name})` : ''}`;
  }
  if (action.kind === 'task') return `Task: ${lowerFirst(action.task)}`;
  if (action.kind === 'flag') {
    const kinds = action.flags.map((kind) => flagWords[kind]).join(' or ');
    return `${capitalise(kinds || 'decision')} flag`;
  }
  const via = action.via === 'text' ? ' by text' : action.via === 'both' ? ' by email and text' : '';
  const byTemplate = templateLabel[action.template];
  if (byTemplate) return `${byTemplate}${via}`;
  const step = steps.find((candidate) => candidate.key === action.stepKey);
  const offset = step?.offsetDays ?? 0;
  // The business's own name for the step, when it gave one; else what its tone calls it.
  const base = step?.name ? capitalise(step.name) : offset < 0 ? 'Heads-up' : toneLabel[action.tone];
  return `${base}${via}${action.lateFeeNotice ? ' with late-fee notice' : ''}${action.requiresApproval ? ' (for your approval)' : ''}`;
}

function labelOf(actions: PlannedAction[], steps: Step[]): string {
  return actions
    .map((action, index) =>
      index === 0 ? actionLabel(action, steps) : lowerFirst(actionLabel(action, steps)),
    )
    .join(' and ');
}

/** The person's own hold on the customer (excluded, do-not-contact), which stops everything. */
export function overrideGuard(overrides: CustomerOverrides): Guard | null {
  if (overrides.doNotContact)
    return { kind: 'do_not_contact', text: 'do not contact: set by you', until: null };
  if (overrides.excluded) return { kind: 'excluded', text: 'excluded by you', until: null };
  return null;
}

export function heldBy(guard: Guard, why: string): NextStep {
  return { status: 'held', on: null, step: null, stepKey: null, guard, text: capitalise(guard.text), why };
}

const overrideWhy: Record<'excluded' | 'do_not_contact', string> = {
  excluded: 'you excluded this customer from automatic chasing: no message, task or flag is planned',
  do_not_contact: 'you set this customer to do-not-contact: no message, task or flag is planned',
};

/** Held by the person's own choice for the customer, when they made one that stops everything. */
export function heldByOverrides(overrides: CustomerOverrides): NextStep | null {
  const guard = overrideGuard(overrides);
  return guard ? heldBy(guard, overrideWhy[guard.kind as keyof typeof overrideWhy]) : null;
}

/** A person's pause of this customer, while it holds: it ends by itself on its day. */
function pausedByYou(overrides: CustomerOverrides, today: string): Guard | null {
  if (!overrides.pausedUntil || !pausedOn(overrides, today)) return null;
  return {
    kind: 'paused_by_you',
    text: `paused by you until ${overrides.pausedUntil}`,
    until: addDays(overrides.pausedUntil, -1),
  };
}

/** A debtor's unread reply: held until a person reads it, or (out of office) until its writer is back. */
function replyGuard(snapshot: DebtorSnapshot, today: string): Guard | null {
  const waiting = replyWait(snapshot.history, today);
  if (!waiting) return null;
  return waiting.until
    ? {
        kind: 'reply_unread',
        text: `out of office until ${waiting.until}`,
        until: addDays(waiting.until, -1),
      }
    : { kind: 'reply_unread', text: 'a reply waits for you to read it', until: null };
}

/** 1 = Monday … 7 = Sunday of a day number (day 0, 1970-01-01, was a Thursday). */
const weekdayOf = (day: number) => ((day + 3) % 7) + 1;

/** An instant on `day` (around midday) in `timeZone`, so the planner's "today" is that day. */
function instantOn(day: number, timeZone: string): Date {
  let at = day * 86_400_000 + 12 * 3_600_000;
  const local = dayNumber(localMoment(new Date(at), timeZone).date);
  if (local > day) at -= 12 * 3_600_000;
  else if (local < day) at += 11 * 3_600_000;
  return new Date(at);
}

/** How far ahead the next step is looked for: beyond the longest schedule the policy allows. */
const horizonDays = 800;
/** At most this many days are tried per debtor (each is one planner call). */
const maxTries = 400;

/**
 * The days on which what the planner decides can change, after today: each step's day for each
 * owed invoice (under every segment's shift, as the segment may change), the day after each
 * promise, settlement and installment lapses, installment reminders, the contact cap's end, tomorrow,
 * and the first sending day on or after each of those.
 */
export function changeDays(
  snapshot: DebtorSnapshot,
  policy: Policy,
  today: string,
  nextContactOn: string | null,
): string[] {
  const todayNumber = dayNumber(today);
  const days = new Set<number>();
  const add = (day: number) => {
    if (day > todayNumber && day <= todayNumber + horizonDays) days.add(day);
  };
  const base = snapshot.overrides.steps ?? policy.steps;
  const offsets = new Set<number>();
  for (const segment of segments as readonly Segment[])
    for (const step of effectiveSteps(policy, base, segment)) offsets.add(step.offsetDays);
  for (const invoice of snapshot.invoices) {
    if (!owing(invoice)) continue;
    const due = dayNumber(invoice.dueDate);
    for (const offset of offsets) add(due + offset);
  }
  const grace = policy.promiseGraceDays;
  const { history } = snapshot;
  for (const promise of history.promises)
    if (promise.status === 'open') add(dayNumber(promise.promisedDate) + grace + 1);
  for (const offer of history.settlements ?? []) add(dayNumber(offer.payBy) + grace + 1);
  const installment = history.plan?.nextInstallment;
  if (installment) {
    add(dayNumber(installment.dueDate) - policy.arrangements.installmentReminderDays);
    add(dayNumber(installment.dueDate) + grace + 1);
  }
  // A person's pause ends on its day, and so does an out-of-office reply's.
  if (snapshot.overrides.pausedUntil) add(dayNumber(snapshot.overrides.pausedUntil));
  const replyUntil = replyWait(history, today)?.until;
  if (replyUntil) add(dayNumber(replyUntil));
  if (nextContactOn) {
    // The cap ends at an hour of that day: the day after is when a whole day is open again.
    add(dayNumber(nextContactOn));
    add(dayNumber(nextContactOn) + 1);
  }
  // A flag waits for the final notice's grace, counted from when it went.
  const finalKeys = new Set(
    segments.flatMap((segment) =>
      ladderOf(effectiveSteps(policy, base, segment as Segment))
        .slice(-1)
        .map((step) => step.key),
    ),
  );
  for (const contact of snapshot.history.contacts) {
    if (contact.kind !== 'email' || !contact.steps.some((entry) => finalKeys.has(entry.stepKey))) continue;
    const graceEnds = dayNumber(contact.at.slice(0, 10)) + policy.finalNoticeGraceDays;
    add(graceEnds);
    add(graceEnds + 1);
  }
  add(todayNumber + 1);
  // A message whose day is not a sending day goes on the next one, when the step may have moved on.
  const { weekdays } = policy.sendingWindow;
  const country = snapshot.debtorCountry ?? snapshot.orgCountry ?? null;
  for (const day of [...days]) {
    let next = day;
    for (
      let tries = 0;
      tries < 14 &&
      (!weekdays.includes(weekdayOf(next)) || isClosedDay(isoDateOf(next), country, policy.closedDays));
      tries++
    )
      next++;
    add(next);
  }
  return [...days]
    .sort((a, b) => a - b)
    .slice(0, maxTries)
    .map(isoDateOf);
}

function outsideWindow(policy: Policy): string {
  const { startHour, endHour, weekdays } = policy.sendingWindow;
  const workingDays = weekdays.length === 5 && [1, 2, 3, 4, 5].every((day) => weekdays.includes(day));
  return `outside sending hours: ${startHour}:00–${endHour}:00 on ${workingDays ? 'weekdays' : 'sending days'}, customer's time`;
}

function ago(today: string, isoDate: string): string {
  const days = dayNumber(today) - dayNumber(isoDate);
  return days === 0 ? 'today' : days === 1 ? '1 day ago' : `${days} days ago`;
}

/**
 * What happens next for a debtor, in words: the actions the planner takes now; else the first day
 * it would act if nothing changes (found by asking the planner itself on each day its decision can
 * change), with the guard that holds it; else the guard that stops everything. Pure, like `plan`.
 */
export function nextStep(
  snapshot: DebtorSnapshot,
  policy: Policy,
  now: Date,
  planned: PlanResult = plan(snapshot, policy, now),
): NextStep {
  const own = heldByOverrides(snapshot.overrides);
  if (own) return own;
  const today = localMoment(now, snapshot.orgTimeZone).date;
  const reply = replyGuard(snapshot, today);
  if (reply && reply.until === null)
    return heldBy(
      reply,
      'the customer replied to a reminder: no message, task or flag is planned until you mark the reply as read',
    );
  const steps = effectiveSteps(policy, snapshot.overrides.steps ?? policy.steps, planned.segment.segment);

  if (planned.actions.length > 0) {
    const first = planned.actions[0] as PlannedAction;
    const step = labelOf(planned.actions, steps);
    return {
      status: 'due',
      on: today,
      step,
      stepKey: first.stepKey,
      guard: null,
      text: `${step} due now`,
      why: planned.actions.map((action) => action.why).join('; '),
    };
  }

  // A message due today but held by an opt-out, the contact cap or the hour: the planner without those guards says which.
  const free = plan({ ...snapshot, history: { ...snapshot.history, optedOut: false } }, policy, now, {
    unguarded: true,
  });
  let todayGuard: Guard | null = null;
  const heldToday = free.actions[0];
  if (heldToday) {
    if (snapshot.history.optedOut) {
      todayGuard = { kind: 'opted_out', text: 'opted out of emails', until: null };
    } else if (planned.nextContactOn) {
      const lastContact = addDays(planned.nextContactOn, -policy.minDaysBetweenContacts);
      todayGuard = {
        kind: 'contact_cap',
        text: `contact cap: last contact ${ago(today, lastContact)}`,
        until: addDays(planned.nextContactOn, -1),
      };
    } else {
      const window = policy.sendingWindow;
      const local = localMoment(now, snapshot.debtorTimeZone ?? snapshot.orgTimeZone);
      if (window.weekdays.includes(local.weekday) && local.hour < window.startHour) {
        const step = labelOf(free.actions, steps);
        return {
          status: 'due',
          on: today,
          step,
          stepKey: heldToday.stepKey,
          guard: {
            kind: 'sending_window',
            text: `sent from ${window.startHour}:00, customer's time`,
            until: null,
          },
          text: `${step} due today, from ${window.startHour}:00 customer's time`,
          why: free.actions.map((action) => action.why).join('; '),
        };
      }
      todayGuard = { kind: 'sending_window', text: outsideWindow(policy), until: null };
    }
  }

  const guard =
    pausedByYou(snapshot.overrides, today) ?? reply ?? todayGuard ?? pauseGuard(snapshot, policy, today);
  for (const day of changeDays(snapshot, policy, today, planned.nextContactOn)) {
    const ahead = plan(snapshot, policy, instantOn(dayNumber(day), snapshot.orgTimeZone), { anyHour: true });
    const first = ahead.actions[0];
    if (!first) continue;
    const step = labelOf(ahead.actions, steps);
    return {
      status: 'scheduled',
      on: day,
      step,
      stepKey: first.stepKey,
      guard,
      text: `${step} on ${day}${guard ? ` (${guard.text})` : ''}`,
      why: [
        `on ${day}: ${ahead.actions.map((action) => action.why).join('; ')}`,
        ...planned.notes.filter((note) => note !== 'nothing due today'),
      ].join('; '),
    };
  }

  if (guard) return heldBy(guard, planned.notes.join('; '));
  const owes = snapshot.invoices.some(owing);
  return {
    status: 'none',
    on: null,
    step: null,
    stepKey: null,
    guard: null,
    text: owes ? 'Nothing more scheduled' : 'Nothing owed',
    why: owes
      ? 'every step of the schedule has been taken for what is owed; a flag may be waiting for your decision'
      : 'no open invoice has a balance',
  };
}
