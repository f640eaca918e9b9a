import type { Segment, StepKind } from '../domain/policy.js';

export interface SnapshotInvoice {
  id: string;
  number: string | null;
  currency: string;
  balanceMinor: number;
  totalMinor: number;
  dueDate: string;
  status: 'open' | 'paid' | 'voided' | 'deleted';
  /** The ledger's online payment link, when it has one. */
  paymentUrl?: string | null;
  /** The ledger connection it came from (where its notes are written), when loaded from the mirror. */
  connectionId?: string;
  /** The invoice's own bill-to address (QuickBooks BillEmail): the first choice of recipient. */
  billEmail?: string | null;
}

/** An invoice that stopped being owed: when, beside its due date, marks where a journey ended. */
export interface ClosedInvoice {
  dueDate: string;
  /** ISO timestamp it was first seen paid, voided, deleted or credited. */
  closedAt: string;
}

/** Credit the debtor may still use (credit notes, unapplied payments, overpayments, prepayments), per currency. */
export interface AvailableCredit {
  currency: string;
  amountMinor: number;
}

export interface SnapshotContact {
  email: string;
  name: string | null;
  role: 'billing' | 'escalation' | 'other';
  bounced: boolean;
}

/** A message, task or flag already planned for the debtor, and which step it was for each invoice. */
export interface PastContact {
  /** When it reached the debtor: an email's send time once sent, else when it was planned. */
  at: string;
  kind: StepKind;
  /** An email planned but not sent yet (waiting for a person's approval, or queued). */
  unsent?: boolean;
  /** A task still open or a flag still waiting for a decision (a call not made, a letter not posted). */
  open?: boolean;
  /** A call or letter a person chose not to make: its rung is passed, but it reached nobody. */
  dismissed?: boolean;
  /**
   * An email that drew an out-of-office reply: the day (YYYY-MM-DD, the organisation's) its reader
   * is back. It went while they were away, so their rung is sent once more when they are.
   */
  awayUntil?: string;
  /** The step each invoice in it was at. */
  steps: Array<{ invoiceId: string; stepKey: string }>;
}

export interface PlanInstallment {
  number: number;
  of: number;
  dueDate: string;
  amountMinor: number;
  currency: string;
}

export interface DebtorHistory {
  contacts: PastContact[];
  /**
   * Invoices closed within the history read, or held out of the schedule by an approved flag (closed
   * then, for the journey), in any order: where the current journey began.
   */
  closedInvoices?: ClosedInvoice[];
  /** Invoices paid in the past: their due date, when they were paid off, and whether in parts. */
  paidInvoices: Array<{ dueDate: string; paidOn: string; partPayments: number }>;
  /** Payments received (any invoice), newest last. */
  payments: Array<{ paidOn: string }>;
  /** Promises to pay (and settlement offers, which pause chasing the same way until their pay-by date). */
  promises: Array<{
    invoiceIds: string[];
    promisedDate: string;
    status: 'open' | 'kept' | 'broken';
    madeOn: string;
    /** ISO timestamp the promise was found kept or broken. */
    resolvedAt?: string | null;
  }>;
  /** The newest payment plan, if any. */
  plan: {
    status: 'active' | 'broken' | 'completed';
    invoiceIds?: string[];
    /** The first installment not yet met; null when none is left. */
    nextInstallment: PlanInstallment | null;
    /** ISO timestamp the plan was found broken. */
    brokenAt?: string | null;
    /** ISO timestamp the plan was made: its installment reminders count from then. */
    madeAt?: string | null;
  } | null;
  /** Settlement offers still open: chasing pauses until their pay-by date (+ grace) after the offer goes. */
  settlements?: Array<{
    id: string;
    invoiceIds: string[];
    amountMinor: number;
    currency: string;
    payBy: string;
  }>;
  disputes: Array<{ invoiceIds: string[]; status: 'open' | 'resolved'; openedOn: string }>;
  /**
   * The debtor's replies to reminders that no person has read yet (src/collections/reply-wait.ts):
   * chasing waits for them to be read, an out-of-office one only until its writer is back.
   */
  unreadReplies?: Array<{ receivedOn: string; outOfOffice: boolean; returnsOn: string | null }>;
  /** Last time the debtor replied or acted in the portal. */
  lastResponseAt: string | null;
  optedOut: boolean;
  /** Lifetime paid revenue in the organisation's currency (minor units). */
  lifetimePaidMinor: number;
  /** When the customer first bought on credit. */
  firstInvoiceDate: string | null;
}

export interface CustomerOverrides {
  /** A person excluded the customer from automatic chasing. */
  excluded?: boolean;
  /** A person forbade any contact (legal, relationship). */
  doNotContact?: boolean;
  /**
   * A person paused automatic chasing until this day (YYYY-MM-DD, the organisation's calendar):
   * nothing is planned before it; on it, the journey resumes where it stood.
   */
  pausedUntil?: string;
  /** Where a person chose reminders to go, instead of the addresses in the books. */
  recipients?: string[];
  segment?: Segment;
  /** The customer's own schedule, replacing the organisation's steps. */
  steps?: import('../domain/policy.js').Step[];
}

/** Everything `plan` needs to know about one debtor; gathered in batches by the evaluator. */
export interface DebtorSnapshot {
  orgId: string;
  customerId: string;
  customerName: string;
  orgTimeZone: string;
  /** The debtor's own zone when known; the sending window uses it first. */
  debtorTimeZone: string | null;
  /** ISO 3166-1 alpha-2 countries: no contact on the debtor's (else the organisation's) public holidays. */
  orgCountry?: string | null;
  debtorCountry?: string | null;
  orgCurrency: string;
  /** Unapplied credits per currency: the net position is what the open invoices owe less these. */
  credits?: AvailableCredit[];
  invoices: SnapshotInvoice[];
  contacts: SnapshotContact[];
  /** A mobile number with consent to texts on record and no SMS opt-out: a reminder may go by text. */
  textable?: boolean;
  history: DebtorHistory;
  overrides: CustomerOverrides;
}
