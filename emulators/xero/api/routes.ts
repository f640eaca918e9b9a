/** Accounting API routes under /api.xro/2.0 (paths match whatever the case, as Xero's do), and the online invoice page. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendInvoicePage, sendPageNotFound } from '../../kit/invoice-page.js';
import { notFound } from '../faults.js';
import { formatAmount } from '../money.js';
import { PATHS } from '../paths.js';
import { amountDue } from '../store/model.js';
import { type ApiDeps, type ApiHandler, runApi, type ScopeNeed } from './pipeline.js';
import {
  getAccount,
  getContact,
  getCreditNote,
  getInvoice,
  getInvoiceHistory,
  getOnlineInvoice,
  getOrganisation,
  getOverpayment,
  getPayment,
  getPrepayment,
  listAccounts,
  listContacts,
  listCreditNotes,
  listInvoices,
  listOverpayments,
  listPayments,
  listPrepayments,
} from './reads.js';
import {
  addInvoiceHistory,
  allocateCreditNote,
  createCreditNotes,
  createInvoicesUnsupported,
  updateInvoices,
} from './writes.js';

const BASE = PATHS.apiBase;
type Method = 'GET' | 'POST' | 'PUT';

export function registerApiRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const route = (method: Method, path: string, scope: ScopeNeed, handler: ApiHandler) =>
    app.route({
      method,
      url: `${BASE}${path}`,
      handler: (request: FastifyRequest, reply: FastifyReply) =>
        runApi(deps, request, reply, handler, { write: method !== 'GET', scope }),
    });

  route('GET', '/Organisation', 'settings.read', getOrganisation);
  route('GET', '/Accounts', 'accounts.read', listAccounts);
  route('GET', '/Accounts/:id', 'accounts.read', getAccount);
  route('GET', '/Invoices', 'invoices.read', listInvoices);
  route('POST', '/Invoices', 'invoices.write', updateInvoices);
  route('PUT', '/Invoices', 'invoices.write', createInvoicesUnsupported);
  route('GET', '/Invoices/:id', 'invoices.read', getInvoice);
  route('POST', '/Invoices/:id', 'invoices.write', updateInvoices);
  route('GET', '/Invoices/:id/OnlineInvoice', 'invoices.read', getOnlineInvoice);
  route('GET', '/Invoices/:id/History', 'invoices.read', getInvoiceHistory);
  route('PUT', '/Invoices/:id/History', 'invoices.write', addInvoiceHistory);
  route('POST', '/Invoices/:id/History', 'invoices.write', addInvoiceHistory);
  route('GET', '/Contacts', 'contacts.read', listContacts);
  route('GET', '/Contacts/:id', 'contacts.read', getContact);
  route('GET', '/Payments', 'payments.read', listPayments);
  route('GET', '/Payments/:id', 'payments.read', getPayment);
  // Which granular scope covers overpayments and prepayments is uncertain: payments (or transactions) here.
  route('GET', '/Overpayments', 'payments.read', listOverpayments);
  route('GET', '/Overpayments/:id', 'payments.read', getOverpayment);
  route('GET', '/Prepayments', 'payments.read', listPrepayments);
  route('GET', '/Prepayments/:id', 'payments.read', getPrepayment);
  route('GET', '/CreditNotes', 'invoices.read', listCreditNotes);
  route('GET', '/CreditNotes/:id', 'invoices.read', getCreditNote);
  route('PUT', '/CreditNotes', 'invoices.write', createCreditNotes);
  route('POST', '/CreditNotes', 'invoices.write', createCreditNotes);
  route('PUT', '/CreditNotes/:id/Allocations', 'invoices.write', allocateCreditNote);

  app.all(`${BASE}/*`, (request, reply) =>
    runApi(
      deps,
      request,
      reply,
      () => {
        throw notFound();
      },
      { write: request.method !== 'GET', scope: 'settings.read' },
    ),
  );

  app.get(`${PATHS.onlineInvoice}/:token`, async (request, reply) => {
    const { token } = request.params as { token: string };
    for (const org of deps.orgs.values()) {
      for (const invoice of org.invoices.values()) {
        if (invoice.onlineToken !== token) continue;
        return sendInvoicePage(reply, {
          books: org.name,
          number: invoice.number,
          dueDate: invoice.dueDate,
          dueLabel: 'Amount due',
          due: `${formatAmount(amountDue(invoice), invoice.currency)} ${invoice.currency}`,
        });
      }
    }
    return sendPageNotFound(reply);
  });
}
