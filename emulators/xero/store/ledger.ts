/**
 * The ledger: Books plus credit notes and allocations. Allocation refusals use Xero's messages where known:
 * "Credit Note cannot be allocated as amount is greater than amount outstanding" (xero-php #251, for the credit's
 * remaining amount; the emulator also uses it when the invoice's amount due is exceeded — a guess) and "The
 * invoice you are trying to allocate to has already been paid off" (xeroizer #320).
 */
import { randomUUID } from 'node:crypto';
import { formatAmount } from '../money.js';
import { isoDate } from '../time.js';
import { Books, INVALID_STATUS, LedgerError } from './books.js';
import {
  type Allocation,
  type CreditNote,
  type Invoice,
  type Line,
  normaliseId,
  type ReceivedCredit,
  type ReceivedCreditKind,
  sumLines,
} from './model.js';

export * from './books.js';

export const OVER_ALLOCATION = 'Credit Note cannot be allocated as amount is greater than amount outstanding';

export class Ledger extends Books {
  /** Why a credit note could not be created (empty when it can), without changing anything. */
  creditNoteErrors(input: { contactId: string; lines: Line[]; currency?: string }): string[] {
    try {
      const contact = this.activeContact(input.contactId);
      const currency = input.currency ?? contact.defaultCurrency ?? this.org.baseCurrency;
      const errors: string[] = [];
      // Guess: Xero's wording for a currency the contact does not trade in is not documented.
      if (currency !== this.org.baseCurrency && currency !== contact.defaultCurrency) {
        errors.push(`The currency ${currency} is not valid for this contact`);
      }
      if (sumLines(input.lines) <= 0) errors.push('The credit note total must be greater than zero');
      return errors;
    } catch (error) {
      if (error instanceof LedgerError) return error.messages;
      throw error;
    }
  }

  createCreditNote(
    input: {
      id?: string;
      contactId: string;
      lines: Line[];
      date?: string;
      currency?: string;
      status?: 'DRAFT' | 'SUBMITTED' | 'AUTHORISED';
      reference?: string;
      creditNoteNumber?: string;
    },
    user: string,
  ): CreditNote {
    const errors = this.creditNoteErrors(input);
    if (errors.length > 0) throw new LedgerError(errors);
    const contact = this.contact(input.contactId);
    const currency = input.currency ?? contact.defaultCurrency ?? this.org.baseCurrency;
    const total = sumLines(input.lines);
    const id = normaliseId(input.id ?? randomUUID());
    const creditNote: CreditNote = {
      id,
      number: input.creditNoteNumber ?? this.nextCreditNoteNumber(),
      contactId: contact.id,
      status: input.status ?? 'AUTHORISED',
      date: input.date ?? isoDate(this.now()),
      currency,
      currencyRate: 1,
      lines: input.lines,
      total,
      remaining: total,
      reference: input.reference ?? '',
      allocationIds: [],
      updatedAt: 0,
    };
    this.org.creditNotes.set(id, creditNote);
    this.addHistory(
      id,
      'Created',
      `CN ${creditNote.number} to ${contact.name} for ${formatAmount(total, currency)}.`,
      user,
    );
    this.touchCreditNote(creditNote, 'CREATE');
    return creditNote;
  }

  /** Why an allocation would be refused (empty when it is fine), without changing anything. */
  allocationErrors(
    creditNote: Pick<CreditNote, 'status' | 'contactId' | 'currency' | 'remaining'>,
    invoice: Pick<Invoice, 'status' | 'contactId' | 'currency' | 'total' | 'amountPaid' | 'amountCredited'>,
    amount: number,
  ): string[] {
    const errors: string[] = [];
    // Guesses: the wording for a draft credit note, another contact and another currency.
    if (creditNote.status !== 'AUTHORISED')
      errors.push('Credit Note must be AUTHORISED before it can be allocated');
    if (invoice.status === 'PAID')
      errors.push('The invoice you are trying to allocate to has already been paid off');
    else if (invoice.status !== 'AUTHORISED') errors.push(INVALID_STATUS);
    if (invoice.contactId !== creditNote.contactId)
      errors.push('The Credit Note and Invoice must be for the same contact');
    if (invoice.currency !== creditNote.currency)
      errors.push('The Credit Note and Invoice must be in the same currency');
    const due = invoice.total - invoice.amountPaid - invoice.amountCredited;
    if (!Number.isInteger(amount) || amount <= 0) errors.push('Allocation amount must be greater than zero');
    else if (amount > creditNote.remaining || amount > due) errors.push(OVER_ALLOCATION);
    return errors;
  }

  /**
   * Money received from a customer as credit: an overpayment (beyond what was owed, booked to accounts
   * receivable) or a prepayment (before it was owed). Xero announces no webhook for these.
   */
  receiveCredit(
    kind: ReceivedCreditKind,
    input: {
      id?: string;
      contactId: string;
      amount: number;
      date?: string;
      currency?: string;
      reference?: string;
    },
  ): ReceivedCredit {
    const contact = this.activeContact(input.contactId);
    if (!Number.isInteger(input.amount) || input.amount <= 0)
      throw new LedgerError([`The ${kind} amount must be greater than zero`]);
    const id = normaliseId(input.id ?? randomUUID());
    const credit: ReceivedCredit = {
      id,
      kind,
      contactId: contact.id,
      status: 'AUTHORISED',
      date: input.date ?? isoDate(this.now()),
      currency: input.currency ?? contact.defaultCurrency ?? this.org.baseCurrency,
      currencyRate: 1,
      lines: [
        {
          id: randomUUID(),
          description: kind === 'overpayment' ? 'Overpayment' : 'Prepayment',
          amount: input.amount,
          accountCode: kind === 'overpayment' ? '610' : '200',
        },
      ],
      total: input.amount,
      remaining: input.amount,
      reference: input.reference ?? '',
      allocations: [],
      updatedAt: this.stamp(),
    };
    (kind === 'overpayment' ? this.org.overpayments : this.org.prepayments).set(id, credit);
    return credit;
  }

  /** Applies an overpayment's or prepayment's credit to an invoice of the same contact. */
  allocateReceived(credit: ReceivedCredit, invoice: Invoice, amount: number, date?: string): void {
    const errors = this.allocationErrors(
      { ...credit, status: credit.status === 'AUTHORISED' ? 'AUTHORISED' : 'PAID' },
      invoice,
      amount,
    );
    if (errors.length > 0) throw new LedgerError(errors);
    const when = date ?? isoDate(this.now());
    credit.allocations.push({ id: randomUUID(), invoiceId: invoice.id, amount, date: when });
    credit.remaining -= amount;
    if (credit.remaining === 0) credit.status = 'PAID';
    credit.updatedAt = this.stamp();
    invoice.amountCredited += amount;
    this.settle(invoice, when);
    this.touchInvoice(invoice);
  }

  allocate(creditNote: CreditNote, invoice: Invoice, amount: number, date: string | undefined, user: string) {
    const errors = this.allocationErrors(creditNote, invoice, amount);
    if (errors.length > 0) throw new LedgerError(errors);
    const when = date ?? isoDate(this.now());
    const allocation: Allocation = {
      id: randomUUID(),
      creditNoteId: creditNote.id,
      invoiceId: invoice.id,
      amount,
      date: when,
      createdAt: this.now(),
    };
    this.org.allocations.set(allocation.id, allocation);
    creditNote.allocationIds.push(allocation.id);
    invoice.allocationIds.push(allocation.id);
    creditNote.remaining -= amount;
    invoice.amountCredited += amount;
    if (creditNote.remaining === 0) {
      creditNote.status = 'PAID';
      creditNote.fullyPaidOn = when;
    }
    this.settle(invoice, when);
    const money = formatAmount(amount, invoice.currency);
    this.addHistory(
      invoice.id,
      'Credit Applied',
      `Credit Note ${creditNote.number} applied for ${money}.`,
      user,
    );
    this.addHistory(creditNote.id, 'Credit Applied', `Applied to ${invoice.number} for ${money}.`, user);
    this.touchInvoice(invoice);
    this.touchCreditNote(creditNote);
    return allocation;
  }
}
