/**
 * changes(tenantId): what a user does in Xero itself. Each change goes through the ledger (same rules as the API;
 * refusals throw LedgerError, an Error) and queues webhook events. History records name the organisation's user.
 */
import { randomUUID } from 'node:crypto';
import { type Ledger, LedgerError, makeLines } from './store/ledger.js';
import { normaliseId } from './store/model.js';
import { buildContact } from './store/seed.js';
import { isIsoDate } from './time.js';
import type { OrganisationChanges } from './types.js';

export function organisationChanges(ledger: Ledger): OrganisationChanges {
  const org = ledger.org;
  const user = org.userName;
  const payment = (id: string) => {
    const found = org.payments.get(normaliseId(id));
    if (!found) throw new LedgerError([`The payment ${id} could not be found`]);
    return found;
  };
  return {
    createContact(input) {
      const contact = buildContact({ ...input, id: randomUUID() }, 0);
      org.contacts.set(contact.id, contact);
      ledger.touchContact(contact, 'CREATE');
      return contact.id;
    },
    archiveContact(id) {
      const contact = ledger.contact(id);
      if (contact.status === 'ARCHIVED') return;
      contact.status = 'ARCHIVED';
      ledger.touchContact(contact, 'UPDATE');
    },
    updateContact(id, patch) {
      const contact = ledger.contact(id);
      if (patch.name !== undefined) contact.name = patch.name;
      if (patch.firstName !== undefined) contact.firstName = patch.firstName;
      if (patch.lastName !== undefined) contact.lastName = patch.lastName;
      if (patch.emailAddress !== undefined) contact.email = patch.emailAddress;
      if (patch.contactPersons !== undefined) {
        contact.persons = patch.contactPersons.map((p) => ({
          ...p,
          includeInEmails: p.includeInEmails ?? false,
        }));
      }
      if (patch.defaultCurrency !== undefined) contact.defaultCurrency = patch.defaultCurrency;
      if (patch.addresses !== undefined)
        contact.addresses = patch.addresses.map((address) => ({ ...address }));
      if (patch.contactStatus !== undefined) contact.status = patch.contactStatus;
      ledger.touchContact(contact, 'UPDATE');
    },
    createInvoice(input) {
      const invoice = ledger.createInvoice(
        {
          contactId: input.contactId,
          lines: makeLines(input),
          dueDate: input.dueDate,
          ...(input.date !== undefined ? { date: input.date } : {}),
          ...(input.currency !== undefined ? { currency: input.currency } : {}),
          status: input.status ?? 'AUTHORISED',
          ...(input.reference !== undefined ? { reference: input.reference } : {}),
          ...(input.invoiceNumber !== undefined ? { invoiceNumber: input.invoiceNumber } : {}),
        },
        user,
      );
      return invoice.id;
    },
    updateInvoice(id, patch) {
      const invoice = ledger.invoice(id);
      if (patch.dueDate !== undefined && !isIsoDate(patch.dueDate))
        throw new LedgerError(['Due date must be YYYY-MM-DD']);
      if (patch.lines !== undefined) {
        const lines = makeLines({ lines: patch.lines });
        const total = lines.reduce((sum, line) => sum + line.amount, 0);
        if (total < invoice.amountPaid + invoice.amountCredited) {
          throw new LedgerError(['The new total is below what has been paid and credited']);
        }
        invoice.lines = lines;
        invoice.total = total;
      }
      if (patch.dueDate !== undefined) invoice.dueDate = patch.dueDate;
      if (patch.date !== undefined) invoice.date = patch.date;
      if (patch.reference !== undefined) invoice.reference = patch.reference;
      ledger.addHistory(invoice.id, 'Edited', `INV ${invoice.number} edited.`, user);
      if (patch.status !== undefined) ledger.setStatus(invoice, patch.status, user);
      ledger.touchInvoice(invoice);
    },
    voidInvoice(id) {
      ledger.setStatus(ledger.invoice(id), 'VOIDED', user);
    },
    deleteInvoice(id) {
      ledger.setStatus(ledger.invoice(id), 'DELETED', user);
    },
    receivePayment(input) {
      const invoice = ledger.invoice(input.invoiceId);
      return ledger.pay(invoice, input.amount, input.date !== undefined ? { date: input.date } : {}, user).id;
    },
    deletePayment(paymentId) {
      ledger.deletePayment(payment(paymentId), user);
    },
    createCreditNote(input) {
      return ledger.createCreditNote(
        {
          contactId: input.contactId,
          lines: makeLines({ lines: [{ amount: input.amount, description: 'Credit' }] }),
          ...(input.date !== undefined ? { date: input.date } : {}),
          ...(input.currency !== undefined ? { currency: input.currency } : {}),
          status: 'AUTHORISED',
        },
        user,
      ).id;
    },
    receiveOverpayment(input) {
      return ledger.receiveCredit('overpayment', input).id;
    },
    receivePrepayment(input) {
      return ledger.receiveCredit('prepayment', input).id;
    },
    allocateReceivedCredit(id, input) {
      const key = id.toLowerCase();
      const credit = org.overpayments.get(key) ?? org.prepayments.get(key);
      if (!credit) throw new LedgerError([`The overpayment or prepayment ${id} could not be found`]);
      ledger.allocateReceived(credit, ledger.invoice(input.invoiceId), input.amount, input.date);
    },
    allocateCreditNote(creditNoteId, input) {
      const creditNote = ledger.creditNote(creditNoteId);
      return ledger.allocate(creditNote, ledger.invoice(input.invoiceId), input.amount, input.date, user).id;
    },
  };
}
