/** Changes as a QuickBooks user makes them in the UI; they go through the same ledger as API writes. */
import { definedOnly, type Ledger } from './store/ledger.js';
import { createCreditMemo, createPayment, receivePayment } from './store/settlement.js';
import type { CompanyChanges } from './types.js';

export function companyChanges(ledger: Ledger): CompanyChanges {
  return {
    createCustomer: (input) => ledger.createCustomer(input).id,
    updateCustomer: (id, patch) => {
      ledger.updateCustomer(id, patch);
    },
    // QuickBooks "deletes" a customer by making it inactive. The webhook operation it sends then is not
    // documented; the emulator sends Update, and CDC shows the customer with Active=false.
    deactivateCustomer: (id) => {
      ledger.updateCustomer(id, { active: false });
    },
    createInvoice: (input) => {
      const { amount, lines, ...rest } = input;
      if (lines === undefined && amount === undefined) throw new Error('createInvoice needs amount or lines');
      return ledger.createInvoice({ ...rest, lines: lines ?? [{ amount: amount as number }] }).id;
    },
    updateInvoice: (id, patch) => {
      ledger.updateInvoice(id, patch);
    },
    voidInvoice: (id) => {
      ledger.voidInvoice(id);
    },
    deleteInvoice: (id) => {
      ledger.deleteInvoice(id);
    },
    receivePayment: (input) => receivePayment(ledger, input).id,
    createCreditMemo: (input) =>
      createCreditMemo(ledger, {
        customerId: input.customerId,
        lines: [{ amount: input.amount }],
        ...definedOnly({ txnDate: input.txnDate }),
      }).id,
    applyCreditMemo: (input) => {
      const memo = ledger.company.creditMemos.get(input.creditMemoId);
      if (!memo) throw new Error(`no credit memo ${input.creditMemoId}`);
      return createPayment(ledger, {
        customerId: memo.customerId,
        total: 0,
        lines: [
          { amount: input.amount, txnId: input.invoiceId, txnType: 'Invoice' },
          { amount: input.amount, txnId: input.creditMemoId, txnType: 'CreditMemo' },
        ],
      }).id;
    },
  };
}
