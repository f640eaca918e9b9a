/** organisation(tenantId): the books as the API would render them, for assertions in tests. */
import type { Organisation } from './store/model.js';
import { renderContact, renderInvoice, renderPayment } from './store/wire.js';
import { renderAllocation, renderCreditNote, renderReceivedCredit } from './store/wire-credits.js';
import { renderAccount, renderHistoryList, renderOrganisation } from './store/wire-organisation.js';
import type { OrganisationView } from './types.js';

export function organisationView(org: Organisation, now: () => number): OrganisationView {
  const key = (id: string) => id.toLowerCase();
  return {
    tenantId: org.tenantId,
    name: org.name,
    get organisation() {
      return renderOrganisation(org);
    },
    get contacts() {
      return [...org.contacts.values()].map((c) => renderContact(org, c, now()));
    },
    get invoices() {
      return [...org.invoices.values()].map((i) => renderInvoice(org, i, 'full'));
    },
    get payments() {
      return [...org.payments.values()].map((p) => renderPayment(org, p));
    },
    get creditNotes() {
      return [...org.creditNotes.values()].map((c) => renderCreditNote(org, c));
    },
    get overpayments() {
      return [...org.overpayments.values()].map((c) => renderReceivedCredit(org, c));
    },
    get prepayments() {
      return [...org.prepayments.values()].map((c) => renderReceivedCredit(org, c));
    },
    get allocations() {
      return [...org.allocations.values()].map((a) => renderAllocation(org, a, true));
    },
    get accounts() {
      return [...org.accounts.values()].map((a) => renderAccount(org, a));
    },
    history: (invoiceId) => renderHistoryList(org, key(invoiceId)),
    invoice(id) {
      const invoice = org.invoices.get(key(id));
      return invoice ? renderInvoice(org, invoice, 'full') : undefined;
    },
    contact(id) {
      const contact = org.contacts.get(key(id));
      return contact ? renderContact(org, contact, now()) : undefined;
    },
  };
}
