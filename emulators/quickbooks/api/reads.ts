/**
 * GET by id. `GET /invoice/{id}?include=invoiceLink` adds `InvoiceLink` (minorversion ≥ 36) when the company
 * takes online payments and the invoice has a BillEmail and is not voided; otherwise the field is left out.
 * node-quickbooks' getInvoice takes no options, so pass the id as `'123?include=invoiceLink'`.
 */
import { objectNotFound, unsupportedOperation } from '../faults.js';
import { PATHS } from '../paths.js';
import {
  renderAttachable,
  renderCompanyInfo,
  renderCreditMemo,
  renderCustomer,
  renderInvoice,
  renderItem,
  renderPayment,
} from '../store/wire.js';
import type { JsonObject } from './body.js';
import type { ApiContext } from './context.js';

export function readEntity(ctx: ApiContext, resource: string, id: string): JsonObject {
  const { company } = ctx;
  switch (resource) {
    case 'invoice': {
      const invoice = company.invoices.get(id);
      if (!invoice) throw objectNotFound('Invoice', id);
      const wantsLink = (ctx.query['include'] ?? '').toLowerCase().split(',').includes('invoicelink');
      const eligible = company.info.onlinePayments && invoice.billEmail !== null && !invoice.voided;
      const link = wantsLink && eligible ? invoiceLink(ctx, invoice.id, invoice.linkToken) : undefined;
      return { Invoice: renderInvoice(company, invoice, link) };
    }
    case 'customer':
      return found('Customer', id, company.customers.get(id), (r) => renderCustomer(company, r));
    case 'payment':
      return found('Payment', id, company.payments.get(id), (r) => renderPayment(company, r));
    case 'creditmemo':
      return found('CreditMemo', id, company.creditMemos.get(id), (r) => renderCreditMemo(company, r));
    case 'attachable':
      return found('Attachable', id, company.attachables.get(id), renderAttachable);
    case 'item':
      return found('Item', id, company.items.get(id), renderItem);
    case 'companyinfo':
      if (id !== company.realmId) throw objectNotFound('CompanyInfo', id);
      return { CompanyInfo: renderCompanyInfo(company) };
    default:
      throw unsupportedOperation(`/v3/company/${company.realmId}/${resource}/${id}`);
  }
}

function found<R>(
  name: string,
  id: string,
  record: R | undefined,
  render: (record: R) => unknown,
): JsonObject {
  if (record === undefined) throw objectNotFound(name, id);
  return { [name]: render(record) };
}

export function invoiceLink(ctx: ApiContext, invoiceId: string, token: string): string {
  return `${ctx.baseUrl}${PATHS.portal}/${ctx.company.realmId}/${invoiceId}/${token}`;
}
