/**
 * A debtor's statement of account as of a date: pure arithmetic over the mirror's rows, no clock and
 * no database. Money stays in integer minor units with its currency; amounts in different currencies
 * are never added together (each currency has its own totals and aging).
 */
import { addDays, addMonths, dayNumber } from '../domain/local-time.js';
import type { Money } from '../domain/money.js';

/** How late an open invoice is on the statement's date: not yet due, then by 30-day bands. */
export const agingBuckets = ['current', '1-30', '31-60', '61-90', '90+'] as const;
export type AgingBucket = (typeof agingBuckets)[number];

/** The bucket of an invoice `daysOverdue` days past its due date (0 or less: current). */
export function agingBucketOf(daysOverdue: number): AgingBucket {
  if (daysOverdue <= 0) return 'current';
  if (daysOverdue <= 30) return '1-30';
  if (daysOverdue <= 60) return '31-60';
  if (daysOverdue <= 90) return '61-90';
  return '90+';
}

/** How many months of payments a statement lists. */
export const paymentMonths = 12;

/** Who issues the statement, as far as Dunwell knows them. */
export interface StatementIssuer {
  name: string;
  contactEmail: string | null;
  contactPhone: string | null;
  paymentInstructions: string | null;
  /** Postal address lines; empty when none is on record. */
  address: string[];
  /** How money and dates are written (from the organisation's country). */
  locale: string;
  timeZone: string;
  /** The portal's branding: its colour and logo. */
  brandColour: string;
  logoUrl: string | null;
}

/** Who the statement is for. */
export interface StatementDebtor {
  id: string;
  name: string;
  /** The reference of the customer in the books. */
  reference: string;
  /** The billing address reminders go to, or null when the books hold none. */
  email: string | null;
  /** Postal address lines; empty when none is on record. */
  address: string[];
}

/** An invoice as the mirror holds it. */
export interface InvoiceRow {
  id: string;
  number: string | null;
  status: 'open' | 'paid' | 'voided' | 'deleted';
  currency: string;
  totalMinor: number;
  balanceMinor: number;
  issueDate: string | null;
  dueDate: string;
  hold: 'agency_referral' | 'write_off' | null;
}

export interface CreditRow {
  id: string;
  kind: 'credit_note' | 'unapplied_payment' | 'overpayment' | 'prepayment';
  number: string | null;
  currency: string;
  remainingMinor: number;
  issueDate: string | null;
}

export interface PaymentRow {
  id: string;
  currency: string;
  amountMinor: number;
  paidOn: string;
  /** The numbers of the invoices it paid, as far as the ledger said. */
  invoiceNumbers: string[];
}

export interface StatementInvoice {
  id: string;
  number: string | null;
  issueDate: string | null;
  dueDate: string;
  total: Money;
  owed: Money;
  /** Days past due on the statement's date; 0 while not yet due. */
  daysOverdue: number;
  bucket: AgingBucket;
  hold: InvoiceRow['hold'];
}

export interface StatementCredit {
  id: string;
  kind: CreditRow['kind'];
  number: string | null;
  issueDate: string | null;
  remaining: Money;
}

export interface StatementPayment {
  id: string;
  paidOn: string;
  amount: Money;
  invoiceNumbers: string[];
}

/** One currency's figures. `balance` is what is owed less the credits the debtor may still use. */
export interface CurrencyTotals {
  currency: string;
  owedMinor: number;
  overdueMinor: number;
  creditsMinor: number;
  balanceMinor: number;
  paidMinor: number;
  aging: Record<AgingBucket, number>;
}

export interface Statement {
  issuer: StatementIssuer;
  debtor: StatementDebtor;
  /** The statement's date in the organisation's zone, YYYY-MM-DD. */
  asOf: string;
  /** Payments from this day (inclusive) to `asOf` are listed. */
  paymentsFrom: string;
  invoices: StatementInvoice[];
  credits: StatementCredit[];
  payments: StatementPayment[];
  /** One entry per currency that appears, the issuer's home currency first, then alphabetical. */
  totals: CurrencyTotals[];
}

export interface StatementInput {
  issuer: StatementIssuer;
  debtor: StatementDebtor;
  /** The issuer's home currency: its totals come first (and stand alone when nothing is owed). */
  homeCurrency: string;
  asOf: string;
  invoices: InvoiceRow[];
  credits: CreditRow[];
  payments: PaymentRow[];
}

/** The first day whose payments a statement dated `asOf` lists (twelve months back, the day after). */
export function paymentsFromOf(asOf: string): string {
  return addDays(addMonths(asOf, -paymentMonths), 1);
}

const money = (amountMinor: number, currency: string): Money => ({ amountMinor, currency });

/**
 * The statement: open invoices still showing a balance (zero balances left out; a negative one, an
 * overpaid invoice, is listed and lowers its currency's total), credits with something left to use,
 * payments received in the twelve months up to `asOf`, and per currency the totals and the aging.
 * Voided, deleted and paid invoices are not on it; nor is anything dated after `asOf`.
 */
export function buildStatement(input: StatementInput): Statement {
  const asOfDay = dayNumber(input.asOf);
  const paymentsFrom = paymentsFromOf(input.asOf);
  const notAfter = (date: string | null) => date === null || date <= input.asOf;

  const invoices = input.invoices
    .filter((row) => row.status === 'open' && row.balanceMinor !== 0 && notAfter(row.issueDate))
    .map((row): StatementInvoice => {
      const daysOverdue = Math.max(0, asOfDay - dayNumber(row.dueDate));
      return {
        id: row.id,
        number: row.number,
        issueDate: row.issueDate,
        dueDate: row.dueDate,
        total: money(row.totalMinor, row.currency),
        owed: money(row.balanceMinor, row.currency),
        daysOverdue,
        bucket: agingBucketOf(daysOverdue),
        hold: row.hold,
      };
    })
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || (a.number ?? '').localeCompare(b.number ?? ''));

  const credits = input.credits
    .filter((row) => row.remainingMinor > 0 && notAfter(row.issueDate))
    .map((row) => ({
      id: row.id,
      kind: row.kind,
      number: row.number,
      issueDate: row.issueDate,
      remaining: money(row.remainingMinor, row.currency),
    }))
    .sort((a, b) => (a.issueDate ?? '').localeCompare(b.issueDate ?? ''));

  const payments = input.payments
    .filter((row) => row.paidOn >= paymentsFrom && row.paidOn <= input.asOf && row.amountMinor !== 0)
    .map((row) => ({
      id: row.id,
      paidOn: row.paidOn,
      amount: money(row.amountMinor, row.currency),
      invoiceNumbers: row.invoiceNumbers,
    }))
    .sort((a, b) => b.paidOn.localeCompare(a.paidOn));

  const byCurrency = new Map<string, CurrencyTotals>();
  const totalsOf = (currency: string): CurrencyTotals => {
    let totals = byCurrency.get(currency);
    if (!totals) {
      totals = {
        currency,
        owedMinor: 0,
        overdueMinor: 0,
        creditsMinor: 0,
        balanceMinor: 0,
        paidMinor: 0,
        aging: { current: 0, '1-30': 0, '31-60': 0, '61-90': 0, '90+': 0 },
      };
      byCurrency.set(currency, totals);
    }
    return totals;
  };
  for (const invoice of invoices) {
    const totals = totalsOf(invoice.owed.currency);
    totals.owedMinor += invoice.owed.amountMinor;
    if (invoice.daysOverdue > 0) totals.overdueMinor += invoice.owed.amountMinor;
    totals.aging[invoice.bucket] += invoice.owed.amountMinor;
  }
  for (const credit of credits)
    totalsOf(credit.remaining.currency).creditsMinor += credit.remaining.amountMinor;
  for (const payment of payments) totalsOf(payment.amount.currency).paidMinor += payment.amount.amountMinor;
  if (byCurrency.size === 0) totalsOf(input.homeCurrency);
  for (const totals of byCurrency.values()) {
    totals.balanceMinor = totals.owedMinor - totals.creditsMinor;
    for (const value of [totals.owedMinor, totals.creditsMinor, totals.balanceMinor, totals.paidMinor])
      if (!Number.isSafeInteger(value)) throw new RangeError(`${totals.currency} totals are too large`);
  }
  const totals = [...byCurrency.values()].sort((a, b) =>
    a.currency === input.homeCurrency
      ? -1
      : b.currency === input.homeCurrency
        ? 1
        : a.currency.localeCompare(b.currency),
  );

  return {
    issuer: input.issuer,
    debtor: input.debtor,
    asOf: input.asOf,
    paymentsFrom,
    invoices,
    credits,
    payments,
    totals,
  };
}

/** True when nothing is owed in any currency once credits are counted (a zero or credit balance). */
export function settledUp(statement: Statement): boolean {
  return statement.totals.every((totals) => totals.balanceMinor <= 0);
}
