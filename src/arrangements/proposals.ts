import type { Installment } from '../db/schema/index.js';
import { addDays, addMonths, dayNumber, isIsoDate } from '../domain/local-time.js';
import type { ArrangementLimits } from '../domain/policy.js';

/** A request the portal cannot take at all (as opposed to one a person must approve). */
export class ArrangementInputError extends Error {
  /** The HTTP status of the page that explains it: 400, or 409 when it clashes with what exists. */
  readonly status: 400 | 409;
  constructor(message: string, status: 400 | 409 = 400) {
    super(message);
    this.name = 'ArrangementInputError';
    this.status = status;
  }
}

/** Installment counts a debtor may ask for at all; beyond the organisation's limits a person decides. */
export const installmentCountRange = { min: 2, max: 24 } as const;
/** The first installment is at most this many days away. */
export const firstInstallmentWithinDays = 31;

export interface PlanProposal {
  installments: Installment[];
  /** Inside the organisation's limits: accepted at once. */
  withinLimits: boolean;
  /** Which limits it is outside, in words for the person approving it. */
  reasons: string[];
}

/**
 * Splits a balance into monthly installments from `firstDate` (whole minor units; the first ones carry
 * the remainder, so they sum to the balance exactly) and checks them against the organisation's limits.
 */
export function proposePlan(input: {
  balanceMinor: number;
  count: number;
  firstDate: string;
  today: string;
  limits: ArrangementLimits;
}): PlanProposal {
  const { balanceMinor, count, firstDate, today, limits } = input;
  if (!Number.isSafeInteger(balanceMinor) || balanceMinor <= 0)
    throw new ArrangementInputError('There is nothing to pay on these invoices.');
  if (!Number.isInteger(count) || count < installmentCountRange.min || count > installmentCountRange.max)
    throw new ArrangementInputError(
      `Choose between ${installmentCountRange.min} and ${installmentCountRange.max} payments.`,
    );
  if (!isIsoDate(firstDate)) throw new ArrangementInputError('Choose the date of the first payment.');
  const lead = dayNumber(firstDate) - dayNumber(today);
  if (lead < 0) throw new ArrangementInputError('The first payment cannot be in the past.');
  if (lead > firstInstallmentWithinDays)
    throw new ArrangementInputError(
      `The first payment must be within ${firstInstallmentWithinDays} days (by ${addDays(today, firstInstallmentWithinDays)}).`,
    );
  if (balanceMinor < count)
    throw new ArrangementInputError('The balance is too small to split into that many payments.');

  const base = Math.floor(balanceMinor / count);
  const remainder = balanceMinor - base * count;
  const installments = Array.from({ length: count }, (_, index) => ({
    dueDate: addMonths(firstDate, index),
    amountMinor: base + (index < remainder ? 1 : 0),
  }));
  const reasons: string[] = [];
  if (count > limits.planMaxInstallments)
    reasons.push(`${count} payments is more than the ${limits.planMaxInstallments} accepted at once`);
  if (count < limits.planMinInstallments)
    reasons.push(`${count} payments is fewer than the ${limits.planMinInstallments} accepted at once`);
  if (base < limits.planMinInstallmentMinor)
    reasons.push('each payment is smaller than the smallest accepted at once');
  const span = dayNumber(installments.at(-1)?.dueDate ?? firstDate) - dayNumber(today);
  if (span > limits.planMaxSpanDays)
    reasons.push(`the plan runs ${span} days, longer than the ${limits.planMaxSpanDays} accepted at once`);
  return { installments, withinLimits: reasons.length === 0, reasons };
}

/** Checks a promised date against the organisation's limit; returns the date when it is acceptable. */
export function checkPromisedDate(promisedDate: string, today: string, limits: ArrangementLimits): string {
  if (!isIsoDate(promisedDate)) throw new ArrangementInputError('Choose the date you will pay by.');
  const ahead = dayNumber(promisedDate) - dayNumber(today);
  if (ahead < 0) throw new ArrangementInputError('The date cannot be in the past.');
  if (ahead > limits.promiseMaxDays)
    throw new ArrangementInputError(
      `Choose a date within ${limits.promiseMaxDays} days (by ${addDays(today, limits.promiseMaxDays)}), or set up a payment plan instead.`,
    );
  return promisedDate;
}

/**
 * How far a plan has got: what has been paid on its invoices since it began, measured against the
 * installments in order. The next installment is the first not fully covered.
 */
export function planProgress(installments: Installment[], paidMinor: number) {
  let cumulative = 0;
  for (const [index, installment] of installments.entries()) {
    cumulative += installment.amountMinor;
    if (paidMinor < cumulative) {
      return {
        complete: false as const,
        next: { number: index + 1, of: installments.length, ...installment },
        /** What is still owed of this installment. */
        shortMinor: cumulative - paidMinor,
      };
    }
  }
  return { complete: true as const, next: null, shortMinor: 0 };
}
