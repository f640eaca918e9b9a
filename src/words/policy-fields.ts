import type { FieldWords } from './problems.js';

/*
 * The collection policy's fields as the Schedule and Money pages name them, for validation problems
 * in words. Shares and rates are stored as fractions but typed as percentages: their rule is in
 * the page's units. Amounts are stored in minor units but typed in major ones: theirs too.
 */

const fields: Record<string, FieldWords> = {
  steps: { label: 'the schedule', rule: 'between 1 and 30 steps' },
  minDaysBetweenContacts: { label: 'days between contacts' },
  'sendingWindow.weekdays': { label: 'sending days', rule: 'at least one day of the week' },
  'sendingWindow.startHour': { label: 'the first sending hour' },
  'sendingWindow.endHour': { label: 'the last sending hour' },
  closedDays: { label: 'days you are closed' },
  finalNoticeGraceDays: {
    label: 'days after the final notice before suggesting an agency, settlement or write-off',
  },
  minimumBalanceMinor: { label: 'the minimum balance worth chasing', rule: 'an amount, 0 or more' },
  firstContactMaxTone: { label: 'the harshest first contact' },
  highValueCustomerMinor: {
    label: 'the amount paid that makes a customer high-value',
    rule: 'an amount, 0 or more',
  },
  approvalFromTone: { label: 'the tone from which you approve each step' },
  promiseGraceDays: { label: 'grace days after a promise' },
  'lateFees.rule.kind': { label: 'the late-fee rule' },
  'lateFees.rule.amountMinor': { label: 'the flat fee', rule: 'a whole amount, 0 or more' },
  'lateFees.rule.annualRatePercent': { label: 'the yearly rate', rule: 'a yearly rate between 0 and 100 %' },
  'lateFees.rule.graceDays': { label: 'the late-fee grace', rule: 'between 0 and 365 days' },
  'lateFees.rule.referenceRatePercent': {
    label: 'the central bank reference rate',
    rule: 'the central bank rate, between −5 and 100 %',
  },
  'lateFees.rule.extraPoints': { label: 'the points over the reference', rule: 'between 8 and 50 points' },
  'recovery.agencyFeeShare': { label: 'the agency’s fee', rule: 'between 5 and 70 %' },
  'recovery.settlementDiscount': { label: 'the settlement discount offered', rule: 'between 0 and 90 %' },
  'recovery.maxSettlementDiscount': {
    label: 'the most you will settle for off',
    rule: 'between 0 and 90 %, and at least the discount offered',
  },
  'recovery.settlementAcceptance': { label: 'the chance a customer accepts', rule: 'between 0 and 100 %' },
  'recovery.agencyRecoveryFactor': {
    label: 'how many times more often an agency collects',
    rule: 'between 0.5 and 3',
  },
  'recovery.chasingCostPerMonthMinor': {
    label: 'your cost of chasing a month',
    rule: 'an amount, 0 or more',
  },
  'arrangements.promiseMaxDays': { label: 'how far ahead a promise may be', rule: 'between 1 and 90 days' },
  'arrangements.planMinInstallments': { label: 'the fewest installments', rule: 'between 2 and 24' },
  'arrangements.planMaxInstallments': {
    label: 'the most installments',
    rule: 'between 2 and 24, and at least the fewest',
  },
  'arrangements.planMinInstallmentMinor': { label: 'the smallest installment', rule: 'an amount, 0 or more' },
  'arrangements.planMaxSpanDays': { label: 'the longest plan', rule: 'between 14 and 730 days' },
  'arrangements.installmentReminderDays': {
    label: 'the days before each installment to remind',
    rule: 'between 0 and 14 days',
  },
  'arrangements.settlementPayWithinDays': {
    label: 'how long a settlement offer is open',
    rule: 'between 3 and 90 days',
  },
  'arrangements.portalLinkDays': { label: 'how long links in emails work', rule: 'between 7 and 365 days' },
};

const stepFields: Record<string, string> = {
  key: 'name',
  name: 'name',
  offsetDays: 'days from the due date',
  action: 'action',
  tone: 'tone',
  template: 'template',
  task: 'task',
  flags: 'suggestions',
  via: 'way of sending (by email, by text, or both)',
  attachStatement: 'statement attachment',
};

const segmentFields: Record<string, string> = {
  escalationShiftDays: 'escalation shift (days)',
  flagShiftDays: 'flag shift (days)',
  offerPlanAtDays: 'plan offer day',
};

/** A policy field's words by its path, as the Schedule and Money pages label it. */
export function policyFieldWords(path: readonly PropertyKey[]): FieldWords | null {
  const [first, second, third] = path;
  if (first === 'steps' && typeof second === 'number') {
    const field = typeof third === 'string' ? stepFields[third] : undefined;
    if (third === 'flags')
      return { label: `step ${second + 1}’s suggestions`, rule: 'at least one suggestion ticked' };
    if (third === 'task')
      return { label: `step ${second + 1}’s task`, rule: 'what to do, in at most 120 characters' };
    return { label: `step ${second + 1}’s ${field ?? 'settings'}` };
  }
  if (first === 'closedDays') return fields['closedDays'] ?? null;
  if (first === 'sendingWindow' && second === 'weekdays') return fields['sendingWindow.weekdays'] ?? null;
  if (first === 'segmentAdjustments' && typeof second === 'string' && typeof third === 'string')
    return { label: `the ${second} segment’s ${segmentFields[third] ?? 'shift'}` };
  return fields[path.map(String).join('.')] ?? null;
}
