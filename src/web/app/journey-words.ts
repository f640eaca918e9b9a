import type { Policy, Step } from '../../domain/policy.js';
import { flagKindsText, labelOf, toneLabels } from '../../words/labels.js';
import { weekdayList } from './forms/schedule-form.js';

/** "a, b or c". */
const orList = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;

const days = (count: number) => `${count} day${count === 1 ? '' : 's'}`;

/** One rung of the ladder as the business would say it: "firm reminder with late fees". */
export function rungWords(step: Step): string {
  if (step.action === 'task') return `a task for you (“${step.task ?? ''}”)`;
  if (step.action === 'flag') return `a suggestion for you to approve (${flagKindsText(step.flags ?? [])})`;
  if (step.template === 'plan-offer') return 'an offer of a payment plan';
  const base =
    step.offsetDays < 0 && step.tone === 'friendly'
      ? 'friendly heads-up before the due date'
      : labelOf(toneLabels, step.tone);
  const fees = step.lateFeeNotice && step.tone === 'firm' ? ' with late fees' : '';
  const copied = step.copyEscalationContacts ? ' (senior contacts copied)' : '';
  return `${base}${fees}${copied}`;
}

/**
 * The rungs of the organisation's ladder, in order, in words: the suggestions at the top (agency,
 * settlement, write-off) as one, since a person approves whichever fits.
 */
export function ladderWords(policy: Policy): string[] {
  const ordered = [...policy.steps].sort((a, b) => a.offsetDays - b.offsetDays);
  const rungs = ordered.filter((step) => step.action !== 'flag').map(rungWords);
  const flagKinds = [
    ...new Set(ordered.flatMap((step) => (step.action === 'flag' ? (step.flags ?? []) : []))),
  ];
  const shortNames: Record<string, string> = {
    agency_referral: 'agency',
    settlement_offer: 'settlement',
    write_off: 'write-off',
  };
  if (flagKinds.length > 0)
    rungs.push(
      `then a suggestion for you to approve (${orList(flagKinds.map((kind) => shortNames[kind] ?? kind))})`,
    );
  return rungs;
}

/**
 * How Dunwell chases a customer, in plain words, with this organisation's own numbers: one ladder
 * per customer, what each message covers, how often and when, and what pauses or ends it.
 */
export function journeyExplanation(policy: Policy, timeZone: string): string[] {
  const window = policy.sendingWindow;
  const closed = policy.closedDays.length;
  return [
    `Each customer walks one ladder, not one per invoice: ${ladderWords(policy).join(', ')}.`,
    'Each message covers every overdue invoice of that customer, with the totals per currency.',
    `A customer hears from you at most once every ${days(policy.minDaysBetweenContacts)}, by any channel.`,
    `Messages go only in working hours (${window.startHour}:00 to ${window.endHour}:00) ${weekdayList(window.weekdays)} in the customer’s time zone (else yours, ${timeZone}), never on the public holidays of the customer’s country (else yours) nor on ${closed === 0 ? 'the days you list as closed on the Schedule page' : `the ${closed === 1 ? 'day' : `${closed} days`} you are closed`}.`,
    `A suggestion waits at least ${days(policy.finalNoticeGraceDays)} after the final notice, and you approve it before anything happens.`,
    'A customer whose credits cover what they owe is not chased.',
    'Paying everything ends the journey. A promise to pay, a payment plan or a dispute pauses it.',
  ];
}
