import type { NextStep } from '../../../collections/next-step.js';
import type { StandingArrangements } from '../../../customers/standing-arrangements.js';
import { html, type SafeHtml } from '../../../domain/html.js';
import { disputeReasonLabel, plainWords } from '../../../words/labels.js';
import { date, money } from './format.js';

/** A customer's next step and what they have arranged, for the top of their page. */
export function customerStanding(
  next: NextStep,
  arrangements: StandingArrangements,
  words: { locale: string; timeZone: string },
): SafeHtml {
  const { locale } = words;
  const { promise, plan, dispute, settlement } = arrangements;
  const lines = [
    promise ? html`<li>Promised to pay by <strong>${date(promise.promisedDate, locale)}</strong></li>` : null,
    plan
      ? html`<li>${plan.status === 'active' ? 'On a payment plan' : 'Asked for a payment plan (waiting for your approval)'} of ${plan.installments} installments${
          plan.next
            ? html`; next: <strong>${money(plan.next.amount, locale)}</strong> on ${date(plan.next.dueDate, locale)}`
            : ''
        }</li>`
      : null,
    dispute
      ? html`<li>Disputed: <strong>${disputeReasonLabel(dispute.reason)}</strong>${dispute.message ? html` — “${dispute.message}”` : ''}</li>`
      : null,
    settlement
      ? html`<li>${settlement.status === 'accepted' ? 'Accepted a settlement' : 'Offered a settlement'}: <strong>${money(settlement.amount, locale)}</strong> by ${date(settlement.payBy, locale)}</li>`
      : null,
  ].filter((line) => line !== null);
  return html`<section class="card" aria-labelledby="next-step"><h2 id="next-step">What happens next</h2>
<p><strong>${plainWords(next.text, words)}</strong></p>
<p class="small muted">${plainWords(next.why, words)}</p>
<h3>Arranged</h3>
${lines.length === 0 ? html`<p class="empty">No promise, plan, dispute or settlement in force.</p>` : html`<ul>${lines}</ul>`}
</section>`;
}
