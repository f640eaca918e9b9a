import { stringify } from 'csv-stringify/sync';
import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { ofDebtor } from '../db/debtor-scope.js';
import {
  activityLog,
  customerContacts,
  customers,
  disputes,
  invoices,
  ledgerWrites,
  outboundMessages,
  paymentPlans,
  paymentPromises,
  settlements,
  smsMessages,
} from '../db/schema/index.js';
import { html } from '../domain/html.js';
import { formatPlainMoney } from '../domain/money.js';
import { organisationProfile } from '../organisations/settings.js';

/**
 * "Document everything": what an agency or a small-claims court asks for about one debtor — the
 * invoices, every contact with its date, channel, content and delivery, promises, plans, disputes,
 * settlement offers and the notes written to the ledger, in order.
 */
/** How a logged event reached the debtor: an email, a text (or both), a call, a letter; else it is a record. */
function channelOfEvent(kind: string, details: Record<string, unknown>): string {
  const channels = details['channels'];
  if (kind === 'reminder.sent' && Array.isArray(channels) && channels.length > 0) return channels.join('+');
  // Planned is the engine's decision, not yet a contact.
  if (kind === 'reminder.planned') return 'record';
  if (kind.startsWith('reminder') || kind.startsWith('email')) return 'email';
  if (kind.startsWith('sms.')) return 'text';
  if (kind.startsWith('call.')) return 'phone';
  if (kind.startsWith('letter.')) return 'post';
  return 'record';
}

export async function evidencePack(db: Database, orgId: string, customerId: string) {
  const organisation = await organisationProfile(db, orgId);
  const [customer] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.id, customerId), eq(customers.orgId, orgId)));
  if (!organisation || !customer) return null;
  const scoped = (table: Parameters<typeof ofDebtor>[0]) => ofDebtor(table, { orgId, customerId });
  const [owed, contacts, events, messages, texts, promises, plans, disputeRows, offers] = await Promise.all([
    db.select().from(invoices).where(scoped(invoices)).orderBy(asc(invoices.dueDate)),
    db.select().from(customerContacts).where(scoped(customerContacts)),
    db.select().from(activityLog).where(scoped(activityLog)).orderBy(asc(activityLog.occurredAt)),
    db
      .select()
      .from(outboundMessages)
      .where(scoped(outboundMessages))
      .orderBy(asc(outboundMessages.createdAt)),
    db.select().from(smsMessages).where(scoped(smsMessages)).orderBy(asc(smsMessages.createdAt)),
    db.select().from(paymentPromises).where(scoped(paymentPromises)).orderBy(asc(paymentPromises.createdAt)),
    db.select().from(paymentPlans).where(scoped(paymentPlans)).orderBy(asc(paymentPlans.createdAt)),
    db.select().from(disputes).where(scoped(disputes)).orderBy(asc(disputes.createdAt)),
    db.select().from(settlements).where(scoped(settlements)).orderBy(asc(settlements.createdAt)),
  ]);
  const invoiceIds = new Set(owed.map((invoice) => invoice.id));
  const notes = (
    await db
      .select()
      .from(ledgerWrites)
      .where(eq(ledgerWrites.orgId, orgId))
      .orderBy(asc(ledgerWrites.createdAt))
  ).filter((write) => coveredBy(write).some((id) => invoiceIds.has(id)));
  const numberOf = new Map(owed.map((invoice) => [invoice.id, invoice.number ?? invoice.externalId]));
  const names = (ids: unknown) =>
    Array.isArray(ids) ? ids.map((id) => numberOf.get(String(id)) ?? String(id)).join(' ') : '';

  const textedOnly = new Set(
    events.flatMap((event) => {
      const channels = event.details['channels'];
      return event.kind === 'reminder.sent' && Array.isArray(channels) && !channels.includes('email')
        ? [String(event.details['messageId'])]
        : [];
    }),
  );
  /** One line per thing that happened, oldest first. */
  const timeline = [
    ...events.map((event) => ({
      at: event.occurredAt,
      type: event.kind,
      channel: channelOfEvent(event.kind, event.details),
      by: event.actor,
      invoices: names(event.details['invoiceIds']),
      detail: event.summary,
    })),
    // A reminder that went by text alone has its text below, not an email.
    ...messages
      .filter((message) => !textedOnly.has(message.id))
      .map((message) => ({
        at: message.sentAt ?? message.createdAt,
        type: `message.${message.status}${message.deliveredAt ? '.delivered' : ''}${message.openedAt ? '.opened' : ''}${message.deliveryProblem ? '.failed' : ''}`,
        channel: 'email',
        by: 'system',
        invoices: '',
        detail: `To ${message.to.map((address) => address.email).join(', ')}${message.cc.length ? `, cc ${message.cc.map((address) => address.email).join(', ')}` : ''} — ${message.subject === null ? '(not sent yet: written when it goes)' : `"${message.subject}"\n${message.bodyText ?? ''}`}`,
      })),
    ...texts.map((text) => ({
      at: text.createdAt,
      type: `text.${text.status}`,
      channel: 'text',
      by: 'system',
      invoices: '',
      detail: `To ${text.toPhone} — ${text.body}`,
    })),
    ...notes.map((write) => ({
      at: write.doneAt ?? write.createdAt,
      type: `ledger.${write.kind}.${write.status}`,
      channel: 'ledger',
      by: 'system',
      invoices: names(coveredBy(write)),
      detail: write.kind === 'note' ? String(write.payload['text'] ?? '') : JSON.stringify(write.payload),
    })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());

  return {
    organisation,
    customer,
    contacts,
    invoices: owed,
    promises,
    plans,
    disputes: disputeRows,
    settlements: offers,
    timeline,
  };
}

/** The invoices a write-back is about: its own, or the several one note covers. */
function coveredBy(write: typeof ledgerWrites.$inferSelect): string[] {
  const named = write.payload['invoiceIds'];
  if (Array.isArray(named)) return named.map(String);
  return write.invoiceId ? [write.invoiceId] : [];
}

export type EvidencePack = NonNullable<Awaited<ReturnType<typeof evidencePack>>>;

const money = (amountMinor: number, currency: string) => formatPlainMoney({ amountMinor, currency });

/** The pack as CSV: the invoices first, then the timeline, one record per line. */
export function evidenceCsv(pack: EvidencePack): string {
  const rows: string[][] = [['section', 'date', 'type', 'channel', 'by', 'invoices', 'detail']];
  for (const invoice of pack.invoices) {
    rows.push([
      'invoice',
      invoice.dueDate,
      invoice.collectionHold ?? invoice.status,
      'ledger',
      '',
      invoice.number ?? invoice.externalId,
      `total ${money(invoice.totalMinor, invoice.currency)}, outstanding ${money(invoice.balanceMinor, invoice.currency)}, issued ${invoice.issueDate ?? 'unknown'}`,
    ]);
  }
  for (const entry of pack.timeline)
    rows.push([
      'event',
      entry.at.toISOString(),
      entry.type,
      entry.channel,
      entry.by,
      entry.invoices,
      entry.detail,
    ]);
  return stringify(rows);
}

/** The pack as a printable page (print to PDF from any browser). */
export function evidenceHtml(pack: EvidencePack): string {
  const { organisation, customer } = pack;
  return `<!doctype html>${html`<html lang="en"><head><meta charset="utf-8"><title>Evidence pack: ${customer.name}</title>
<style>body{font:13px/1.45 system-ui,Arial,sans-serif;color:#111;margin:24px}h1{font-size:20px}h2{font-size:15px;margin-top:24px}table{border-collapse:collapse;width:100%}th,td{border:1px solid #bbb;padding:4px 6px;text-align:left;vertical-align:top}pre{white-space:pre-wrap;margin:0;font:inherit}@media print{h2{break-after:avoid}tr{break-inside:avoid}}</style></head>
<body>
<h1>Evidence pack: ${customer.name}</h1>
<p>Creditor: ${organisation.name}. Debtor reference in the ledger: ${customer.externalId}. Prepared ${new Date().toISOString().slice(0, 10)} by Dunwell from its records and the ledger's.</p>
<h2>Contacts</h2>
<ul>${pack.contacts.map((contact) => html`<li>${contact.name ?? ''} ${contact.email ?? '(no email)'} — ${contact.role}${contact.bouncedAt ? `, bounced ${contact.bouncedAt.toISOString().slice(0, 10)}` : ''}</li>`)}</ul>
<h2>Invoices</h2>
<table><thead><tr><th>Invoice</th><th>Issued</th><th>Due</th><th>Total</th><th>Outstanding</th><th>State</th></tr></thead><tbody>
${pack.invoices.map((invoice) => html`<tr><td>${invoice.number ?? invoice.externalId}</td><td>${invoice.issueDate ?? ''}</td><td>${invoice.dueDate}</td><td>${money(invoice.totalMinor, invoice.currency)}</td><td>${money(invoice.balanceMinor, invoice.currency)}</td><td>${invoice.collectionHold?.replace('_', ' ') ?? invoice.status}</td></tr>`)}
</tbody></table>
<h2>Promises, plans, disputes and offers</h2>
<ul>
${pack.promises.map((promise) => html`<li>${promise.createdAt.toISOString().slice(0, 10)}: promised to pay by ${promise.promisedDate} — ${promise.status}</li>`)}
${pack.plans.map((plan) => html`<li>${plan.createdAt.toISOString().slice(0, 10)}: payment plan of ${plan.installments.length} installments (${plan.installments.map((installment) => `${money(installment.amountMinor, plan.currency)} on ${installment.dueDate}`).join(', ')}) — ${plan.status.replace('_', ' ')}</li>`)}
${pack.disputes.map((dispute) => html`<li>${dispute.createdAt.toISOString().slice(0, 10)}: dispute (${dispute.reason}) — ${dispute.status}${dispute.resolution ? `: ${dispute.resolution}` : ''}<pre>${dispute.message}</pre></li>`)}
${pack.settlements.map((offer) => html`<li>${offer.createdAt.toISOString().slice(0, 10)}: settlement offer of ${money(offer.offerMinor, offer.currency)} by ${offer.payBy} against ${money(offer.startBalanceMinor, offer.currency)} — ${offer.status}</li>`)}
</ul>
<h2>Timeline</h2>
<table><thead><tr><th>When (UTC)</th><th>What</th><th>Channel</th><th>By</th><th>Invoices</th><th>Detail</th></tr></thead><tbody>
${pack.timeline.map((entry) => html`<tr><td>${entry.at.toISOString().replace('T', ' ').slice(0, 16)}</td><td>${entry.type}</td><td>${entry.channel}</td><td>${entry.by}</td><td>${entry.invoices}</td><td><pre>${entry.detail}</pre></td></tr>`)}
</tbody></table>
</body></html>`}`;
}
