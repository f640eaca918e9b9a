/**
 * GET handlers. Lists accept If-Modified-Since (only rows with UpdatedDateUTC strictly later), where, order,
 * page/pageSize, and the endpoint's id lists. Lists include every status — DRAFT, DELETED and VOIDED invoices,
 * DELETED payments — unless a `Statuses`/`where` filter says otherwise; archived contacts only with
 * `includeArchived=true` (Xero's documented behaviour). Unpaged invoice lists omit LineItems; `summaryOnly=true`
 * returns the summary shape and is always paged.
 */
import { notFound, validationElement, validationError } from '../faults.js';
import { type Invoice, normaliseId, type Organisation } from '../store/model.js';
import { renderContact, renderInvoice, renderPayment } from '../store/wire.js';
import { renderCreditNote, renderReceivedCredit } from '../store/wire-credits.js';
import { renderAccount, renderHistoryList, renderOrganisation } from '../store/wire-organisation.js';
import { parseHttpDate } from '../time.js';
import type { ApiContext, Json } from './pipeline.js';
import { listParam, orderBy, paginate, truthy, whereFilter } from './query.js';

function modifiedSince(ctx: ApiContext): number | undefined {
  const header = ctx.headers['if-modified-since'];
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  const ms = parseHttpDate(header);
  return Number.isNaN(ms) ? undefined : ms;
}

function finish(ctx: ApiContext, rows: Json[], key: string, defaultOrder: string, forcePaging = false): Json {
  const filtered = rows
    .filter(whereFilter(ctx.query['where']))
    .sort(orderBy(ctx.query['order'], defaultOrder));
  const { items, pagination } = paginate(filtered, ctx.query, forcePaging);
  return { ...(pagination ? { pagination } : {}), [key]: items };
}

export function findInvoice(org: Organisation, idOrNumber: string): Invoice | undefined {
  const byId = org.invoices.get(normaliseId(idOrNumber));
  if (byId) return byId;
  for (const invoice of org.invoices.values()) if (invoice.number === idOrNumber) return invoice;
  return undefined;
}

export function listInvoices(ctx: ApiContext): Json {
  const q = ctx.query;
  const since = modifiedSince(ctx);
  const ids = listParam(q['ids']);
  const statuses = listParam(q['statuses']);
  const contactIds = listParam(q['contactids']);
  const numbers = listParam(q['invoicenumbers']);
  const summaryOnly = truthy(q['summaryonly']);
  const shape = summaryOnly ? 'summary' : q['page'] !== undefined ? 'full' : 'list';
  const rows = [...ctx.org.invoices.values()]
    .filter((i) => since === undefined || i.updatedAt > since)
    .filter((i) => !ids || ids.has(i.id))
    .filter((i) => !statuses || statuses.has(i.status.toLowerCase()))
    .filter((i) => !contactIds || contactIds.has(i.contactId))
    .filter((i) => !numbers || numbers.has(i.number.toLowerCase()))
    .map((i) => renderInvoice(ctx.org, i, shape));
  return finish(ctx, rows, 'Invoices', 'UpdatedDateUTC ASC, InvoiceID ASC', summaryOnly);
}

export function getInvoice(ctx: ApiContext): Json {
  const invoice = findInvoice(ctx.org, ctx.params['id'] ?? '');
  if (!invoice) throw notFound();
  return { Invoices: [renderInvoice(ctx.org, invoice, 'full')] };
}

export function getOnlineInvoice(ctx: ApiContext): Json {
  const invoice = findInvoice(ctx.org, ctx.params['id'] ?? '');
  if (!invoice) throw notFound();
  // Xero: "you cannot retrieve an online invoice url for DRAFT invoices"; the wording of the 400 is a guess.
  const problems: string[] = [];
  if (!ctx.org.onlineInvoicing) problems.push('Online invoicing is not enabled for this organisation');
  if (invoice.status !== 'AUTHORISED' && invoice.status !== 'PAID') {
    problems.push(`An online invoice cannot be retrieved for an invoice with status ${invoice.status}`);
  }
  if (problems.length > 0) throw validationError([validationElement({ InvoiceID: invoice.id }, problems)]);
  return { OnlineInvoices: [{ OnlineInvoiceUrl: `${ctx.baseUrl}/in/${invoice.onlineToken}` }] };
}

export function getInvoiceHistory(ctx: ApiContext): Json {
  const invoice = findInvoice(ctx.org, ctx.params['id'] ?? '');
  if (!invoice) throw notFound();
  return { HistoryRecords: renderHistoryList(ctx.org, invoice.id) };
}

export function listContacts(ctx: ApiContext): Json {
  const q = ctx.query;
  const since = modifiedSince(ctx);
  const ids = listParam(q['ids']);
  const includeArchived = truthy(q['includearchived']) || ids !== undefined;
  const summaryOnly = truthy(q['summaryonly']);
  const term = q['searchterm']?.toLowerCase();
  const rows = [...ctx.org.contacts.values()]
    .filter((c) => since === undefined || c.updatedAt > since)
    .filter((c) => !ids || ids.has(c.id))
    .filter((c) => includeArchived || c.status === 'ACTIVE')
    .filter(
      (c) =>
        term === undefined ||
        [c.name, c.firstName, c.lastName, c.email].some((field) => field?.toLowerCase().includes(term)),
    )
    .map((c) => renderContact(ctx.org, c, ctx.now, summaryOnly));
  return finish(ctx, rows, 'Contacts', 'Name ASC, ContactID ASC', summaryOnly);
}

export function getContact(ctx: ApiContext): Json {
  const contact = ctx.org.contacts.get(normaliseId(ctx.params['id'] ?? ''));
  if (!contact) throw notFound();
  return { Contacts: [renderContact(ctx.org, contact, ctx.now)] };
}

export function listPayments(ctx: ApiContext): Json {
  const since = modifiedSince(ctx);
  const rows = [...ctx.org.payments.values()]
    .filter((p) => since === undefined || p.updatedAt > since)
    .map((p) => renderPayment(ctx.org, p));
  return finish(ctx, rows, 'Payments', 'UpdatedDateUTC ASC, PaymentID ASC');
}

export function getPayment(ctx: ApiContext): Json {
  const payment = ctx.org.payments.get(normaliseId(ctx.params['id'] ?? ''));
  if (!payment) throw notFound();
  return { Payments: [renderPayment(ctx.org, payment)] };
}

export function listCreditNotes(ctx: ApiContext): Json {
  const since = modifiedSince(ctx);
  const paged = ctx.query['page'] !== undefined;
  const rows = [...ctx.org.creditNotes.values()]
    .filter((c) => since === undefined || c.updatedAt > since)
    .map((c) => renderCreditNote(ctx.org, c, paged));
  return finish(ctx, rows, 'CreditNotes', 'UpdatedDateUTC ASC, CreditNoteID ASC');
}

export function getCreditNote(ctx: ApiContext): Json {
  const creditNote = ctx.org.creditNotes.get(normaliseId(ctx.params['id'] ?? ''));
  if (!creditNote) throw notFound();
  return { CreditNotes: [renderCreditNote(ctx.org, creditNote)] };
}

function receivedCredits(ctx: ApiContext, kind: 'overpayment' | 'prepayment'): Json {
  const since = modifiedSince(ctx);
  const paged = ctx.query['page'] !== undefined;
  const map = kind === 'overpayment' ? ctx.org.overpayments : ctx.org.prepayments;
  const key = kind === 'overpayment' ? 'Overpayments' : 'Prepayments';
  const rows = [...map.values()]
    .filter((c) => since === undefined || c.updatedAt > since)
    .map((c) => renderReceivedCredit(ctx.org, c, paged));
  return finish(
    ctx,
    rows,
    key,
    `UpdatedDateUTC ASC, ${kind === 'overpayment' ? 'OverpaymentID' : 'PrepaymentID'} ASC`,
  );
}

/** GET /Overpayments: RECEIVE-OVERPAYMENT credits, with If-Modified-Since, where, order and paging. */
export function listOverpayments(ctx: ApiContext): Json {
  return receivedCredits(ctx, 'overpayment');
}

/** GET /Prepayments: RECEIVE-PREPAYMENT credits, with If-Modified-Since, where, order and paging. */
export function listPrepayments(ctx: ApiContext): Json {
  return receivedCredits(ctx, 'prepayment');
}

export function getOverpayment(ctx: ApiContext): Json {
  const credit = ctx.org.overpayments.get(normaliseId(ctx.params['id'] ?? ''));
  if (!credit) throw notFound();
  return { Overpayments: [renderReceivedCredit(ctx.org, credit)] };
}

export function getPrepayment(ctx: ApiContext): Json {
  const credit = ctx.org.prepayments.get(normaliseId(ctx.params['id'] ?? ''));
  if (!credit) throw notFound();
  return { Prepayments: [renderReceivedCredit(ctx.org, credit)] };
}

/** GET /Accounts: the whole chart (Xero does not page it), with If-Modified-Since, where and order. */
export function listAccounts(ctx: ApiContext): Json {
  const since = modifiedSince(ctx);
  const rows = [...ctx.org.accounts.values()]
    .filter((a) => since === undefined || a.updatedAt > since)
    .map((a) => renderAccount(ctx.org, a))
    .filter(whereFilter(ctx.query['where']))
    .sort(orderBy(ctx.query['order'], 'Code ASC, Name ASC'));
  return { Accounts: rows };
}

export function getAccount(ctx: ApiContext): Json {
  const account = ctx.org.accounts.get(normaliseId(ctx.params['id'] ?? ''));
  if (!account) throw notFound();
  return { Accounts: [renderAccount(ctx.org, account)] };
}

export function getOrganisation(ctx: ApiContext): Json {
  return { Organisations: [renderOrganisation(ctx.org)] };
}
