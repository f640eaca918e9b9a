import { html } from '../../../domain/html.js';
import type { Statement } from '../../../statements/statement.js';
import { statementSections } from '../../statement-html.js';
import { date } from './format.js';
import { appPage, type PageFrame } from './layout.js';

/**
 * A customer's statement of account as the owner sees it, with the PDF to send or print, and the
 * formal demand and final notice to post when something is overdue.
 */
export function statementPage(frame: PageFrame, statement: Statement): string {
  const { debtor, issuer } = statement;
  const files = `/api/organisations/${frame.orgId}/customers/${debtor.id}`;
  const dated = `?asOf=${statement.asOf}`;
  const overdue = statement.invoices.some(
    (invoice) => invoice.daysOverdue > 0 && invoice.owed.amountMinor > 0 && invoice.hold === null,
  );
  const content = html`<p class="small"><a href="/app/${frame.orgId}/customers/${debtor.id}">← ${debtor.name}</a></p>
<h1>Statement of account: ${debtor.name}</h1>
<p class="lede">What ${debtor.name} owes ${issuer.name} on ${date(statement.asOf, issuer.locale)}: open invoices, credits, payments of the last 12 months and how overdue each amount is. ${debtor.email ? html`Their billing address is ${debtor.email}.` : 'Your books hold no email address for them: print or post it.'}</p>
<section class="card" aria-labelledby="documents">
  <h2 id="documents">Documents</h2>
  <div class="actions">
    <a class="button" href="${files}/statement.pdf${dated}">Statement (PDF)</a>
    ${
      overdue
        ? html`<a class="button secondary" href="${files}/letters/demand.pdf${dated}">Formal demand letter (PDF)</a>
    <a class="button secondary" href="${files}/letters/final-notice.pdf${dated}">Final notice letter (PDF)</a>`
        : ''
    }
  </div>
  <p class="small muted">${overdue ? 'The letters list the overdue invoices with any interest or fees your late-fee rule (Money page) gives, and ask for payment within 14 days (the demand) or 7 days (the final notice).' : 'Nothing is overdue, so there is no letter to send.'}</p>
</section>
<div class="card">
${statementSections(statement, { you: false })}
</div>`;
  return appPage(frame, content);
}
