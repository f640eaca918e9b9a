import { describe, expect, it } from 'vitest';
import type { Policy } from '../../../src/domain/policy.js';
import { buildLetter } from '../../../src/statements/letter.js';
import { buildStatement, type InvoiceRow } from '../../../src/statements/statement.js';
import { asOf, debtor, invoice, issuer } from './fixtures.js';

const noFees: Policy['lateFees'] = { rule: { kind: 'none' }, debtorsAreBusinesses: true };
const ukStatutory: Policy['lateFees'] = {
  rule: { kind: 'uk-late-payment', referenceRatePercent: 5.25 },
  debtorsAreBusinesses: true,
};

const statementOf = (invoices: InvoiceRow[]) =>
  buildStatement({ issuer, debtor, homeCurrency: 'GBP', asOf, invoices, credits: [], payments: [] });

describe('the formal demand and the final notice', () => {
  it('demands the overdue invoices only, with 14 days to pay (7 for the final notice)', () => {
    const overdue = invoice(43, 120_000);
    const statement = statementOf([
      overdue,
      invoice(-5, 30_000),
      invoice(200, 50_000, { hold: 'write_off' }),
      invoice(0, 10_000),
    ]);
    const demand = buildLetter(statement, noFees, 'demand');
    expect(demand?.invoices.map((line) => line.number)).toEqual([overdue.number]);
    expect(demand).toMatchObject({
      kind: 'demand',
      title: 'Formal demand for payment',
      date: asOf,
      payBy: '2026-03-29',
      reference: 'FD-42-2026-03-15',
      chargesBasis: null,
      totals: [
        { currency: 'GBP', owedMinor: 120_000, interestMinor: 0, compensationMinor: 0, dueMinor: 120_000 },
      ],
    });
    expect(demand?.paragraphs[0]).toBe(
      'Our records show that the invoice listed below is overdue and unpaid. We formally request payment of £1,200.00 by 29 March 2026.',
    );
    const final = buildLetter(statement, noFees, 'final_notice');
    expect(final).toMatchObject({ title: 'Final notice before further action', payBy: '2026-03-22' });
    expect(final?.paragraphs.join('\n')).toContain('collection agency');
    expect(demand?.paragraphs.join('\n')).not.toContain('collection agency');
  });

  it('adds UK statutory interest and compensation as the fee arithmetic gives them', () => {
    // £1,200 at 13.25% (5.25 + 8) for 43 days: 120000 × 13.25 × 43 / 36500 = 1873.1…, so £18.73; £70 for a debt of £1,000–£9,999.99.
    const statement = statementOf([invoice(43, 120_000), invoice(10, 50_000, { totalMinor: 80_000 })]);
    const letter = buildLetter(statement, ukStatutory, 'demand');
    expect(
      letter?.invoices.map((line) => [line.interest.amountMinor, line.compensation.amountMinor]),
    ).toEqual([
      [1_873, 7_000],
      // £500 at 13.25% for 10 days = 181.5… → £1.82; the band goes by the invoice total (£800): £40.
      [182, 4_000],
    ]);
    expect(letter?.totals).toEqual([
      {
        currency: 'GBP',
        owedMinor: 170_000,
        interestMinor: 2_055,
        compensationMinor: 11_000,
        dueMinor: 183_055,
      },
    ]);
    expect(letter?.chargesBasis).toContain('Late Payment of Commercial Debts (Interest) Act 1998');
    expect(letter?.invoices[0]?.chargeExplanation).toContain('13.25% a year');
  });

  it('charges statutory interest only where the rule applies: not on another currency, not to consumers', () => {
    const statement = statementOf([invoice(43, 120_000), invoice(43, 90_000, { currency: 'EUR' })]);
    const letter = buildLetter(statement, ukStatutory, 'demand');
    const eur = letter?.totals.find((totals) => totals.currency === 'EUR');
    expect(eur).toEqual({
      currency: 'EUR',
      owedMinor: 90_000,
      interestMinor: 0,
      compensationMinor: 0,
      dueMinor: 90_000,
    });
    const consumers = buildLetter(statement, { ...ukStatutory, debtorsAreBusinesses: false }, 'demand');
    expect(consumers?.chargesBasis).toBeNull();
    expect(consumers?.totals.every((totals) => totals.dueMinor === totals.owedMinor)).toBe(true);
  });

  it('has nothing to demand when nothing is overdue, or the balance is credit', () => {
    expect(buildLetter(statementOf([invoice(-3, 10_000)]), noFees, 'demand')).toBeNull();
    expect(
      buildLetter(statementOf([invoice(30, -5_000, { totalMinor: 1_000 })]), noFees, 'demand'),
    ).toBeNull();
    expect(buildLetter(statementOf([]), noFees, 'final_notice')).toBeNull();
  });

  it('is plain data: it survives JSON, so a posted letter can be kept and rendered again', () => {
    const letter = buildLetter(statementOf([invoice(43, 120_000)]), ukStatutory, 'final_notice');
    expect(JSON.parse(JSON.stringify(letter))).toEqual(letter);
  });
});
