import { escapeHtml } from '../../domain/html.js';
import type { RenderedEmail } from '../templates/index.js';

/**
 * The email that tells the organisation a debtor disputed invoices on their page: the debtor's own
 * words, as plain text (in the HTML part too, escaped), rendered when it is queued.
 */
export function disputeNotice(dispute: { invoices: string; reason: string; message: string }): RenderedEmail {
  const text = `A customer disputed ${dispute.invoices} on their Dunwell page.\n\nReason: ${dispute.reason}\n\n${dispute.message}\n\nReminders for these invoices are paused until someone resolves the dispute in Dunwell.`;
  return {
    subject: `Dispute: ${dispute.invoices}`,
    text,
    html: `<pre style="font-family:inherit;white-space:pre-wrap">${escapeHtml(text)}</pre>`,
  };
}
