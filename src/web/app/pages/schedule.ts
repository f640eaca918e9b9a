import { html, type SafeHtml } from '../../../domain/html.js';
import type { Policy } from '../../../domain/policy.js';
import {
  adjustableSegments,
  flagKinds,
  minorToAmount,
  scheduleSummary,
  segmentDescriptions,
  tones,
} from '../forms/schedule-form.js';
import { appPage, csrfField, type PageFrame } from './layout.js';

export interface SchedulePageData {
  /** What the form shows: the policy in force, or what was just submitted (possibly invalid). */
  policy: Record<string, unknown>;
  /** The policy in force, for the plain-language summary. */
  inForce: Policy;
  version: number;
  timeZone: string;
  currency: string;
  /** Problems by field path ("steps.2.offsetDays"), or under "form" when they have no field. */
  problems: Map<string, string[]>;
  /** What the submitted change would do over the next 30 days ("Preview the change"), nothing saved. */
  preview?: SafeHtml;
}

const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const flagLabels = { agency_referral: 'Agency', settlement_offer: 'Settle for less', write_off: 'Write off' };

type Row = Record<string, unknown>;
const get = (row: unknown, key: string): unknown =>
  row && typeof row === 'object' ? (row as Row)[key] : undefined;

export function schedulePage(frame: PageFrame, data: SchedulePageData): string {
  const problemsAt = (path: string) => data.problems.get(path) ?? [];
  const invalid = (path: string) =>
    problemsAt(path).length > 0 ? html` aria-invalid="true" aria-describedby="${errorId(path)}"` : '';
  const errorId = (path: string) => `error-${path.replace(/[^a-zA-Z0-9]/g, '-')}`;
  const error = (path: string) =>
    problemsAt(path).length > 0
      ? html`<p class="field-error" id="${errorId(path)}">${problemsAt(path).join('; ')}</p>`
      : '';
  const value = (candidate: unknown) =>
    candidate === undefined || candidate === null ? '' : String(candidate);
  const policy = data.policy;
  const steps = (Array.isArray(policy['steps']) ? policy['steps'] : []) as unknown[];
  const window = (policy['sendingWindow'] ?? {}) as Row;
  const adjustments = (policy['segmentAdjustments'] ?? {}) as Row;
  const minimum = policy['minimumBalanceMinor'];
  const closedDaysText = Array.isArray(policy['closedDays'])
    ? policy['closedDays'].map(String).join('\n')
    : '';
  const unplaced = [...data.problems.entries()].filter(([path]) => !fieldPaths(steps.length).has(path));
  const selectOf = (name: string, options: readonly string[], selected: unknown, label: string) =>
    html`<select name="${name}" id="${name}" aria-label="${label}"${invalid(name)}>${options.map(
      (option) => html`<option value="${option}"${option === selected ? ' selected' : ''}>${option}</option>`,
    )}</select>`;

  const stepRow = (step: unknown, index: number): SafeHtml => {
    const at = (field: string) => `steps.${index}.${field}`;
    const action = get(step, 'action');
    const flags = (get(step, 'flags') as string[] | undefined) ?? [];
    const stepProblems = [...data.problems.entries()].filter(([path]) => path.startsWith(`steps.${index}.`));
    return html`<tr>
  <td><input type="text" name="${at('key')}" id="${at('key')}" value="${value(get(step, 'key'))}" aria-label="Step ${index + 1} name"${invalid(at('key'))}></td>
  <td><input type="number" name="${at('offsetDays')}" id="${at('offsetDays')}" value="${value(get(step, 'offsetDays'))}" aria-label="Step ${index + 1} days from due date"${invalid(at('offsetDays'))}></td>
  <td>${selectOf(at('action'), ['email', 'call', 'letter', 'task', 'flag'], action, `Step ${index + 1} action`)}</td>
  <td>${selectOf(at('tone'), tones, get(step, 'tone'), `Step ${index + 1} tone`)}</td>
  <td>
    <label class="check"><input type="checkbox" name="${at('copyEscalationContacts')}"${get(step, 'copyEscalationContacts') ? ' checked' : ''}> CC escalation</label>
    <label class="check"><input type="checkbox" name="${at('requiresApproval')}"${get(step, 'requiresApproval') ? ' checked' : ''}> You approve</label>
    <label class="check"><input type="checkbox" name="${at('lateFeeNotice')}"${get(step, 'lateFeeNotice') ? ' checked' : ''}> Late-fee notice</label>
  </td>
  <td>
    ${action === 'task' ? html`<input type="text" name="${at('task')}" id="${at('task')}" value="${value(get(step, 'task'))}" placeholder="e.g. Call the customer" aria-label="Step ${index + 1} task"${invalid(at('task'))}>` : ''}
    ${action === 'flag' ? flagKinds.map((kind) => html`<label class="check"><input type="checkbox" name="${at(`flags.${kind}`)}"${flags.includes(kind) ? ' checked' : ''}> ${flagLabels[kind]}</label>`) : ''}
    ${action === 'email' ? reminderOptions(step, index, invalid) : ''}
  </td>
  <td class="num">
    <button class="small secondary" type="submit" name="op" value="up:${index}" aria-label="Move step ${index + 1} up"${index === 0 ? ' disabled' : ''}>↑</button>
    <button class="small secondary" type="submit" name="op" value="down:${index}" aria-label="Move step ${index + 1} down"${index === steps.length - 1 ? ' disabled' : ''}>↓</button>
    <button class="small secondary" type="submit" name="op" value="remove:${index}" aria-label="Remove step ${index + 1}">Remove</button>
  </td>
</tr>${stepProblems.length > 0 ? html`<tr><td colspan="7">${stepProblems.map(([path, messages]) => html`<p class="field-error" id="${errorId(path)}">${messages.join(' ')}</p>`)}</td></tr>` : ''}`;
  };

  const content = html`
<h1>Schedule</h1>
<p class="lede">When and how Dunwell reminds your customers. Version ${data.version === 0 ? 'default' : data.version} is in force. <a href="/app/${frame.orgId}/forecast">See what it would send over the next 30 days</a>.</p>
${data.preview ?? ''}
<section class="card" aria-labelledby="summary"><h2 id="summary">In plain words</h2>
<ul>${scheduleSummary(data.inForce, data.timeZone).map((line) => html`<li>${line}</li>`)}</ul></section>
${data.problems.size > 0 ? html`<div class="banner problem" role="alert"><strong>Nothing was saved.</strong> Please fix the fields marked below.${unplaced.length > 0 ? html`<ul>${unplaced.map(([, messages]) => html`<li>${messages.join(' ')}</li>`)}</ul>` : ''}</div>` : ''}
<form method="post" action="/app/${frame.orgId}/schedule" novalidate>
${csrfField(frame.csrfToken)}
<input type="hidden" name="basedOnVersion" value="${data.version}">
<input type="hidden" name="stepCount" value="${steps.length}">
<section class="card" aria-labelledby="steps"><h2 id="steps">Steps</h2>
<p class="muted small">Days are counted from the due date: −3 is three days before it. A customer with several overdue invoices gets one message at the step of the most overdue one.</p>
<div class="table-wrap"><table class="steps"><thead><tr><th>Name</th><th>Day</th><th>Action</th><th>Tone</th><th>Options</th><th>Details</th><th class="num">Order</th></tr></thead>
<tbody>${steps.map(stepRow)}</tbody></table></div>
${error('steps')}
<div class="actions"><button class="secondary" type="submit" name="op" value="add">Add a step</button></div>
</section>
<section class="card" aria-labelledby="limits"><h2 id="limits">Limits and timing</h2>
<div class="row">
<div><label for="minDaysBetweenContacts">Days between contacts (at least)</label>
<input type="number" name="minDaysBetweenContacts" id="minDaysBetweenContacts" value="${value(policy['minDaysBetweenContacts'])}"${invalid('minDaysBetweenContacts')}>
${error('minDaysBetweenContacts')}</div>
<div><label for="promiseGraceDays">Grace days after a promise</label>
<input type="number" name="promiseGraceDays" id="promiseGraceDays" value="${value(policy['promiseGraceDays'])}"${invalid('promiseGraceDays')}>
${error('promiseGraceDays')}</div>
<div><label for="minimumBalanceMinor">Minimum balance worth chasing (${data.currency})</label>
<input type="text" inputmode="decimal" name="minimumBalanceMinor" id="minimumBalanceMinor" value="${typeof minimum === 'number' ? minorToAmount(minimum, data.currency) : value(minimum)}"${invalid('minimumBalanceMinor')}>
${error('minimumBalanceMinor')}</div>
<div><label for="finalNoticeGraceDays">Days after the final notice before suggesting an agency, settlement or write-off</label>
<input type="number" name="finalNoticeGraceDays" id="finalNoticeGraceDays" min="1" max="90" value="${value(policy['finalNoticeGraceDays'])}"${invalid('finalNoticeGraceDays')}>
${error('finalNoticeGraceDays')}</div>
<div><label for="firstContactMaxTone">First contact never harsher than</label>
${selectOf('firstContactMaxTone', tones, policy['firstContactMaxTone'], 'First contact never harsher than')}
${error('firstContactMaxTone')}</div>
</div>
<fieldset><legend>Sending days</legend>
${weekdays.map((day, index) => html`<label class="check" style="display:inline-flex;margin-right:12px"><input type="checkbox" name="sendingWindow.weekdays.${index + 1}"${(window['weekdays'] as number[] | undefined)?.includes(index + 1) ? ' checked' : ''}> ${day}</label>`)}
${error('sendingWindow.weekdays')}</fieldset>
<div class="row">
<div><label for="sendingWindow.startHour">From (hour, 8–20)</label>
<input type="number" name="sendingWindow.startHour" id="sendingWindow.startHour" value="${value(window['startHour'])}"${invalid('sendingWindow.startHour')}>
${error('sendingWindow.startHour')}</div>
<div><label for="sendingWindow.endHour">Until (hour, 9–21)</label>
<input type="number" name="sendingWindow.endHour" id="sendingWindow.endHour" value="${value(window['endHour'])}"${invalid('sendingWindow.endHour')}>
${error('sendingWindow.endHour')}</div>
<div><label for="timeZone">Your time zone</label>
<input type="text" name="timeZone" id="timeZone" value="${value(policy['timeZone'] ?? data.timeZone)}" list="time-zones"${invalid('timeZone')}>
<datalist id="time-zones">${Intl.supportedValuesOf('timeZone').map((zone) => html`<option value="${zone}">`)}</datalist>
${error('timeZone')}<p class="hint">Used when a customer’s own time zone is unknown.</p></div>
</div>
</section>
<section class="card" aria-labelledby="closed"><h2 id="closed">Holidays and closed days</h2>
<p class="muted small">No reminder goes out on the public holidays of the customer’s country (else your own country), nor on the days you list here: one date a line (or separated by commas), written YYYY-MM-DD.</p>
<label for="closedDays">Days you are closed</label>
<textarea name="closedDays" id="closedDays" rows="5" placeholder="2026-12-24&#10;2026-12-31"${invalid('closedDays')}>${closedDaysText}</textarea>
${error('closedDays')}
</section>
<section class="card" aria-labelledby="segments"><h2 id="segments">Segments</h2>
<p class="muted small">Dunwell sorts customers by how they pay. Shift the schedule for a segment: negative days mean sooner.</p>
<div class="table-wrap"><table><thead><tr><th>Segment</th><th>Escalate (days)</th><th>Flags (days)</th><th>Offer a plan at day</th></tr></thead><tbody>
${adjustableSegments.map((segment) => {
  const at = (field: string) => `segmentAdjustments.${segment}.${field}`;
  const adjustment = adjustments[segment] as Row | undefined;
  return html`<tr><td>${segmentDescriptions[segment as keyof typeof segmentDescriptions]}</td>
  <td><input type="number" name="${at('escalationShiftDays')}" value="${value(adjustment?.['escalationShiftDays'] ?? 0)}" aria-label="${segment} escalation shift"${invalid(at('escalationShiftDays'))}>${error(at('escalationShiftDays'))}</td>
  <td><input type="number" name="${at('flagShiftDays')}" value="${value(adjustment?.['flagShiftDays'] ?? 0)}" aria-label="${segment} flag shift"${invalid(at('flagShiftDays'))}>${error(at('flagShiftDays'))}</td>
  <td><input type="number" name="${at('offerPlanAtDays')}" value="${value(adjustment?.['offerPlanAtDays'])}" aria-label="${segment} plan offer day" placeholder="—"${invalid(at('offerPlanAtDays'))}>${error(at('offerPlanAtDays'))}</td></tr>`;
})}
</tbody></table></div>
</section>
<div class="actions"><button type="submit" name="op" value="save">Save schedule</button>
<button class="secondary" type="submit" name="op" value="preview">Preview the change</button>
<a class="button secondary" href="/app/${frame.orgId}/schedule">Discard changes</a></div>
</form>`;
  return appPage(frame, content);
}

/** Every path the form has a field for; problems elsewhere are listed in the banner. */
function fieldPaths(stepCount: number): Set<string> {
  const paths = new Set([
    'minDaysBetweenContacts',
    'promiseGraceDays',
    'finalNoticeGraceDays',
    'closedDays',
    'minimumBalanceMinor',
    'firstContactMaxTone',
    'sendingWindow.weekdays',
    'sendingWindow.startHour',
    'sendingWindow.endHour',
    'timeZone',
    'steps',
  ]);
  for (let index = 0; index < stepCount; index += 1)
    for (const field of [
      'key',
      'offsetDays',
      'action',
      'tone',
      'task',
      'flags',
      'template',
      'copyEscalationContacts',
      'requiresApproval',
      'lateFeeNotice',
      'via',
      'attachStatement',
    ])
      paths.add(`steps.${index}.${field}`);
  for (const segment of adjustableSegments)
    for (const field of ['escalationShiftDays', 'flagShiftDays', 'offerPlanAtDays'])
      paths.add(`segmentAdjustments.${segment}.${field}`);
  return paths;
}

const viaLabels = { email: 'By email', text: 'By text', both: 'By email and text' } as const;

/** An email step's channel and statement: a text goes only to a number with consent, else the email. */
function reminderOptions(
  step: unknown,
  index: number,
  invalid: (path: string) => SafeHtml | string,
): SafeHtml {
  const at = (field: string) => `steps.${index}.${field}`;
  const via = get(step, 'via') ?? 'email';
  return html`<select name="${at('via')}" id="${at('via')}" aria-label="Step ${index + 1} sent"${invalid(at('via'))}>${Object.entries(
    viaLabels,
  ).map(
    ([option, label]) =>
      html`<option value="${option}"${option === via ? ' selected' : ''}>${label}</option>`,
  )}</select>
    <label class="check"><input type="checkbox" name="${at('attachStatement')}"${get(step, 'attachStatement') ? ' checked' : ''}> Attach statement</label>
    <span class="muted small">Uses the ${String(get(step, 'tone') ?? '')} template</span>`;
}
