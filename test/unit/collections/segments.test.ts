import { describe, expect, it } from 'vitest';
import { classifyDebtor } from '../../../src/collections/segments.js';
import type { DebtorHistory, SnapshotContact } from '../../../src/collections/snapshot.js';
import { day, debtor } from './debtor.js';

const today = day(0);
const history = (changes: Partial<DebtorHistory>): DebtorHistory => ({
  ...debtor([{ dueDate: today }]).history,
  ...changes,
});
const contacts: SnapshotContact[] = [{ email: 'ap@x.example', name: null, role: 'billing', bounced: false }];
/** Paid invoices due 30, 60, 90 … days ago, each paid `late[i]` days after its due date. */
const paidLate = (...late: number[]) =>
  late.map((days, index) => ({
    dueDate: day(-30 * (index + 1) - 20),
    paidOn: day(-30 * (index + 1) - 20 + days),
    partPayments: 1,
  }));
const segmentOf = (changes: Partial<DebtorHistory>, people = contacts) =>
  classifyDebtor(history(changes), people, today).segment;

describe('segments', () => {
  it('calls a customer with fewer than three paid invoices in a year new', () => {
    expect(segmentOf({ paidInvoices: paidLate(0, 0) })).toBe('new');
  });

  it('calls on-time payers reliable and a few days late forgetful', () => {
    expect(segmentOf({ paidInvoices: paidLate(0, 2, 3) })).toBe('reliable');
    expect(segmentOf({ paidInvoices: paidLate(5, 9, 14) })).toBe('forgetful');
    expect(segmentOf({ paidInvoices: paidLate(20, 25, 28) })).toBe('strained');
  });

  it('calls a customer late by more than 30 days on 60 % of invoices chronic', () => {
    expect(segmentOf({ paidInvoices: paidLate(31, 45, 2, 60, 0) })).toBe('chronic');
    // Two of five very late is under the share, and the typical invoice is paid within 3 days.
    expect(segmentOf({ paidInvoices: paidLate(31, 45, 2, 0, 0) })).toBe('reliable');
  });

  it('calls part payments, a broken promise or a plan strained', () => {
    const parts = paidLate(0, 0, 0).map((invoice, index) => ({
      ...invoice,
      partPayments: index < 2 ? 3 : 1,
    }));
    expect(segmentOf({ paidInvoices: parts })).toBe('strained');
    expect(
      segmentOf({
        paidInvoices: paidLate(0, 0, 0),
        promises: [{ invoiceIds: ['x'], promisedDate: day(-10), status: 'broken', madeOn: day(-20) }],
      }),
    ).toBe('strained');
    expect(
      segmentOf({
        paidInvoices: paidLate(0, 0, 0),
        plan: {
          status: 'active',
          nextInstallment: { number: 1, of: 3, dueDate: day(5), amountMinor: 5_000, currency: 'GBP' },
        },
      }),
    ).toBe('strained');
  });

  it('calls three unanswered contacts in 60 days, or every address bouncing, unresponsive', () => {
    const emails = [-50, -40, -30].map((offset) => ({
      at: `${day(offset)}T10:00:00Z`,
      kind: 'email' as const,
      steps: [],
    }));
    expect(segmentOf({ paidInvoices: paidLate(0, 0, 0), contacts: emails })).toBe('unresponsive');
    expect(
      segmentOf({ paidInvoices: paidLate(0, 0, 0), contacts: emails, payments: [{ paidOn: day(-35) }] }),
    ).toBe('reliable');
    expect(
      segmentOf({
        paidInvoices: paidLate(0, 0, 0),
        contacts: emails,
        lastResponseAt: `${day(-20)}T09:00:00Z`,
      }),
    ).toBe('reliable');
    expect(
      segmentOf({ paidInvoices: paidLate(0, 0, 0) }, [{ ...contacts[0], bounced: true } as SnapshotContact]),
    ).toBe('unresponsive');
  });

  it('calls an open dispute, or two in a year, disputing — before anything else', () => {
    const open = [{ invoiceIds: ['x'], status: 'open' as const, openedOn: day(-3) }];
    expect(segmentOf({ paidInvoices: paidLate(40, 50, 60), disputes: open })).toBe('disputing');
    const twoResolved = [-100, -200].map((offset) => ({
      invoiceIds: ['x'],
      status: 'resolved' as const,
      openedOn: day(offset),
    }));
    expect(segmentOf({ paidInvoices: paidLate(0, 0, 0), disputes: twoResolved })).toBe('disputing');
  });

  it('says why, in words that can be checked', () => {
    const result = classifyDebtor(history({ paidInvoices: paidLate(31, 45, 60) }), contacts, today);
    expect(result).toEqual({
      segment: 'chronic',
      reason: '3 of 3 invoices in the last 12 months paid more than 30 days late',
      overridden: false,
    });
  });
});
