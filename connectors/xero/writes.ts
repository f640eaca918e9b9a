import { createHash } from 'node:crypto';
import { CreditNote, type CreditNotes, type Invoice, LineAmountTypes } from 'xero-node';
import { fromMinorUnits } from '../../src/domain/money.js';
import { LedgerError } from '../errors.js';
import type { ConnectionHandle, CreditTarget, LedgerConnector } from '../ledger.js';
import { classifyXeroFailure } from './api.js';
import type { XeroClients } from './client.js';
import { splitNote } from './notes.js';

type Writes = Pick<LedgerConnector, 'appendNote' | 'changeDueDate' | 'applyCredit' | 'paymentLink'>;

const today = () => new Date().toISOString().slice(0, 10);

function assertId(id: string): string {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new LedgerError('xero', 'not_found', `Not a Xero id: ${id}`);
  return id;
}

/** A short tag naming one credit write, kept in the credit note's reference to find it again. */
function creditTag(idempotencyKey: string): string {
  return `dunwell-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 12)}`;
}

/** The memo, cut to leave room for the tag, within Xero's 255 characters for a reference. */
function referenceWithTag(memo: string, idempotencyKey: string): string {
  const tag = ` [${creditTag(idempotencyKey)}]`;
  return `${memo.slice(0, 255 - tag.length)}${tag}`;
}

export function xeroWrites(clients: XeroClients): Writes {
  const api = (token: string) => clients.client({ accessToken: token }).accountingApi;

  const findCreditNote = (
    connection: ConnectionHandle,
    contactId: string,
    tag: string,
  ): Promise<CreditNote | undefined> =>
    connection.call('read', async (token) => {
      const where = `Contact.ContactID==Guid("${contactId}") && Reference.Contains("${tag}")`;
      const { body } = await api(token).getCreditNotes(connection.tenantId, undefined, where);
      return (body.creditNotes ?? []).find(
        (note) => String(note.status) !== 'VOIDED' && String(note.status) !== 'DELETED',
      );
    });

  const createCreditNote = (
    connection: ConnectionHandle,
    note: {
      contactId: string;
      currencyCode: Invoice['currencyCode'];
      reference: string;
      value: number;
      target: CreditTarget;
      idempotencyKey: string;
    },
  ): Promise<string> =>
    connection.call('write', async (token) => {
      const creditNotes = {
        creditNotes: [
          {
            type: CreditNote.TypeEnum.ACCRECCREDIT,
            status: CreditNote.StatusEnum.AUTHORISED,
            contact: { contactID: note.contactId },
            date: today(),
            currencyCode: note.currencyCode,
            lineAmountTypes: LineAmountTypes.NoTax,
            reference: note.reference,
            lineItems: [
              {
                description: note.target.description,
                quantity: 1,
                unitAmount: note.value,
                accountCode: note.target.ref,
              },
            ],
          },
        ],
      } as CreditNotes;
      const { body } = await api(token).createCreditNotes(
        connection.tenantId,
        creditNotes,
        false,
        undefined,
        note.idempotencyKey,
      );
      const created = body.creditNotes?.[0]?.creditNoteID;
      if (!created) throw new LedgerError('xero', 'unexpected', 'Xero created no credit note');
      return created;
    });

  const readInvoice = (connection: ConnectionHandle, id: string): Promise<Invoice> =>
    connection.call('read', async (token) => {
      const { body } = await api(token).getInvoice(connection.tenantId, assertId(id));
      const invoice = body.invoices?.[0];
      if (!invoice) throw new LedgerError('xero', 'not_found', `Invoice ${id} not found`);
      return invoice;
    });

  /** Whether the invoice's history already holds every one of `records`. */
  const holdsRecords = (
    connection: ConnectionHandle,
    invoiceId: string,
    records: Array<{ details: string }>,
  ): Promise<boolean> =>
    connection.call('read', async (token) => {
      const { body } = await api(token).getInvoiceHistory(connection.tenantId, assertId(invoiceId));
      const present = new Set((body.historyRecords ?? []).map((record) => record.details));
      return records.every((record) => present.has(record.details));
    });

  return {
    async appendNote(connection, { invoiceId, text, idempotencyKey, mayHaveLanded }) {
      const records = splitNote(text).map((details) => ({ details }));
      // Xero forgets an Idempotency-Key after minutes; a retry later looks for its records instead.
      if (mayHaveLanded && (await holdsRecords(connection, invoiceId, records)))
        return { noteId: idempotencyKey };
      await connection.call('write', async (token) => {
        await api(token).createInvoiceHistory(
          connection.tenantId,
          assertId(invoiceId),
          { historyRecords: records },
          idempotencyKey,
        );
      });
      // History records have no id of their own; the key names the note.
      return { noteId: idempotencyKey };
    },

    async changeDueDate(connection, { invoiceId, dueDate, idempotencyKey }) {
      const invoice = await readInvoice(connection, invoiceId);
      if (String(invoice.status) !== 'AUTHORISED') {
        return { applied: false, reason: `the invoice is ${String(invoice.status).toLowerCase()}` };
      }
      if ((invoice.amountPaid ?? 0) > 0 || (invoice.amountCredited ?? 0) > 0) {
        return {
          applied: false,
          reason: 'Xero does not allow a new due date once a payment or credit is allocated',
        };
      }
      try {
        await connection.call('write', async (token) => {
          await api(token).updateInvoice(
            connection.tenantId,
            assertId(invoiceId),
            { invoices: [{ dueDate } as Invoice] },
            undefined,
            idempotencyKey,
          );
        });
        return { applied: true };
      } catch (error) {
        // Xero may still refuse (e.g. a payment arrived since we read): say why instead of failing.
        if (error instanceof LedgerError && error.code === 'rejected')
          return { applied: false, reason: error.detail };
        throw error;
      }
    },

    async applyCredit(connection, { invoiceId, amount, target, memo, idempotencyKey }) {
      const invoice = await readInvoice(connection, invoiceId);
      const currency = String(invoice.currencyCode ?? connection.homeCurrency);
      if (currency !== amount.currency) {
        throw new LedgerError(
          'xero',
          'rejected',
          `Credit in ${amount.currency} for an invoice in ${currency}`,
        );
      }
      const value = fromMinorUnits(amount.amountMinor, amount.currency);
      const contactId = assertId(invoice.contact?.contactID ?? '');
      // Xero forgets an Idempotency-Key after a few minutes: a credit retried later (or after a crash
      // between the two calls) finds its credit note by the tag in its reference instead of making a
      // second one, and allocates only what is left of it.
      const reference = referenceWithTag(memo, idempotencyKey);
      const earlier = await findCreditNote(connection, contactId, creditTag(idempotencyKey));
      let creditNoteId = earlier?.creditNoteID;
      let toAllocate = value;
      if (earlier && creditNoteId) {
        toAllocate = Math.min(value, earlier.remainingCredit ?? 0);
        if (String(earlier.status) !== 'AUTHORISED' || toAllocate <= 0) return { creditId: creditNoteId };
      } else {
        creditNoteId = await createCreditNote(connection, {
          contactId,
          currencyCode: invoice.currencyCode,
          reference,
          value,
          target,
          idempotencyKey: `${idempotencyKey}:note`,
        });
      }
      const noteId = creditNoteId;
      await connection.call('write', async (token) => {
        await api(token).createCreditNoteAllocation(
          connection.tenantId,
          noteId,
          { allocations: [{ amount: toAllocate, invoice: { invoiceID: invoiceId }, date: today() }] },
          false,
          `${idempotencyKey}:allocation`,
        );
      });
      return { creditId: noteId };
    },

    async paymentLink(connection, invoiceId) {
      try {
        return await connection.call('read', async (token) => {
          const { body } = await api(token).getOnlineInvoice(connection.tenantId, assertId(invoiceId));
          return body.onlineInvoices?.[0]?.onlineInvoiceUrl ?? null;
        });
      } catch (error) {
        // Xero refuses online invoices for some statuses and organisations: there is then no link.
        const code = error instanceof LedgerError ? error.code : classifyXeroFailure(error).code;
        if (code === 'rejected') return null;
        throw error;
      }
    },
  };
}
