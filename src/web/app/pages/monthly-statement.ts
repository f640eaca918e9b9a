import { html, type SafeHtml } from '../../../domain/html.js';
import { csrfField } from './layout.js';

/** What the monthly statement form shows: the stored setting, or what was typed when it was refused. */
export interface MonthlyStatementValues {
  enabled: boolean;
  day: string;
}

/** The monthly statement of account: on or off, and the day of the month it goes. */
export function monthlyStatementSection(
  action: string,
  csrfToken: string,
  values: MonthlyStatementValues,
  problems: Map<string, string[]>,
  timeZone: string,
): SafeHtml {
  const dayProblems = problems.get('monthlyStatement.day') ?? [];
  const others = [...problems]
    .filter(([path]) => path !== 'monthlyStatement.day')
    .flatMap(([, list]) => list);
  return html`<section class="card" aria-labelledby="monthly-statement"><h2 id="monthly-statement">Monthly statement of account</h2>
${problems.size > 0 ? html`<div class="banner problem" role="alert"><strong>Nothing was saved.</strong> ${others.length > 0 ? others.join(' ') : 'Please fix the field marked below.'}</div>` : ''}
<p class="small muted">Each month, every customer who owes you something gets their statement by email: the open invoices, credits, payments of the last twelve months and how late each invoice is, with the PDF attached. It counts as a contact, so it keeps the days between contacts, the sending hours and every customer’s do-not-contact, exclusion and email opt-out.</p>
<form method="post" action="${action}" novalidate>${csrfField(csrfToken)}
<label class="check"><input type="checkbox" name="enabled"${values.enabled ? ' checked' : ''}> Email each customer who owes something their statement every month</label>
<div class="row"><div><label for="statement-day">Day of the month (1–28, ${timeZone})</label>
<input type="number" id="statement-day" name="day" value="${values.day}" min="1" max="28"${dayProblems.length > 0 ? html` aria-invalid="true" aria-describedby="error-statement-day"` : ''}>
${dayProblems.length > 0 ? html`<p class="field-error" id="error-statement-day">${dayProblems.join('; ')}</p>` : ''}</div></div>
<div class="actions"><button type="submit">Save monthly statement</button></div>
</form></section>`;
}
