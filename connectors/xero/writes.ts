import { CreditNote, type CreditNotes, type Invoice, LineAmountTypes } from 'xero-node';
import { fromMinorUnits } from '../../src/domain/money.js';
import { LedgerError } from '../errors.js';
import type { ConnectionHandle, LedgerConnector } from '../ledger.js';
import { classifyXeroFailure } from './api.js';
import type { XeroClients } from './client.js';
import { splitNote } from './notes.js';

type Writes = Pick<LedgerConnector, 'appendNote' | 'changeDueDate' | 'applyCredit' | 'paymentLink'>;

const today = () => new Date().toISOString().slice(0, 10);

function assertId(id: string): string {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new LedgerError('xero', 'not_found', `Not a Xero id: ${id}`);
  return id;
}

export function xeroWrites(clients: XeroClients): Writes {
  const api = (token: string) => clients.client({ accessToken: token }).accountingApi;

  const readInvoice = (connection: ConnectionHandle, id: string): Promise<Invoice> =>
    connection.call('read', async (token) => {
      const { body } = await api(token).getInvoice(connection.tenantId, assertId(id));
      const invoice = body.invoices?.[0];
      if (!invoice) throw new LedgerError('xero', 'not_found', `Invoice ${id} not found`);
      return invoice;
    });

  return {
    async appendNote(connection, { invoiceId, text, idempotencyKey }) {
      const records = splitNote(text).map((details) => ({ details }));
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
      const creditNotes = {
        creditNotes: [
          {
            type: CreditNote.TypeEnum.ACCRECCREDIT,
            status: CreditNote.StatusEnum.AUTHORISED,
            contact: { contactID: invoice.contact?.contactID },
            date: today(),
            currencyCode: invoice.currencyCode,
            lineAmountTypes: LineAmountTypes.NoTax,
            reference: memo.slice(0, 255),
            lineItems: [
              { description: target.description, quantity: 1, unitAmount: value, accountCode: target.ref },
            ],
          },
        ],
      } as CreditNotes;
      const creditNoteId = await connection.call('write', async (token) => {
        const { body } = await api(token).createCreditNotes(
          connection.tenantId,
          creditNotes,
          false,
          undefined,
          `${idempotencyKey}:note`,
        );
        const created = body.creditNotes?.[0]?.creditNoteID;
        if (!created) throw new LedgerError('xero', 'unexpected', 'Xero created no credit note');
        return created;
      });
      await connection.call('write', async (token) => {
        await api(token).createCreditNoteAllocation(
          connection.tenantId,
          creditNoteId,
          { allocations: [{ amount: value, invoice: { invoiceID: invoiceId }, date: today() }] },
          false,
          `${idempotencyKey}:allocation`,
        );
      });
      return { creditId: creditNoteId };
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
