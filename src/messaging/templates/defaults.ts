import type { SpecialTemplate, Template, TemplateName, Tone } from './types.js';

/**
 * The wording of one default template: Liquid without markup, put together as one body (`body`
 * below), from which both the HTML and the text email are made.
 */
interface Copy {
  subject: string;
  greeting: string;
  intro: string;
  /** Only the final notice says what may happen next, and only when its step names it. */
  nextAction: string | null;
  brokenPromise: string;
  optionsLead: string;
  closing: string;
  signOff: string;
}

const oneOrMany = (one: string, many: string) =>
  `{% if invoices.size == 1 %}${one}{% else %}${many}{% endif %}`;
const days = (field: string) => `{{ ${field} }} {{ ${field} | plural: 'day', 'days' }}`;
const overdueFor = oneOrMany(
  `now ${days('maxDaysOverdue')} overdue`,
  `the oldest now ${days('maxDaysOverdue')} overdue`,
);
const addressee = '{% if contact.name %}{{ contact.name }}{% else %}{{ debtor.name }}{% endif %}';
const questions =
  'If you have any questions, just reply to this email{% if organisation.phone %} or call us on {{ organisation.phone }}{% endif %}.';
const softPromise =
  "Thank you for letting us know you planned to pay by {{ brokenPromise.promisedDate | date }}. We haven't received the payment yet; if your plans have changed, you can set a new date on your account page.";
const firmPromise =
  'You let us know you would pay by {{ brokenPromise.promisedDate | date }}, and we have not received the payment. Please pay now, or set a new date or a payment plan on your account page.';
const disputeClosing =
  'If you believe any of these invoices is incorrect, please tell us through your account page or by replying to this email{% if organisation.phone %}, or by calling {{ organisation.phone }}{% endif %}, so we can look into it.';

const copies: Record<Tone, Copy> = {
  friendly: {
    subject: `${oneOrMany(
      'Invoice {{ invoices.first.number }} is due on {{ invoices.first.dueDate | date }}',
      '{{ invoices.size }} invoices due soon',
    )} – {{ organisation.name }}`,
    greeting: 'Hello',
    intro: `Just a friendly heads-up: ${oneOrMany('the invoice below is', 'the invoices below are')} due soon. If payment is already on its way, thank you!`,
    nextAction: null,
    brokenPromise: softPromise,
    optionsLead: 'Paying online takes a minute. If the timing is awkward, your account page also lets you:',
    closing: questions,
    signOff: 'Kind regards,',
  },
  neutral: {
    subject: `Reminder: ${oneOrMany(
      'invoice {{ invoices.first.number }} is',
      '{{ invoices.size }} invoices are',
    )} past due – {{ organisation.name }}`,
    greeting: 'Hello',
    intro: `Our records show that ${oneOrMany('the invoice below is', 'the invoices below are')} now past the due date. It may simply have slipped through, so this is a quick reminder. We would be grateful if you could arrange payment soon.`,
    nextAction: null,
    brokenPromise: softPromise,
    optionsLead: "If paying in full right now is difficult, that's fine. On your account page you can:",
    closing: `If you have already paid, thank you, and please disregard this reminder. ${questions}`,
    signOff: 'Kind regards,',
  },
  firm: {
    subject: 'Payment overdue: {{ totals | money }} – {{ organisation.name }}',
    greeting: 'Dear',
    intro: `We have not yet received payment for ${oneOrMany('the invoice below', 'the invoices below')}, ${overdueFor}. Please arrange payment now, or let us know how you would like to settle the balance.`,
    nextAction: null,
    brokenPromise: firmPromise,
    optionsLead: 'If you cannot pay the full amount today, please use your account page to:',
    closing: `If you have already paid, thank you; please let us know so we can update our records. ${questions}`,
    signOff: 'Kind regards,',
  },
  formal: {
    subject: 'Formal request for payment: {{ totals | money }} – {{ organisation.name }}',
    greeting: 'Dear',
    intro: `Despite our earlier reminders, the balance below remains unpaid, ${overdueFor}. We ask you to pay the full amount within 14 days of this email, or to contact us within that time to agree an arrangement.`,
    nextAction: null,
    brokenPromise: firmPromise,
    optionsLead:
      'If you are unable to pay in full, we want to find a way forward with you. On your account page you can:',
    closing: disputeClosing,
    signOff: 'Yours sincerely,',
  },
  final: {
    subject: 'Final notice: {{ totals | money }} overdue – {{ organisation.name }}',
    greeting: 'Dear',
    intro: `Despite our previous reminders, the balance below is still unpaid, ${overdueFor}. This is our final reminder. Please pay within 14 days of this email, or contact us within that time to agree a payment date or a plan.`,
    nextAction:
      "{% if step.nextAction == 'agency_referral' %}If the balance remains unpaid and we have not heard from you, we may pass the account to a collection agency.{% elsif step.nextAction == 'small_claims' %}If the balance remains unpaid and we have not heard from you, we may make a claim through the small claims court.{% endif %}",
    brokenPromise: firmPromise,
    optionsLead: 'We would much rather settle this with you directly. On your account page you can:',
    closing: disputeClosing,
    signOff: 'Yours sincerely,',
  },
};

/** Installment reminders and settlement offers: the same layout, their own words. */
const specialCopies: Record<SpecialTemplate, Copy> = {
  installment: {
    subject:
      'Payment plan: installment {{ installment.number }} of {{ installment.of }} is due on {{ installment.dueDate | date }} – {{ organisation.name }}',
    greeting: 'Hello',
    intro:
      'Thank you for keeping to your payment plan. A quick reminder that installment {{ installment.number }} of {{ installment.of }}, {{ installment.amount | money }}, is due on {{ installment.dueDate | date }}.',
    nextAction: null,
    brokenPromise: softPromise,
    optionsLead: 'If something has changed, your account page lets you:',
    closing: questions,
    signOff: 'Kind regards,',
  },
  settlement: {
    subject: 'An offer to settle your balance – {{ organisation.name }}',
    greeting: 'Dear',
    intro:
      'We would like to settle the balance below with you. If you pay {{ settlement.amount | money }} by {{ settlement.payBy | date }}, we will accept it in full settlement of these invoices and cancel the rest. You can accept the offer on your account page.',
    nextAction: null,
    brokenPromise: firmPromise,
    optionsLead: 'On your account page you can also:',
    closing: disputeClosing,
    signOff: 'Yours sincerely,',
  },
};

const alternatives = [
  'pay online, in full or in part',
  'tell us the date you will pay',
  'set up a payment plan',
  'let us know if something on an invoice looks wrong',
];

/**
 * One default body. The invoices, their pay links, the total, credit and late-fee notes, the link to
 * the account page and other ways to pay follow it in every email (Dunwell's frame, `layout.ts`).
 */
function body(copy: Copy): string {
  return `${copy.greeting} ${addressee},

${copy.intro}${copy.nextAction ? `{% if step.nextAction %}\n\n${copy.nextAction}{% endif %}` : ''}{% if brokenPromise %}

${copy.brokenPromise}{% endif %}

${copy.optionsLead}

${alternatives.map((alternative) => `- ${alternative.charAt(0).toUpperCase()}${alternative.slice(1)}`).join('\n')}

${copy.closing}

${copy.signOff}
{{ organisation.name }}{% if organisation.email %}
{{ organisation.email }}{% endif %}
`;
}

const defaults = Object.fromEntries(
  (Object.entries({ ...copies, ...specialCopies }) as Array<[TemplateName, Copy]>).map(([tone, copy]) => [
    tone,
    Object.freeze({ subject: copy.subject, text: body(copy) }),
  ]),
) as Record<TemplateName, Template>;

/**
 * The built-in template for a tone: friendly (a heads-up before the due date), neutral (reminder),
 * firm, formal (a demand) and final, each one body. Each offers the alternatives on the debtor's page
 * (the frame around it lists the invoices with their pay links and the total per currency); none
 * threatens. Besides the tones:
 * `installment` (a payment plan's next installment) and `settlement` (an offer to settle for less).
 */
export function defaultTemplate(name: TemplateName): Template {
  return { ...defaults[name] };
}
