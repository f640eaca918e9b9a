/** Read access to a company for assertions: fresh wire-format renderings on every access. */
import type { Company } from './store/company.js';
import {
  renderAttachable,
  renderCompanyInfo,
  renderCreditMemo,
  renderCustomer,
  renderInvoice,
  renderItem,
  renderPayment,
} from './store/wire.js';
import type { CompanyView } from './types.js';

export function companyView(company: Company): CompanyView {
  return {
    realmId: company.realmId,
    get companyInfo() {
      return renderCompanyInfo(company);
    },
    get customers() {
      return [...company.customers.values()].map((r) => renderCustomer(company, r));
    },
    get invoices() {
      return [...company.invoices.values()].map((r) => renderInvoice(company, r));
    },
    get payments() {
      return [...company.payments.values()].map((r) => renderPayment(company, r));
    },
    get attachables() {
      return [...company.attachables.values()].map(renderAttachable);
    },
    get creditMemos() {
      return [...company.creditMemos.values()].map((r) => renderCreditMemo(company, r));
    },
    get items() {
      return [...company.items.values()].map(renderItem);
    },
    invoice(id) {
      const record = company.invoices.get(id);
      return record && renderInvoice(company, record);
    },
    customer(id) {
      const record = company.customers.get(id);
      return record && renderCustomer(company, record);
    },
  };
}
