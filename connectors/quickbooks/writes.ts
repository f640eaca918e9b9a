import { fromMinorUnits, toMinorUnits } from '../../src/domain/money.js';
import { LedgerError } from '../errors.js';
import type { ConnectionHandle, CreditTarget, LedgerConnector } from '../ledger.js';
import { invoke, type QuickBooksClient, requestId } from './api.js';
import type { WireInvoice } from './wire.js';

/** An Attachable note holds at most 2000 characters. */
const noteLimit = 2000;
/** Attempts when the invoice changes between our read and our write (fault 5010). */
const staleRetries = 3;

type Client = (accessToken: string) => QuickBooksClient;
type Writes = Pick<LedgerConnector, 'appendNote' | 'changeDueDate' | 'applyCredit' | 'paymentLink'> &
  Required<Pick<LedgerConnector, 'appendNoteToInvoices'>>;

function assertId(id: string): string {
  if (!/^\d+$/.test(id)) throw new LedgerError('quickbooks', 'not_found', `Not a QuickBooks id: ${id}`);
  return id;
}

async function readInvoice(connection: ConnectionHandle, client: Client, id: string, withLink = false) {
  // getInvoice takes no query options; the id carries include=invoiceLink (the id is digits only).
  const path = withLink ? `${assertId(id)}?include=invoiceLink` : assertId(id);
  // node-quickbooks unwraps {"Invoice": …} before calling back, though its types say it does not.
  return connection.call('read', (token) =>
    invoke<WireInvoice>((done) =>
      client(token).getInvoice(path, (error, invoice) => done(error, invoice as unknown as WireInvoice)),
    ),
  );
}

function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

export function quickBooksWrites(client: Client): Writes {
  // One Attachable may reference several entities: one call notes every invoice of a reminder.
  const appendNoteToInvoices: Writes['appendNoteToInvoices'] = async (
    connection,
    { invoiceIds, text, idempotencyKey },
  ) => {
    const attachable = await connection.call('write', (token) =>
      invoke<{ Id: string }>((done) =>
        client(token).createAttachable(
          {
            Note: truncate(text, noteLimit),
            AttachableRef: invoiceIds.map((invoiceId) => ({
              EntityRef: { type: 'Invoice', value: assertId(invoiceId) },
              IncludeOnSend: false,
            })),
            requestId: requestId(idempotencyKey),
          } as never,
          (error, created) => done(error, created as { Id: string }),
        ),
      ),
    );
    return { noteId: attachable.Id };
  };

  return {
    appendNote: (connection, { invoiceId, text, idempotencyKey }) =>
      appendNoteToInvoices(connection, { invoiceIds: [invoiceId], text, idempotencyKey }),
    appendNoteToInvoices,

    async changeDueDate(connection, { invoiceId, dueDate, idempotencyKey }) {
      for (let attempt = 1; ; attempt++) {
        const invoice = await readInvoice(connection, client, invoiceId);
        if ((invoice.Balance ?? 0) <= 0)
          return { applied: false, reason: 'the invoice has nothing left to pay' };
        if (invoice.DueDate === dueDate) return { applied: true };
        try {
          await connection.call('write', (token) =>
            invoke((done) =>
              client(token).updateInvoice(
                {
                  Id: invoice.Id,
                  SyncToken: invoice.SyncToken,
                  sparse: true,
                  DueDate: dueDate,
                  // One request id per version of the invoice: a retry of this write is a repeat,
                  // a write against a newer version is a new request.
                  requestId: requestId(`${idempotencyKey}:v${invoice.SyncToken ?? '0'}`),
                } as never,
                done,
              ),
            ),
          );
          return { applied: true };
        } catch (error) {
          if (!(error instanceof LedgerError && error.code === 'stale_version') || attempt >= staleRetries)
            throw error;
        }
      }
    },

    async applyCredit(connection, { invoiceId, amount, target, memo, idempotencyKey }) {
      const invoice = await readInvoice(connection, client, invoiceId);
      const currency = invoice.CurrencyRef?.value ?? connection.homeCurrency;
      if (currency !== amount.currency) {
        throw new LedgerError(
          'quickbooks',
          'rejected',
          `Credit in ${amount.currency} for an invoice in ${currency}`,
        );
      }
      // Two writes, a credit memo and the payment that applies it: the debtor may pay in between. Then
      // the memo is removed and, when something is still owed, made again for that and applied.
      let value = fromMinorUnits(amount.amountMinor, amount.currency);
      for (let attempt = 0; ; attempt++) {
        const suffix = attempt === 0 ? '' : `:${value}`;
        const creditMemo = await connection.call('write', (token) =>
          invoke<WireCreated>((done) =>
            client(token).createCreditMemo(
              creditMemoFor(invoice, value, target, memo, `${idempotencyKey}:memo${suffix}`),
              (error, created) => done(error, created as unknown as WireCreated),
            ),
          ),
        );
        try {
          await applyCreditMemo(connection, client, invoice, creditMemo, value, {
            memo,
            key: `${idempotencyKey}:apply${suffix}`,
          });
          return { creditId: creditMemo.Id, amountMinor: toMinorUnits(value, amount.currency) };
        } catch (error) {
          if (!(error instanceof LedgerError && error.code === 'rejected') || attempt >= staleRetries)
            throw error;
          const owed = (await readInvoice(connection, client, invoiceId)).Balance ?? 0;
          if (owed >= value) throw error;
          await deleteCreditMemo(connection, client, creditMemo);
          if (owed <= 0) return { skipped: 'the invoice was paid while the credit was being applied' };
          value = owed;
        }
      }
    },

    async paymentLink(connection, invoiceId) {
      const invoice = await readInvoice(connection, client, invoiceId, true);
      return invoice.InvoiceLink || null;
    },
  };
}

interface WireCreated {
  Id: string;
  SyncToken?: string;
}

/** A zero-amount payment linking the invoice and the credit memo applies one to the other. */
function applyCreditMemo(
  connection: ConnectionHandle,
  client: Client,
  invoice: WireInvoice,
  creditMemo: WireCreated,
  value: number,
  { memo, key }: { memo: string; key: string },
) {
  return connection.call('write', (token) =>
    invoke((done) =>
      client(token).createPayment(
        {
          CustomerRef: invoice.CustomerRef,
          CurrencyRef: invoice.CurrencyRef,
          TotalAmt: 0,
          Line: [
            { Amount: value, LinkedTxn: [{ TxnId: invoice.Id, TxnType: 'Invoice' }] },
            { Amount: value, LinkedTxn: [{ TxnId: creditMemo.Id, TxnType: 'CreditMemo' }] },
          ],
          PrivateNote: truncate(memo, 4000),
          requestId: requestId(key),
        } as never,
        done,
      ),
    ),
  );
}

/** Removes a credit memo not applied (made for a balance the debtor has since paid); gone already is fine. */
async function deleteCreditMemo(connection: ConnectionHandle, client: Client, creditMemo: WireCreated) {
  try {
    await connection.call('write', (token) =>
      invoke((done) =>
        client(token).deleteCreditMemo(
          { Id: creditMemo.Id, SyncToken: creditMemo.SyncToken ?? '0' } as never,
          done,
        ),
      ),
    );
  } catch (error) {
    if (!(error instanceof LedgerError && error.code === 'not_found')) throw error;
  }
}

function creditMemoFor(
  invoice: WireInvoice,
  value: number,
  target: CreditTarget,
  memo: string,
  key: string,
): never {
  return {
    CustomerRef: invoice.CustomerRef,
    CurrencyRef: invoice.CurrencyRef,
    PrivateNote: truncate(memo, 4000),
    Line: [
      {
        Amount: value,
        DetailType: 'SalesItemLineDetail',
        Description: truncate(target.description, 4000),
        SalesItemLineDetail: { ItemRef: { value: target.ref }, Qty: 1, UnitPrice: value },
      },
    ],
    requestId: requestId(key),
  } as never;
}
