import type { DebtorHistory, DebtorSnapshot, SnapshotInvoice } from '../../../src/collections/snapshot.js';

/** A debtor with one billing contact and no history; override what a test is about. */
export function debtor(
  invoices: Array<Partial<SnapshotInvoice> & { dueDate: string }>,
  history: Partial<DebtorHistory> = {},
  rest: Partial<DebtorSnapshot> = {},
): DebtorSnapshot {
  return {
    orgId: 'org-1',
    customerId: 'cust-1',
    customerName: 'Cool Cars',
    orgTimeZone: 'Europe/London',
    debtorTimeZone: null,
    orgCurrency: 'GBP',
    invoices: invoices.map((invoice, index) => ({
      id: `inv-${index + 1}`,
      number: `INV-${index + 1}`,
      currency: 'GBP',
      balanceMinor: 10_000,
      totalMinor: 10_000,
      status: 'open',
      ...invoice,
    })),
    contacts: [{ email: 'ap@coolcars.example', name: 'Grace', role: 'billing', bounced: false }],
    history: {
      contacts: [],
      paidInvoices: [],
      payments: [],
      promises: [],
      plan: null,
      disputes: [],
      lastResponseAt: null,
      optedOut: false,
      lifetimePaidMinor: 0,
      firstInvoiceDate: null,
      ...history,
    },
    overrides: {},
    ...rest,
  };
}

/** Tuesday 2026-11-24, 10:00 in London: inside the default sending window. */
export const tuesdayMorning = new Date('2026-11-24T10:00:00Z');
/** `days` from 2026-11-24, as an ISO date. */
export const day = (days: number) => new Date(Date.UTC(2026, 10, 24 + days)).toISOString().slice(0, 10);
/** A reliable history: three invoices paid on time in the last months. */
export const reliableHistory = {
  paidInvoices: [
    { dueDate: day(-90), paidOn: day(-89), partPayments: 1 },
    { dueDate: day(-60), paidOn: day(-60), partPayments: 1 },
    { dueDate: day(-30), paidOn: day(-31), partPayments: 1 },
  ],
};
