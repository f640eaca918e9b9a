/**
 * The formal demand and the final notice: what a posted letter says, as plain data built from a
 * statement and the policy's late-fee rule. Pure: the same statement and rule give the same letter,
 * and a letter is plain JSON (no Date, no class), so whoever records a posted letter can keep it and
 * render the very same PDF again for the evidence pack.
 */
import { quoteLateFees } from '../collections/fees.js';
import { addDays } from '../domain/local-time.js';
import type { Money } from '../domain/money.js';
import type { Policy } from '../domain/policy.js';
import { formatIsoDate, formatMoney } from '../messaging/templates/index.js';
import type { Statement, StatementDebtor, StatementIssuer } from './statement.js';

export const letterKinds = ['demand', 'final_notice'] as const;
export type LetterKind = (typeof letterKinds)[number];

/** Days the debtor is given to pay from the letter's date. */
export const payWithinDays: Record<LetterKind, number> = { demand: 14, final_notice: 7 };

export const letterTitles: Record<LetterKind, string> = {
  demand: 'Formal demand for payment',
  final_notice: 'Final notice before further action',
};

export interface LetterInvoice {
  number: string | null;
  issueDate: string | null;
  dueDate: string;
  daysOverdue: number;
  total: Money;
  owed: Money;
  /** Interest and compensation (or a flat fee) the rule gives on this invoice; zero when none. */
  interest: Money;
  compensation: Money;
  /** The rule's sentence for this invoice, when it charges anything. */
  chargeExplanation: string | null;
}

export interface LetterTotals {
  currency: string;
  owedMinor: number;
  interestMinor: number;
  compensationMinor: number;
  /** What the letter asks for: owed plus interest and compensation. */
  dueMinor: number;
}

export interface Letter {
  kind: LetterKind;
  title: string;
  /** The letter's date (YYYY-MM-DD): the PDF is dated from it, so a copy regenerates byte for byte. */
  date: string;
  payBy: string;
  /** A reference the debtor can quote: the kind, the customer's reference in the books and the date. */
  reference: string;
  issuer: StatementIssuer;
  debtor: StatementDebtor;
  /** The overdue invoices the letter is about, oldest due first. */
  invoices: LetterInvoice[];
  totals: LetterTotals[];
  /** What the late-fee rule is, in words, when it charges anything on these invoices. */
  chargesBasis: string | null;
  /** The body of the letter, one paragraph an entry. */
  paragraphs: string[];
}

/** Why a rule's charges are due, in words a debtor reads. */
function basisOf(rule: Policy['lateFees']['rule']): string | null {
  switch (rule.kind) {
    case 'uk-late-payment':
      return 'Under the Late Payment of Commercial Debts (Interest) Act 1998 we are entitled to statutory interest and fixed compensation on these late payments.';
    case 'eu-late-payment':
      return 'Under the law implementing the EU Late Payment Directive (2011/7/EU) we are entitled to interest and a fixed sum for recovery costs on these late payments.';
    case 'percentage':
      return 'Under our terms of business, interest is charged on late payments.';
    case 'flat':
      return 'Under our terms of business, a late fee is charged on each invoice paid late.';
    case 'none':
      return null;
  }
}

const zero = (currency: string): Money => ({ amountMinor: 0, currency });

/**
 * The letter of `kind` to the statement's debtor, about its overdue invoices (those a person handed to
 * an agency or wrote off are not demanded again). Null when nothing is overdue: there is nothing to demand.
 */
export function buildLetter(
  statement: Statement,
  lateFees: Policy['lateFees'],
  kind: LetterKind,
): Letter | null {
  const overdue = statement.invoices.filter(
    (invoice) => invoice.daysOverdue > 0 && invoice.owed.amountMinor > 0 && invoice.hold === null,
  );
  if (overdue.length === 0) return null;
  const invoices = overdue.map((invoice): LetterInvoice => {
    const quote = quoteLateFees({
      balance: invoice.owed,
      total: invoice.total,
      dueDate: invoice.dueDate,
      asOf: statement.asOf,
      debtorIsBusiness: lateFees.debtorsAreBusinesses,
      rule: lateFees.rule,
    });
    const currency = invoice.owed.currency;
    return {
      number: invoice.number,
      issueDate: invoice.issueDate,
      dueDate: invoice.dueDate,
      daysOverdue: invoice.daysOverdue,
      total: invoice.total,
      owed: invoice.owed,
      interest: quote.applies ? quote.interest : zero(currency),
      compensation: quote.applies ? quote.compensation : zero(currency),
      chargeExplanation: quote.applies ? quote.explanation : null,
    };
  });
  const byCurrency = new Map<string, LetterTotals>();
  for (const invoice of invoices) {
    const currency = invoice.owed.currency;
    const totals = byCurrency.get(currency) ?? {
      currency,
      owedMinor: 0,
      interestMinor: 0,
      compensationMinor: 0,
      dueMinor: 0,
    };
    totals.owedMinor += invoice.owed.amountMinor;
    totals.interestMinor += invoice.interest.amountMinor;
    totals.compensationMinor += invoice.compensation.amountMinor;
    totals.dueMinor = totals.owedMinor + totals.interestMinor + totals.compensationMinor;
    byCurrency.set(currency, totals);
  }
  const totals = [...byCurrency.values()];
  const charged = invoices.some((invoice) => invoice.chargeExplanation !== null);
  const payBy = addDays(statement.asOf, payWithinDays[kind]);
  const letter = {
    kind,
    title: letterTitles[kind],
    date: statement.asOf,
    payBy,
    reference: `${kind === 'demand' ? 'FD' : 'FN'}-${statement.debtor.reference}-${statement.asOf}`,
    issuer: statement.issuer,
    debtor: statement.debtor,
    invoices,
    totals,
    chargesBasis: charged ? basisOf(lateFees.rule) : null,
  };
  return { ...letter, paragraphs: paragraphsOf(letter, statement) };
}

/** The letter's words: plain, firm, never a threat the business has not chosen, always a way to talk. */
function paragraphsOf(letter: Omit<Letter, 'paragraphs'>, statement: Statement): string[] {
  const locale = letter.issuer.locale;
  const money = (amountMinor: number, currency: string) => formatMoney({ amountMinor, currency }, locale);
  const date = (iso: string) => formatIsoDate(iso, locale) ?? iso;
  const due = letter.totals.map((totals) => money(totals.dueMinor, totals.currency)).join(' and ');
  const count =
    letter.invoices.length === 1 ? 'the invoice listed below is' : 'the invoices listed below are';
  const contact = [letter.issuer.contactEmail, letter.issuer.contactPhone].filter(Boolean).join(' or ');
  const reach = contact ? `contact us at ${contact}` : 'contact us';
  const credits = statement.totals.filter((totals) => totals.creditsMinor > 0);
  const paragraphs: string[] = [];
  if (letter.kind === 'demand') {
    paragraphs.push(
      `Our records show that ${count} overdue and unpaid. We formally request payment of ${due} by ${date(letter.payBy)}.`,
    );
  } else {
    paragraphs.push(
      `Despite our earlier requests, ${count} still unpaid. This is our final notice: please pay ${due} by ${date(letter.payBy)}.`,
      `If we have neither received payment nor heard from you by then, we may pass the debt to a collection agency or take other steps to recover it without further notice, and those steps may add to the costs you are asked to pay.`,
    );
  }
  if (letter.chargesBasis)
    paragraphs.push(
      `${letter.chargesBasis} The amounts shown are calculated to ${date(letter.date)}; interest, where charged, continues to run until payment.`,
    );
  if (credits.length > 0)
    paragraphs.push(
      `Your account also holds credits of ${credits.map((totals) => money(totals.creditsMinor, totals.currency)).join(' and ')}; tell us if you would like them set against these invoices.`,
    );
  paragraphs.push(
    `If you have already paid, thank you, and please let us know so we can update our records. If something is wrong with an invoice, or you cannot pay in full, please ${reach} so we can agree a way forward.`,
  );
  if (letter.issuer.paymentInstructions) paragraphs.push(`How to pay: ${letter.issuer.paymentInstructions}`);
  return paragraphs;
}
