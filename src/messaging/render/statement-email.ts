import type { DebtorSnapshot } from '../../collections/snapshot.js';
import type { Database } from '../../db/client.js';
import type { PortalLinks } from '../../domain/portal-links.js';
import { owesSomething } from '../../statements/monthly-choice.js';
import { monthlyStatementStepKey } from '../../statements/monthly-keys.js';
import type { RenderedEmail, Template } from '../templates/index.js';
import { organisationRenderer } from './organisation-renderer.js';

const addressee = '{% if contact.name %}{{ contact.name }}{% else %}{{ debtor.name }}{% endif %}';

/**
 * The monthly statement's email: a short note in Dunwell's frame (the open invoices with their pay
 * links and totals, the credits, the account-page button), the statement itself attached as a PDF.
 */
export const statementEmailTemplate: Template = {
  subject: 'Your statement of account – {{ organisation.name }}',
  text: `Hello ${addressee},

Here is your monthly statement of account with {{ organisation.name }}, attached as a PDF. It lists the invoices still open, any credits you can use, and the payments we have received in the last twelve months.

{% if invoices.size == 1 %}The invoice still open is{% else %}The invoices still open are{% endif %} below, with a link to pay online where there is one. If you have paid since, thank you: please disregard it.

If anything on it looks wrong, just reply to this email{% if organisation.phone %} or call us on {{ organisation.phone }}{% endif %}.

Kind regards,
{{ organisation.name }}{% if organisation.email %}
{{ organisation.email }}{% endif %}
`,
};

/**
 * The statement email to one debtor as the books stand now (rendered with the organisation's name,
 * brand and portal link, as its reminders are); null when they owe nothing any more, credits
 * counted, so delivery cancels it.
 */
export async function renderStatementEmail(
  db: Database,
  snapshot: DebtorSnapshot,
  options: { now: Date; links: PortalLinks; to: ReadonlyArray<{ email: string; name?: string | null }> },
): Promise<RenderedEmail | null> {
  if (!owesSomething(snapshot)) return null;
  // The reminder renderer draws the frame; the statement's own words stand in for its template.
  const render = await organisationRenderer(db, snapshot.orgId, {
    now: options.now,
    links: options.links,
    editing: { name: 'neutral', template: statementEmailTemplate },
  });
  if (!render) return null;
  return render(
    {
      stepKey: monthlyStatementStepKey,
      tone: 'neutral',
      template: 'neutral',
      lateFeeNotice: false,
      brokenPromise: null,
      invoiceSteps: snapshot.invoices
        .filter((invoice) => invoice.balanceMinor > 0)
        .map((invoice) => ({ invoiceId: invoice.id })),
      to: options.to,
    },
    snapshot,
  );
}
