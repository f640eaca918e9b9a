import { describe, expect, it } from 'vitest';
import { addDays } from '../../../src/domain/local-time.js';
import {
  agingBucketOf,
  buildStatement,
  type CreditRow,
  type InvoiceRow,
  type PaymentRow,
  type StatementInput,
  settledUp,
} from '../../../src/statements/statement.js';
import { asOf, debtor, invoice, issuer } from './fixtures.js';

function statement(
  invoices: InvoiceRow[],
  credits: CreditRow[] = [],
  payments: PaymentRow[] = [],
  overrides: Partial<StatementInput> = {},
) {
  return buildStatement({
    issuer,
    debtor,
    homeCurrency: 'GBP',
    asOf,
    invoices,
    credits,
    payments,
    ...overrides,
  });
}

describe('the aging buckets', () => {
  it('puts each day at its edge in the right bucket', () => {
    const edges: Array<[number, string]> = [
      [-10, 'current'],
      [0, 'current'],
      [1, '1-30'],
      [30, '1-30'],
      [31, '31-60'],
      [60, '31-60'],
      [61, '61-90'],
      [90, '61-90'],
      [91, '90+'],
      [400, '90+'],
    ];
    for (const [days, bucket] of edges) expect(agingBucketOf(days), `${days} days`).toBe(bucket);
  });

  it('ages invoices from their due date to the statement date, and the buckets add up to what is owed', () => {
    const rows = [0, 1, 30, 31, 60, 61, 90, 91, -5].map((days, index) => invoice(days, 1_000 * (index + 1)));
    const result = statement(rows);
    const byNumber = new Map(result.invoices.map((line) => [line.number, line]));
    expect(byNumber.get(rows[0]?.number ?? '')).toMatchObject({ daysOverdue: 0, bucket: 'current' });
    expect(byNumber.get(rows[1]?.number ?? '')).toMatchObject({ daysOverdue: 1, bucket: '1-30' });
    expect(byNumber.get(rows[3]?.number ?? '')).toMatchObject({ daysOverdue: 31, bucket: '31-60' });
    expect(byNumber.get(rows[7]?.number ?? '')).toMatchObject({ daysOverdue: 91, bucket: '90+' });
    expect(byNumber.get(rows[8]?.number ?? '')).toMatchObject({ daysOverdue: 0, bucket: 'current' });
    const [gbp] = result.totals;
    expect(gbp?.aging).toEqual({
      current: 1_000 + 9_000,
      '1-30': 2_000 + 3_000,
      '31-60': 4_000 + 5_000,
      '61-90': 6_000 + 7_000,
      '90+': 8_000,
    });
    expect(gbp?.owedMinor).toBe(45_000);
    expect(gbp?.overdueMinor).toBe(45_000 - 1_000 - 9_000);
    expect(Object.values(gbp?.aging ?? {}).reduce((sum, value) => sum + value, 0)).toBe(gbp?.owedMinor);
    // Oldest due first.
    expect(result.invoices.map((line) => line.dueDate)).toEqual(
      [...result.invoices.map((line) => line.dueDate)].sort(),
    );
  });
});

describe('the totals', () => {
  it('keeps each currency apart, the home currency first, and never adds across them', () => {
    const result = statement([
      invoice(10, 12_000, { currency: 'USD' }),
      invoice(40, 50_000, { currency: 'EUR' }),
      invoice(5, 30_000),
      invoice(100, 7_00, { currency: 'JPY', totalMinor: 700 }),
    ]);
    expect(result.totals.map((totals) => totals.currency)).toEqual(['GBP', 'EUR', 'JPY', 'USD']);
    expect(result.totals.map((totals) => [totals.currency, totals.owedMinor])).toEqual([
      ['GBP', 30_000],
      ['EUR', 50_000],
      ['JPY', 700],
      ['USD', 12_000],
    ]);
    expect(result.totals.find((totals) => totals.currency === 'EUR')?.aging['31-60']).toBe(50_000);
    expect(result.totals.find((totals) => totals.currency === 'JPY')?.aging['90+']).toBe(700);
  });

  it('counts credits with something left against their own currency, and lists them', () => {
    const credits: CreditRow[] = [
      {
        id: 'k1',
        kind: 'credit_note',
        number: 'CN-1',
        currency: 'GBP',
        remainingMinor: 5_000,
        issueDate: '2026-02-01',
      },
      {
        id: 'k2',
        kind: 'overpayment',
        number: null,
        currency: 'GBP',
        remainingMinor: 0,
        issueDate: '2026-02-02',
      },
      { id: 'k3', kind: 'prepayment', number: null, currency: 'EUR', remainingMinor: 2_500, issueDate: null },
      {
        id: 'k4',
        kind: 'credit_note',
        number: 'CN-9',
        currency: 'GBP',
        remainingMinor: 900,
        issueDate: '2026-04-01',
      },
    ];
    const result = statement([invoice(20, 40_000)], credits);
    expect(result.credits.map((credit) => credit.id)).toEqual(['k3', 'k1']);
    const gbp = result.totals.find((totals) => totals.currency === 'GBP');
    const eur = result.totals.find((totals) => totals.currency === 'EUR');
    expect(gbp).toMatchObject({ owedMinor: 40_000, creditsMinor: 5_000, balanceMinor: 35_000 });
    expect(eur).toMatchObject({ owedMinor: 0, creditsMinor: 2_500, balanceMinor: -2_500 });
  });

  it('shows a zero balance when nothing is owed, in the home currency', () => {
    const result = statement([invoice(10, 0), invoice(3, 0, { status: 'paid' })]);
    expect(result.invoices).toEqual([]);
    expect(result.totals).toEqual([
      {
        currency: 'GBP',
        owedMinor: 0,
        overdueMinor: 0,
        creditsMinor: 0,
        balanceMinor: 0,
        paidMinor: 0,
        aging: { current: 0, '1-30': 0, '31-60': 0, '61-90': 0, '90+': 0 },
      },
    ]);
    expect(settledUp(result)).toBe(true);
  });

  it('lists an overpaid invoice (a negative balance) and lowers the total by it; credits beyond the debt leave the debtor in credit', () => {
    const overpaid = invoice(12, -2_000, { totalMinor: 10_000 });
    const result = statement(
      [invoice(12, 6_000), overpaid],
      [
        {
          id: 'k1',
          kind: 'credit_note',
          number: 'CN-1',
          currency: 'GBP',
          remainingMinor: 9_000,
          issueDate: null,
        },
      ],
    );
    expect(result.invoices.map((line) => line.owed.amountMinor)).toContain(-2_000);
    const [gbp] = result.totals;
    expect(gbp).toMatchObject({ owedMinor: 4_000, creditsMinor: 9_000, balanceMinor: -5_000 });
    expect(gbp?.aging['1-30']).toBe(4_000);
    expect(settledUp(result)).toBe(true);
    expect(settledUp(statement([invoice(12, 6_000)]))).toBe(false);
  });

  it('leaves out voided, deleted and paid invoices, and one issued after the statement date', () => {
    const kept = invoice(5, 10_000);
    const result = statement([
      kept,
      invoice(50, 99_000, { status: 'voided' }),
      invoice(50, 88_000, { status: 'deleted' }),
      invoice(50, 77_000, { status: 'paid' }),
      invoice(-20, 66_000, { issueDate: addDays(asOf, 1) }),
    ]);
    expect(result.invoices.map((line) => line.id)).toEqual([kept.id]);
    expect(result.totals[0]?.owedMinor).toBe(10_000);
  });

  it('keeps an invoice a person handed to an agency on the statement (the books still say it is owed)', () => {
    const result = statement([invoice(120, 25_000, { hold: 'agency_referral' })]);
    expect(result.invoices[0]).toMatchObject({ hold: 'agency_referral', bucket: '90+' });
    expect(result.totals[0]?.owedMinor).toBe(25_000);
  });
});

describe('the payments', () => {
  const payment = (paidOn: string, amountMinor = 1_000, currency = 'GBP'): PaymentRow => ({
    id: `p-${paidOn}-${currency}`,
    currency,
    amountMinor,
    paidOn,
    invoiceNumbers: ['INV-001'],
  });

  it('lists the last twelve months up to the statement date, newest first, and totals them per currency', () => {
    const result = statement(
      [],
      [],
      [
        payment('2025-03-15'),
        payment('2025-03-16', 2_000),
        payment('2026-01-10', 3_000),
        payment('2026-03-15', 4_000),
        payment('2026-03-16', 5_000),
        payment('2026-02-01', 600, 'EUR'),
      ],
    );
    expect(result.paymentsFrom).toBe('2025-03-16');
    expect(result.payments.map((row) => row.paidOn)).toEqual([
      '2026-03-15',
      '2026-02-01',
      '2026-01-10',
      '2025-03-16',
    ]);
    expect(result.totals.map((totals) => [totals.currency, totals.paidMinor])).toEqual([
      ['GBP', 9_000],
      ['EUR', 600],
    ]);
    expect(result.totals.every((totals) => totals.owedMinor === 0)).toBe(true);
  });
});

describe('the debtor', () => {
  it('carries a debtor with no email address as it is', () => {
    const result = statement([invoice(5, 1_000)], [], [], { debtor: { ...debtor, email: null } });
    expect(result.debtor.email).toBeNull();
  });
});
