import { html, type SafeHtml } from '../../../domain/html.js';
import { csrfField } from './layout.js';

export const detailFields = [
  {
    name: 'contactEmail',
    label: 'Email for replies and questions',
    type: 'email',
    hint: 'Replies to reminders go here; it is shown on the customer’s page.',
  },
  { name: 'contactPhone', label: 'Phone', type: 'text', hint: '' },
  { name: 'notifyEmail', label: 'Who hears about disputes and plans to approve', type: 'email', hint: '' },
  {
    name: 'logoUrl',
    label: 'Logo (an https:// address)',
    type: 'url',
    hint: 'Shown on the customer’s page.',
  },
  { name: 'brandColour', label: 'Colour', type: 'text', hint: 'Like #1a5fb4.' },
] as const;

/** How the organisation appears to its customers: contact details, payment instructions, branding. */
export function detailsSection(
  action: string,
  csrfToken: string,
  values: Record<string, string>,
  problems: Map<string, string[]>,
): SafeHtml {
  const invalid = (name: string) =>
    problems.has(name) ? html` aria-invalid="true" aria-describedby="error-${name}"` : '';
  const error = (name: string) =>
    problems.has(name)
      ? html`<p class="field-error" id="error-${name}">${(problems.get(name) ?? []).join('; ')}</p>`
      : '';
  return html`<section class="card" aria-labelledby="details"><h2 id="details">How you appear to customers</h2>
${problems.size > 0 ? html`<div class="banner problem" role="alert"><strong>Nothing was saved.</strong> Please fix the fields marked below.</div>` : ''}
<form method="post" action="${action}" novalidate>${csrfField(csrfToken)}
<div class="row">${detailFields.map(
    (field) => html`<div><label for="${field.name}">${field.label}</label>
<input type="${field.type}" id="${field.name}" name="${field.name}" value="${values[field.name] ?? ''}"${invalid(field.name)}>
${error(field.name)}${field.hint ? html`<p class="hint">${field.hint}</p>` : ''}</div>`,
  )}</div>
<label for="paymentInstructions">How to pay when an invoice has no online payment</label>
<textarea id="paymentInstructions" name="paymentInstructions" rows="4"${invalid('paymentInstructions')}>${values['paymentInstructions'] ?? ''}</textarea>
${error('paymentInstructions')}
<div class="actions"><button type="submit">Save details</button></div>
</form></section>`;
}
