import type { OwnerEventKind } from '../../db/schema/index.js';
import { html } from '../../domain/html.js';
import type { Money } from '../../domain/money.js';
import { formatMoney } from '../templates/filters.js';
import type { RenderedEmail } from '../templates/index.js';

/** One thing a debtor did, as the digest tells it. */
export interface DigestEvent {
  kind: OwnerEventKind;
  customerName: string;
  /** The email's line (may quote the debtor); never posted to Slack. */
  summary: string;
  amount: Money | null;
  /** When, in the organisation's zone: "2026-12-07 14:05". */
  at: string;
}

export interface DigestLinks {
  reviewUrl: string;
  activityUrl: string;
}

const headings: Record<OwnerEventKind, string> = {
  dispute: 'Disputes',
  plan_request: 'Payment plans waiting for you',
  promise: 'Promises to pay',
  plan: 'Payment plans set up',
  reply: 'Replies',
};
/** What needs a person first. */
const order: OwnerEventKind[] = ['dispute', 'plan_request', 'reply', 'promise', 'plan'];

/** Slack's line for an event: a name, what happened, an amount; nothing the debtor wrote. */
const slackVerbs: Record<OwnerEventKind, string> = {
  dispute: 'disputed',
  plan_request: 'asked for a payment plan on',
  promise: 'promised to pay',
  plan: 'set up a payment plan for',
  reply: 'replied about',
};

export const digestSubject = (count: number) =>
  `Dunwell: ${count} ${count === 1 ? 'thing' : 'things'} from your customers`;

function grouped(events: DigestEvent[]) {
  return order
    .map((kind) => ({ kind, events: events.filter((event) => event.kind === kind) }))
    .filter((group) => group.events.length > 0);
}

/** The owner's digest email: what debtors did since the last one, disputes and plan requests first. */
export function renderOwnerDigest(
  organisation: { name: string; locale: string },
  events: DigestEvent[],
  links: DigestLinks,
): RenderedEmail {
  const amount = (event: DigestEvent) =>
    event.amount ? ` (${formatMoney(event.amount, organisation.locale)})` : '';
  const groups = grouped(events);
  const text = [
    `${organisation.name}: what your customers did on their Dunwell pages.`,
    '',
    ...groups.flatMap((group) => [
      `${headings[group.kind]}:`,
      ...group.events.map((event) => `- ${event.at} ${event.customerName} ${event.summary}${amount(event)}`),
      '',
    ]),
    `Decide what waits for you: ${links.reviewUrl}`,
    `Everything customers did lately: ${links.activityUrl}`,
  ].join('\n');
  const font = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;";
  const body = html`<div style="${font}color:#1f2328;max-width:640px">
<p>${organisation.name}: what your customers did on their Dunwell pages.</p>
${groups.map(
  (group) => html`<h2 style="font-size:16px;margin:16px 0 4px">${headings[group.kind]}</h2>
<ul style="margin:0;padding-left:20px">${group.events.map(
    (event) =>
      html`<li style="margin:4px 0"><span style="color:#5f6368">${event.at}</span> <strong>${event.customerName}</strong> ${event.summary}${amount(event)}</li>`,
  )}</ul>`,
)}
<p style="margin-top:20px"><a href="${links.reviewUrl}">Decide what waits for you</a> · <a href="${links.activityUrl}">Everything customers did lately</a></p>
</div>`;
  return { subject: digestSubject(events.length), text, html: body.toString() };
}

/** Slack's mrkdwn needs &, < and > escaped; nothing else of a name is special to it. */
const slackEscape = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** The same digest for a Slack channel: names and amounts only (a channel is a wider audience). */
export function renderSlackDigest(
  organisation: { name: string; locale: string },
  events: DigestEvent[],
  links: DigestLinks,
): string {
  const lines = grouped(events).flatMap((group) =>
    group.events.map(
      (event) =>
        `• ${slackEscape(event.customerName)} ${slackVerbs[event.kind]}${event.amount ? ` ${formatMoney(event.amount, organisation.locale)}` : ' their invoices'}`,
    ),
  );
  return [
    `*${slackEscape(digestSubject(events.length))}* (${slackEscape(organisation.name)})`,
    ...lines,
    `<${links.reviewUrl}|Open the review queue>`,
  ].join('\n');
}
