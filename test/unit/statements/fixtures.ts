import { addDays } from '../../../src/domain/local-time.js';
import type { InvoiceRow, StatementInput } from '../../../src/statements/statement.js';

/** The statements' date in these tests. */
export const asOf = '2026-03-15';

export const issuer: StatementInput['issuer'] = {
  name: 'Harbour Joinery Ltd',
  contactEmail: 'accounts@harbour.example',
  contactPhone: '+44 20 7946 0000',
  paymentInstructions: 'Bank transfer: sort code 12-34-56, account 12345678',
  address: [],
  locale: 'en-GB',
  timeZone: 'Europe/London',
  brandColour: '#1a5fb4',
  logoUrl: null,
};

export const debtor: StatementInput['debtor'] = {
  id: 'c1',
  name: 'Acme Builders',
  reference: '42',
  email: 'ap@acme.example',
  address: [],
};

let next = 0;
/** An open GBP invoice due `daysOverdue` days before the statement's date, owing all of its total. */
export function invoice(daysOverdue: number, owedMinor: number, extra: Partial<InvoiceRow> = {}): InvoiceRow {
  next += 1;
  return {
    id: `i${next}`,
    number: `INV-${String(next).padStart(3, '0')}`,
    status: 'open',
    currency: 'GBP',
    totalMinor: Math.max(owedMinor, 0),
    balanceMinor: owedMinor,
    issueDate: addDays(asOf, -daysOverdue - 30),
    dueDate: addDays(asOf, -daysOverdue),
    hold: null,
    ...extra,
  };
}
