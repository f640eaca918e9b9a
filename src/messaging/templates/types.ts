import type { Money } from '../../domain/money.js';
import type { Tone } from '../../domain/policy.js';

export type { Money, Tone };

/** What a final notice may say happens next, in neutral words chosen by the template. */
export type NextAction = 'agency_referral' | 'small_claims';

/** Everything a template may use; all strings are plain text (escaping happens on output). */
export interface TemplateContext {
  organisation: {
    name: string;
    email: string | null;
    phone: string | null;
    /** BCP 47 tag, e.g. 'en-GB'; money and dates are formatted in it. */
    locale: string;
    paymentInstructions: string | null;
    /** The brand colour (`#1a5fb4`) of the email's frame: its top rule and account-page button. */
    brandColour?: string | null;
    /** An https:// image shown at the top of the email instead of the name. */
    logoUrl?: string | null;
  };
  debtor: { name: string };
  contact: { name: string | null; email: string };
  invoices: Array<{
    number: string | null;
    /** ISO date, YYYY-MM-DD. */
    dueDate: string;
    /** Negative before the due date. */
    daysOverdue: number;
    balance: Money;
    total: Money;
    /** The invoice's online payment link from the ledger, if it has one. */
    payUrl: string | null;
  }>;
  /** One total per currency (several when the debtor's invoices are in different currencies). */
  totals: Money[];
  maxDaysOverdue: number;
  /** The debtor's page: pay, promise, plan, dispute. */
  portalUrl: string;
  lateFee: { explanation: string; total: Money } | null;
  brokenPromise: { promisedDate: string } | null;
  /** Unapplied credit the debtor holds in the invoices' currencies; empty when none. */
  credits?: Money[];
  /** The payment-plan installment an installment reminder is about. */
  installment?: { number: number; of: number; amount: Money; dueDate: string } | null;
  /** The settlement offered: pay `amount` by `payBy` and the rest is forgiven. */
  settlement?: { amount: Money; payBy: string } | null;
  step: {
    key: string;
    tone: Tone;
    /** Set only when the step says what happens next (a final notice before an agency referral). */
    nextAction?: NextAction | null;
  };
}

/** The built-in emails that are not a step of the schedule's tones. */
export type SpecialTemplate = 'installment' | 'settlement';
export type TemplateName = Tone | SpecialTemplate;

/**
 * Liquid sources of one email, as the business edits them: a subject and one body (`text`), plain
 * text with merge fields and a few conventions (see `body.ts`). Both the HTML and the text email are
 * made from the body, inside Dunwell's own frame (see `layout.ts`).
 */
export interface Template {
  subject: string;
  text: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export type TemplatePart = keyof Template;

/** A template that cannot be rendered; `problems` are sentences a person can act on. */
export class TemplateError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`The template cannot be rendered: ${problems.join('; ')}`);
    this.name = 'TemplateError';
    this.problems = problems;
  }
}
