import { html } from '../../../domain/html.js';
import type { Money } from '../../../domain/money.js';
import { daysOverdue } from '../../../domain/plural.js';
import { callOutcomes } from '../../../review/contact-outcomes.js';
import type { ReplyAct } from '../../../review/reply-acts.js';
import type { ReviewQueue } from '../../../review/review-queue.js';
import {
  disputeReasonLabel,
  flagChoiceLabels,
  labelOf,
  plainWords,
  toneLabels,
} from '../../../words/labels.js';
import { date, money } from './format.js';
import { appPage, csrfField, type PageFrame } from './layout.js';

const choiceLabels = flagChoiceLabels;

/** A reply's class, as the review queue names it. */
const replyClassLabels: Record<string, string> = {
  paid_already: 'says it is paid',
  promise: 'promises to pay',
  dispute: 'disputes',
  plan_request: 'asks for a plan',
  out_of_office: 'out of office',
  unsubscribe: 'asks for no more emails',
  other: 'to read',
};

/** How a call went: the outcome, the date promised or what was said, recorded on the timeline and in the ledger. */
function callForm(id: string) {
  return html`<fieldset class="small"><legend>How did the call go?</legend>
  <label for="outcome-${id}">Outcome</label><select id="outcome-${id}" name="outcome.${id}">${Object.entries(callOutcomes).map(([value, label]) => html`<option value="${value}">${label}</option>`)}</select>
  <label for="promisedDate-${id}">Promised to pay by (for a promise)</label><input type="date" id="promisedDate-${id}" name="promisedDate.${id}">
  <label for="note-${id}">What was said (for a dispute, what is wrong)</label><textarea id="note-${id}" name="note.${id}" rows="2"></textarea>
  <button class="small" type="submit" name="act" value="task:${id}:called">Record the call</button></fieldset>`;
}

/** A letter to post: print it, post it, then say so (certified, with its tracking number). */
function letterForm(id: string, lettersUrl: string) {
  return html`<fieldset class="small"><legend>Post the letter</legend>
  <p><a href="${lettersUrl}">Print the letter</a> from the customer's statement and letters.</p>
  <label class="check"><input type="checkbox" name="certified.${id}"> Sent by certified or recorded post</label>
  <label for="tracking-${id}">Tracking number</label><input type="text" id="tracking-${id}" name="tracking.${id}" maxlength="100">
  <button class="small" type="submit" name="act" value="task:${id}:posted">Mark as posted</button></fieldset>`;
}

/** The one click a reply offers, on its button; each also marks the reply read. */
function replyActLabel(act: ReplyAct, promisedDate: string): string {
  if (act === 'promise') return `Record the promise to pay by ${promisedDate}`;
  return act === 'dispute' ? 'Open a dispute' : 'Stop emails to them';
}

interface ChoiceOption {
  choice: string;
  expected: Money;
  probability: number;
  cost: Money;
  explanation: string;
}

export function reviewPage(frame: PageFrame, queue: ReviewQueue, locale: string, unmatched = 0): string {
  const customer = (id: string | null, name: string) =>
    id ? html`<a href="/app/${frame.orgId}/customers/${id}">${name}</a>` : name;
  const pick = (value: string, label: string) =>
    html`<input type="checkbox" name="pick" value="${value}" aria-label="Select ${label}">`;
  const total = queue.total;

  const flags = queue.flags.map((flag) => {
    const recommendation = flag.recommendation as {
      recommended?: string;
      options?: ChoiceOption[];
      summary?: string;
      balance?: Money;
    };
    const options = recommendation.options ?? [];
    const allowed = ['keep_chasing', ...flag.kinds];
    return html`<article class="card" aria-label="Flag for ${flag.customerName}">
  <div class="row" style="justify-content:space-between;align-items:center">
    <h3 style="margin:0">${pick(`flag:${flag.id}`, flag.customerName)} ${customer(flag.customerId, flag.customerName)}
      <span class="pill warn">${flag.kinds.map((kind) => choiceLabels[kind] ?? plainWords(kind)).join(' or ')}</span></h3>
    <span class="muted">${recommendation.balance ? money(recommendation.balance, locale) : ''} · ${daysOverdue(flag.daysOverdue)}</span>
  </div>
  ${recommendation.summary ? html`<p>${plainWords(recommendation.summary)}</p>` : ''}
  ${
    options.length > 0
      ? html`<div class="table-wrap"><table><thead><tr><th>Choice</th><th class="num">Chance</th><th class="num">Expected in</th><th class="num">Cost</th><th>Why</th></tr></thead><tbody>
    ${options.map(
      (option) => html`<tr${option.choice === recommendation.recommended ? html` class="recommended"` : ''}>
      <td>${choiceLabels[option.choice] ?? plainWords(option.choice)}${option.choice === recommendation.recommended ? html` <span class="pill good">Recommended</span>` : ''}</td>
      <td class="num">${Math.round(option.probability * 100)}%</td><td class="num">${money(option.expected, locale)}</td>
      <td class="num">${money(option.cost, locale)}</td><td class="small">${plainWords(option.explanation)}</td></tr>`,
    )}</tbody></table></div>`
      : ''
  }
  <div class="row">
    <div><label for="choice-${flag.id}">Your choice</label>
    <select id="choice-${flag.id}" name="choice.${flag.id}">${allowed.map(
      (choice) =>
        html`<option value="${choice}"${choice === recommendation.recommended ? ' selected' : ''}>${choiceLabels[choice] ?? plainWords(choice)}</option>`,
    )}</select></div>
    ${
      flag.kinds.includes('settlement_offer')
        ? html`<div><label for="discount-${flag.id}">Settlement discount (%)</label>
    <input type="number" id="discount-${flag.id}" name="discount.${flag.id}" min="0" max="90" placeholder="your usual"></div>`
        : ''
    }
    <div style="flex:1"><label for="reason-${flag.id}">Reason (kept in the record)</label>
    <input type="text" id="reason-${flag.id}" name="reason.${flag.id}" maxlength="500"></div>
  </div>
  <div class="actions">
    <button type="submit" name="act" value="flag:${flag.id}:approve">Approve</button>
    <button class="secondary" type="submit" name="act" value="flag:${flag.id}:reject">Reject</button>
  </div>
</article>`;
  });

  const simpleList = <Item>(
    title: string,
    items: Item[],
    describe: (item: Item) => ReturnType<typeof html>,
  ) =>
    items.length === 0
      ? ''
      : html`<section class="card" aria-label="${title}"><h2>${title}</h2><div class="table-wrap"><table><tbody>${items.map(describe)}</tbody></table></div></section>`;

  const content = html`<h1>Review</h1>
<p class="lede">${total === 0 ? 'Nothing is waiting for you. Dunwell will put decisions here when they need a person.' : `${total} ${total === 1 ? 'thing needs' : 'things need'} a decision. Dunwell never refers, settles or writes off without you.`}</p>
${
  unmatched > 0
    ? html`<p class="card"><a href="/app/${frame.orgId}/unmatched">${unmatched} ${unmatched === 1 ? 'message' : 'messages'} Dunwell could not tie to a customer</a>: say whose, or dismiss.</p>`
    : ''
}
${
  total === 0
    ? ''
    : html`<form method="post" action="/app/${frame.orgId}/review">${csrfField(frame.csrfToken)}
<div class="card actions" style="margin-top:0" aria-label="Bulk actions">
  <span class="muted">With the selected:</span>
  <button class="secondary" type="submit" name="bulk" value="approve">Approve (recommended choice)</button>
  <button class="secondary" type="submit" name="bulk" value="reject">Reject</button>
  <button class="secondary" type="submit" name="bulk" value="done">Mark tasks done</button>
</div>
${queue.flags.length > 0 ? html`<h2>Suggestions to approve</h2>${flags}` : ''}
${simpleList(
  'Reminders waiting for your approval',
  queue.messages,
  (message) => html`<tr><td>${pick(`message:${message.id}`, message.customerName)}</td>
  <td>${customer(message.customerId, message.customerName)}<div class="small muted">${message.renderInputs?.tone ? labelOf(toneLabels, message.renderInputs.tone) : 'reminder'} to ${message.to.map((address) => address.email).join(', ')} · queued ${date(message.createdAt.toISOString(), locale)}</div></td>
  <td class="num"><button class="small" type="submit" name="act" value="message:${message.id}:approve">Approve</button>
  <button class="small secondary" type="submit" name="act" value="message:${message.id}:reject">Reject</button></td></tr>`,
)}
${simpleList(
  'Emails that may not have gone',
  queue.uncertain,
  (message) => html`<tr><td></td>
  <td>${customer(message.customerId, message.customerName)}<div>“${message.subject ?? 'Reminder'}” to ${message.to.map((address) => address.email).join(', ')}</div>
  <div class="small muted">Tried ${date(message.attemptedAt.toISOString(), locale)}; the email service cannot say whether it went. Nothing more goes to this customer until you answer: ask them, or check your email service.</div></td>
  <td class="num"><button class="small" type="submit" name="act" value="message:${message.id}:arrived">It arrived</button>
  <button class="small secondary" type="submit" name="act" value="message:${message.id}:resend">Send it again</button></td></tr>`,
)}
${simpleList(
  'Tasks for you',
  queue.tasks,
  (task) => html`<tr><td>${task.kind === 'task' ? pick(`task:${task.id}`, task.customerName) : ''}</td>
  <td>${customer(task.customerId, task.customerName)}<div>${plainWords(task.description)}</div><div class="small muted">since ${date(task.createdAt.toISOString(), locale)}</div>
  ${task.kind === 'call' ? callForm(task.id) : task.kind === 'letter' ? letterForm(task.id, `/app/${frame.orgId}/customers/${task.customerId}/statement`) : ''}</td>
  <td class="num">${task.kind === 'task' ? html`<button class="small" type="submit" name="act" value="task:${task.id}:done">Done</button>` : ''}
  <button class="small secondary" type="submit" name="act" value="task:${task.id}:dismiss">${task.kind === 'call' ? 'Not calling' : task.kind === 'letter' ? 'Not posting' : 'Dismiss'}</button></td></tr>`,
)}
${simpleList(
  'Payment plans outside your limits',
  queue.plans,
  (plan) => html`<tr><td>${pick(`plan:${plan.id}`, plan.customerName)}</td>
  <td>${customer(plan.customerId, plan.customerName)}<div>${plan.installments.length} installments, ${money({ amountMinor: plan.startBalanceMinor, currency: plan.currency }, locale)} in all, ending ${date(plan.installments.at(-1)?.dueDate ?? null, locale)}</div>
  <div class="small muted">${plainWords(plan.approvalReason ?? '')}</div></td>
  <td class="num"><button class="small" type="submit" name="act" value="plan:${plan.id}:approve">Approve</button>
  <button class="small secondary" type="submit" name="act" value="plan:${plan.id}:reject">Reject</button></td></tr>`,
)}
${simpleList(
  'Replies to read',
  queue.replies,
  (reply) => html`<tr><td></td>
  <td>${customer(reply.customerId, reply.customerName)} <span class="pill warn">${replyClassLabels[reply.class]}</span>
  <div class="small muted">From ${reply.fromAddress} · ${date(reply.receivedAt.toISOString(), locale)}${reply.subject ? html` · “${reply.subject}”` : ''}</div>
  ${reply.excerpt ? html`<blockquote style="white-space:pre-wrap">${reply.excerpt}</blockquote>` : ''}
  <div><strong>Suggested:</strong> ${reply.suggestion}.</div>
  <div class="small muted">Automatic chasing of this customer waits until you mark the reply as read.</div></td>
  <td class="num">${reply.act ? html`<button class="small" type="submit" name="act" value="reply:${reply.id}:${reply.act}">${replyActLabel(reply.act, date(reply.promisedDate, locale))}</button> ` : ''}<button class="small${reply.act ? ' secondary' : ''}" type="submit" name="act" value="reply:${reply.id}:read">Mark as read</button></td></tr>`,
)}
${simpleList(
  'Disputes to answer',
  queue.disputes,
  (
    dispute,
  ) => html`<tr><td></td><td>${customer(dispute.customerId, dispute.customerName)}<div><strong>${disputeReasonLabel(dispute.reason)}</strong>${dispute.message ? html`: “${dispute.message}”` : ''}</div>
  <label for="resolution-${dispute.id}">How it was resolved</label>
  <input type="text" id="resolution-${dispute.id}" name="resolution.${dispute.id}" maxlength="500"></td>
  <td class="num"><button class="small" type="submit" name="act" value="dispute:${dispute.id}:resolve">Resolve and resume</button></td></tr>`,
)}
</form>`
}`;
  return appPage(frame, content);
}
