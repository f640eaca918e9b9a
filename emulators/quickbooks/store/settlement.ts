/**
 * Payments and credit memos. A Payment's lines link Invoices (money applied) and CreditMemos (credit used):
 * TotalAmt + credit used = applied to invoices + UnappliedAmt. A zero-amount payment whose lines name an
 * invoice and a credit memo for the same amount is how a credit memo is applied to an invoice through the API.
 * Everything is validated before anything changes, so a refused payment leaves no trace.
 */
import { businessValidation, invalidReference, invalidValue } from '../faults.js';
import type {
  CreditMemoRecord,
  InvoiceRecord,
  LineRecord,
  PaymentLineRecord,
  PaymentRecord,
} from './company.js';
import { definedOnly, type Ledger, sum } from './ledger.js';
import { checkAmount, checkDate, checkLength, required } from './validate.js';

export interface PaymentFields {
  customerId: string;
  total: number;
  txnDate?: string;
  currency?: string;
  lines: PaymentLineRecord[];
  privateNote?: string;
}

export function createPayment(ledger: Ledger, fields: PaymentFields): PaymentRecord {
  const { company } = ledger;
  const customer = ledger.customer(fields.customerId);
  const currency = fields.currency ?? customer.currency;
  if (currency !== customer.currency) {
    throw businessValidation(
      `The payment currency ${currency} does not match the customer currency ${customer.currency}.`,
    );
  }
  checkAmount('TotalAmt', fields.total);
  if (fields.total < 0) throw businessValidation('TotalAmt must not be negative.');
  checkDate('TxnDate', fields.txnDate);
  checkLength('PrivateNote', fields.privateNote);

  const invoiceUse = new Map<string, number>();
  const memoUse = new Map<string, number>();
  for (const line of fields.lines) {
    checkAmount('Line.Amount', line.amount);
    if (line.amount <= 0) throw businessValidation('Each payment line must have a positive Amount.');
    const target =
      line.txnType === 'Invoice' ? linkedInvoice(ledger, line.txnId) : linkedMemo(ledger, line.txnId);
    if (target.customerId !== customer.id) {
      throw businessValidation(`${line.txnType} ${line.txnId} belongs to another customer.`);
    }
    if (target.currency !== currency) {
      throw businessValidation(
        `${line.txnType} ${line.txnId} is in ${target.currency}, the payment in ${currency}.`,
      );
    }
    const uses = line.txnType === 'Invoice' ? invoiceUse : memoUse;
    uses.set(line.txnId, (uses.get(line.txnId) ?? 0) + line.amount);
  }
  for (const [id, amount] of invoiceUse) {
    const invoice = company.invoices.get(id) as InvoiceRecord;
    if (amount > invoice.balance) {
      throw businessValidation(
        `The amount applied to invoice ${id} (${amount}) is more than its open balance (${invoice.balance}).`,
      );
    }
  }
  for (const [id, amount] of memoUse) {
    const memo = company.creditMemos.get(id) as CreditMemoRecord;
    if (amount > memo.remaining) {
      throw businessValidation(
        `The credit used from credit memo ${id} (${amount}) is more than its remaining credit.`,
      );
    }
  }
  const applied = sumOf(invoiceUse);
  const credits = sumOf(memoUse);
  if (credits > applied)
    throw businessValidation('The credits applied are more than the charges they are applied to.');
  if (applied - credits > fields.total) {
    throw businessValidation('The amount applied to transactions is more than the payment amount.');
  }

  const payment = ledger.created<PaymentRecord>('Payment', {
    customerId: customer.id,
    txnDate: fields.txnDate ?? ledger.today(),
    currency,
    total: fields.total,
    unapplied: fields.total + credits - applied,
    lines: fields.lines.map((line) => ({ ...line })),
    ...definedOnly({ privateNote: fields.privateNote }),
  });
  company.payments.set(payment.id, payment);
  for (const [id, amount] of invoiceUse) {
    const invoice = company.invoices.get(id) as InvoiceRecord;
    invoice.balance -= amount;
    invoice.paymentIds.push(payment.id);
    ledger.touch('Invoice', invoice);
  }
  for (const [id, amount] of memoUse) {
    const memo = company.creditMemos.get(id) as CreditMemoRecord;
    memo.remaining -= amount;
    ledger.touch('CreditMemo', memo);
  }
  return payment;
}

/** What a bookkeeper does in the UI: the amount goes to the chosen invoices, oldest first. */
export function receivePayment(
  ledger: Ledger,
  input: { customerId: string; amount: number; invoiceIds: string[]; txnDate?: string },
): PaymentRecord {
  const invoices = input.invoiceIds
    .map((id) => linkedInvoice(ledger, id))
    .sort((a, b) => a.txnDate.localeCompare(b.txnDate) || Number(a.id) - Number(b.id));
  let left = input.amount;
  const lines: PaymentLineRecord[] = [];
  for (const invoice of invoices) {
    const amount = Math.min(left, invoice.balance);
    if (amount <= 0) continue;
    lines.push({ amount, txnId: invoice.id, txnType: 'Invoice' });
    left -= amount;
  }
  return createPayment(ledger, {
    customerId: input.customerId,
    total: input.amount,
    lines,
    ...definedOnly({ txnDate: input.txnDate }),
  });
}

export function createCreditMemo(
  ledger: Ledger,
  fields: {
    customerId: string;
    lines: LineRecord[];
    txnDate?: string;
    currency?: string;
    docNumber?: string;
    privateNote?: string;
  },
): CreditMemoRecord {
  const customer = ledger.customer(fields.customerId);
  const currency = fields.currency ?? customer.currency;
  if (currency !== customer.currency) {
    throw businessValidation(
      `The currency ${currency} does not match the customer currency ${customer.currency}.`,
    );
  }
  if (fields.lines.length === 0) required('Line', undefined);
  for (const line of fields.lines) {
    checkAmount('Line.Amount', line.amount);
    if (line.amount < 0) throw invalidValue('Line.Amount', 'Line amounts must not be negative.');
  }
  checkDate('TxnDate', fields.txnDate);
  checkLength('DocNumber', fields.docNumber);
  checkLength('PrivateNote', fields.privateNote);
  const total = sum(fields.lines);
  const docNumber = fields.docNumber ?? ledger.company.nextDocNumber();
  const memo = ledger.created<CreditMemoRecord>('CreditMemo', {
    docNumber,
    customerId: customer.id,
    txnDate: fields.txnDate ?? ledger.today(),
    currency,
    lines: fields.lines.map((line) => ({ ...line })),
    total,
    remaining: total,
    ...definedOnly({ privateNote: fields.privateNote }),
  });
  ledger.company.creditMemos.set(memo.id, memo);
  return memo;
}

function linkedInvoice(ledger: Ledger, id: string): InvoiceRecord {
  const invoice = ledger.company.invoices.get(id);
  if (!invoice) throw invalidReference('LinkedTxn.TxnId', `Invoice ${id}`);
  if (invoice.voided) throw businessValidation(`Invoice ${id} is voided.`);
  return invoice;
}

function linkedMemo(ledger: Ledger, id: string): CreditMemoRecord {
  const memo = ledger.company.creditMemos.get(id);
  if (!memo) throw invalidReference('LinkedTxn.TxnId', `CreditMemo ${id}`);
  return memo;
}

function sumOf(map: Map<string, number>): number {
  let total = 0;
  for (const amount of map.values()) total += amount;
  return total;
}
