import type { CustomerPhoneView } from '../../../customers/customer-phones.js';
import { html, type SafeHtml } from '../../../domain/html.js';
import { moment } from './format.js';
import { csrfField, type PageFrame } from './layout.js';

/** What was typed in the consent form, with its problems, when it was refused. */
export interface PhoneFormState {
  values: { phone: string; source: string; how: string };
  problems: string[];
}

const sourceWords: Record<string, string> = {
  portal: 'Ticked “text me” on their payment page',
  written: 'In writing',
  verbal: 'By word of mouth',
  imported: 'Imported',
};

const optOutWords: Record<string, string> = {
  keyword: 'they texted STOP',
  carrier: 'the text provider refused the number as unsubscribed',
  person: 'they asked on their payment page',
};

function state(phone: CustomerPhoneView, timeZone: string): SafeHtml {
  if (phone.optedOut)
    return html`<span class="pill bad">texts stopped</span> <span class="small muted">${moment(phone.optedOut.at, timeZone)}: ${optOutWords[phone.optedOut.source ?? ''] ?? 'opted out'}</span>`;
  return phone.consent
    ? html`<span class="pill good">may be texted</span>`
    : html`<span class="pill warn">no consent: not texted</span>`;
}

/**
 * A customer's mobile numbers with the consent on record for each (how, when, who recorded it) and
 * whether texts were stopped; and the form to record a number with consent the owner holds.
 */
export function customerPhonesSection(
  frame: PageFrame,
  customerId: string,
  phones: CustomerPhoneView[],
  timeZone: string,
  form?: PhoneFormState,
): SafeHtml {
  const typed = form?.values;
  return html`<section class="card" aria-labelledby="texts"><h2 id="texts">Text messages</h2>
${
  phones.length === 0
    ? html`<p class="empty">No mobile number on record: no texts go to them.</p>`
    : html`<ul>${phones.map(
        (
          phone,
        ) => html`<li data-phone="${phone.phone}"><strong>${phone.phone}</strong> ${state(phone, timeZone)}
<div class="small">${
          phone.consent
            ? html`Consent: ${sourceWords[phone.consent.source] ?? phone.consent.source}, ${moment(phone.consent.at, timeZone)}, recorded by ${phone.consent.recordedBy}<div class="muted">“${phone.consent.method}”</div>`
            : 'No consent on record.'
        }</div></li>`,
      )}</ul>`
}
<h3>Record a mobile number with consent</h3>
${form && form.problems.length > 0 ? html`<div class="banner problem" role="alert"><strong>Nothing was recorded.</strong><ul>${form.problems.map((problem) => html`<li>${problem}</li>`)}</ul></div>` : ''}
<form method="post" action="/app/${frame.orgId}/customers/${customerId}/phones" novalidate>${csrfField(frame.csrfToken)}
<label for="consent-phone">Mobile number</label>
<input type="tel" id="consent-phone" name="phone" required maxlength="40" aria-describedby="consent-phone-help" value="${typed?.phone ?? ''}">
<p class="small muted" id="consent-phone-help">With the country code, for example +44 7700 900123.</p>
<fieldset><legend>Consent given</legend>
<label class="check"><input type="radio" name="source" value="written"${typed?.source === 'written' ? ' checked' : ''}> In writing</label>
<label class="check"><input type="radio" name="source" value="verbal"${typed?.source === 'verbal' ? ' checked' : ''}> By word of mouth</label>
</fieldset>
<label for="consent-how">How it was given</label>
<input type="text" id="consent-how" name="how" required maxlength="500" aria-describedby="consent-how-help" value="${typed?.how ?? ''}">
<p class="small muted" id="consent-how-help">For example “signed the credit application on 3 May” or “agreed on a call with Sam on 12 June”. Only a number with consent is texted; recording it again does not undo their STOP.</p>
<div class="actions"><button type="submit">Record consent</button></div>
</form></section>`;
}
