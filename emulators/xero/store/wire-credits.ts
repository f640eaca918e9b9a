// Xero's JSON for credit notes, overpayments and prepayments, and what is allocated from them.
import { toWire } from '../money.js';
import { dateToMs, msDate, updatedDateString } from '../time.js';
import type { Allocation, CreditNote, Organisation, ReceivedCredit } from './model.js';
import { contactSummary, dateFields, type Json, lineItems } from './wire.js';

export function renderAllocation(org: Organisation, allocation: Allocation, withCreditNote: boolean): Json {
  const invoice = org.invoices.get(allocation.invoiceId);
  const creditNote = org.creditNotes.get(allocation.creditNoteId);
  return {
    AllocationID: allocation.id,
    Amount: toWire(allocation.amount, invoice?.currency ?? org.baseCurrency),
    Date: msDate(dateToMs(allocation.date)),
    Invoice: {
      InvoiceID: allocation.invoiceId,
      InvoiceNumber: invoice?.number ?? '',
      Payments: [],
      CreditNotes: [],
      Prepayments: [],
      Overpayments: [],
      HasErrors: false,
      IsDiscounted: false,
      LineItems: [],
    },
    ...(withCreditNote
      ? {
          CreditNote: {
            CreditNoteID: allocation.creditNoteId,
            CreditNoteNumber: creditNote?.number ?? '',
            ID: allocation.creditNoteId,
            LineItems: [],
          },
        }
      : {}),
    IsDeleted: false,
  };
}

export function renderCreditNote(org: Organisation, creditNote: CreditNote, withLines = true): Json {
  const c = creditNote.currency;
  return {
    CreditNoteID: creditNote.id,
    CreditNoteNumber: creditNote.number,
    Payments: [],
    ID: creditNote.id,
    CurrencyRate: creditNote.currencyRate,
    Type: 'ACCRECCREDIT',
    Reference: creditNote.reference,
    RemainingCredit: toWire(creditNote.remaining, c),
    Allocations: creditNote.allocationIds
      .map((id) => org.allocations.get(id))
      .filter((a): a is Allocation => a !== undefined)
      .map((a) => renderAllocation(org, a, false)),
    HasAttachments: false,
    Contact: contactSummary(org.contacts.get(creditNote.contactId)),
    ...dateFields('', creditNote.date),
    Status: creditNote.status,
    LineAmountTypes: 'Exclusive',
    ...(withLines ? { LineItems: lineItems(creditNote.lines, c) } : {}),
    SubTotal: toWire(creditNote.total, c),
    TotalTax: 0,
    Total: toWire(creditNote.total, c),
    UpdatedDateUTC: msDate(creditNote.updatedAt),
    UpdatedDateUTCString: updatedDateString(creditNote.updatedAt),
    CurrencyCode: c,
    ...(creditNote.fullyPaidOn ? { FullyPaidOnDate: msDate(dateToMs(creditNote.fullyPaidOn)) } : {}),
  };
}

/**
 * An overpayment or prepayment as GET /Overpayments and GET /Prepayments return it (xero_accounting.yaml
 * Overpayment, Prepayment): the credit left is RemainingCredit, the invoices it went to are Allocations.
 */
export function renderReceivedCredit(org: Organisation, credit: ReceivedCredit, withLines = true): Json {
  const c = credit.currency;
  const overpayment = credit.kind === 'overpayment';
  return {
    ...(overpayment ? { OverpaymentID: credit.id } : { PrepaymentID: credit.id }),
    ID: credit.id,
    Type: overpayment ? 'RECEIVE-OVERPAYMENT' : 'RECEIVE-PREPAYMENT',
    Contact: contactSummary(org.contacts.get(credit.contactId)),
    ...dateFields('', credit.date),
    Status: credit.status,
    LineAmountTypes: 'NoTax',
    ...(withLines ? { LineItems: lineItems(credit.lines, c) } : {}),
    SubTotal: toWire(credit.total, c),
    TotalTax: 0,
    Total: toWire(credit.total, c),
    UpdatedDateUTC: msDate(credit.updatedAt),
    UpdatedDateUTCString: updatedDateString(credit.updatedAt),
    CurrencyCode: c,
    CurrencyRate: credit.currencyRate,
    RemainingCredit: toWire(credit.remaining, c),
    Allocations: credit.allocations.map((allocation) => {
      const invoice = org.invoices.get(allocation.invoiceId);
      return {
        AllocationID: allocation.id,
        Amount: toWire(allocation.amount, c),
        Date: msDate(dateToMs(allocation.date)),
        Invoice: {
          InvoiceID: allocation.invoiceId,
          InvoiceNumber: invoice?.number ?? '',
          Payments: [],
          CreditNotes: [],
          Prepayments: [],
          Overpayments: [],
          HasErrors: false,
          IsDiscounted: false,
          LineItems: [],
        },
        IsDeleted: false,
      };
    }),
    Payments: [],
    HasAttachments: false,
    // Both kinds carry a Reference (xero_accounting.yaml's GET /Prepayments example: "Reference": "INV-0011").
    Reference: credit.reference,
  };
}
