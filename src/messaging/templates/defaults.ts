import type { SpecialTemplate, Template, TemplateName, Tone } from './types.js';

/**
 * The wording of one default template. Each piece is Liquid without markup, used in both the HTML
 * and the text part, so the two always say the same thing.
 */
interface Copy {
  subject: string;
  heading: string | null;
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
    heading: null,
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
    heading: null,
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
    heading: null,
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
    heading: 'Formal request for payment',
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
    heading: 'Final notice',
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
    heading: null,
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
    heading: null,
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

const invoiceDue = '{% if invoice.number %}Invoice {{ invoice.number }}, due{% else %}Invoice due{% endif %}';
const partPaid = 'invoice.balance.amountMinor != invoice.total.amountMinor';
const dueState = `{% if invoice.daysOverdue > 0 %}${days('invoice.daysOverdue')} overdue{% elsif invoice.daysOverdue == 0 %}due today{% endif %}`;

function text(copy: Copy): string {
  return `${copy.heading ? `${copy.heading.toUpperCase()}\n\n` : ''}${copy.greeting} ${addressee},

${copy.intro}
${copy.nextAction ? `\n${copy.nextAction}\n` : ''}
{% if brokenPromise %}${copy.brokenPromise}{% endif %}

{% for invoice in invoices -%}
- ${invoiceDue} {{ invoice.dueDate | date }}: {{ invoice.balance | money }}{% if ${partPaid} %} of {{ invoice.total | money }}{% endif %} outstanding{% if invoice.daysOverdue >= 0 %} (${dueState}){% endif %}
  Pay: {{ invoice.payUrl | default: portalUrl }}
{% endfor %}
Total outstanding: {{ totals | money }}
{% if credits.size > 0 %}You also have {{ credits | money }} of credit with us, which can go towards this: reply and we will apply it.
{% endif %}{% if lateFee %}
{{ lateFee.explanation }} Late-payment charges: {{ lateFee.total | money }}.
{% endif %}

${copy.optionsLead}
${alternatives.map((alternative) => `- ${alternative}`).join('\n')}

Your account page: {{ portalUrl }}
{% if organisation.paymentInstructions %}
Other ways to pay:
{{ organisation.paymentInstructions }}
{% endif %}

${copy.closing}

${copy.signOff}
{{ organisation.name }}
{% if organisation.email %}{{ organisation.email }}{% endif %}
`;
}

const cell = 'padding:6px 8px;border-top:1px solid #ddd;';
const note = 'color:#666;font-size:13px;';

function html(copy: Copy): string {
  return `<!DOCTYPE html>
<html lang="{{ organisation.locale }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ organisation.name }}</title>
</head>
<body style="margin:0;padding:24px;background:#f5f5f2;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#222222;">
<div style="max-width:640px;margin:0 auto;padding:24px;background:#ffffff;border-radius:6px;">
${copy.heading ? `<h1 style="font-size:20px;margin:0 0 16px;">${copy.heading}</h1>\n` : ''}<p>${copy.greeting} ${addressee},</p>
<p>${copy.intro}</p>
${copy.nextAction ? `{% if step.nextAction %}<p>${copy.nextAction}</p>{% endif %}\n` : ''}{% if brokenPromise %}<p>${copy.brokenPromise}</p>{% endif %}
<table style="width:100%;border-collapse:collapse;margin:16px 0;vertical-align:top;">
<thead>
<tr><th align="left" style="${cell}">Invoice</th><th align="left" style="${cell}">Due</th><th align="right" style="${cell}">Outstanding</th><th style="${cell}"></th></tr>
</thead>
<tbody>
{% for invoice in invoices %}<tr>
<td style="${cell}">{{ invoice.number | default: '—' }}</td>
<td style="${cell}">{{ invoice.dueDate | date }}{% if invoice.daysOverdue >= 0 %}<br><span style="${note}">${dueState}</span>{% endif %}</td>
<td align="right" style="${cell}">{{ invoice.balance | money }}{% if ${partPaid} %}<br><span style="${note}">of {{ invoice.total | money }}</span>{% endif %}</td>
<td align="right" style="${cell}"><a href="{{ invoice.payUrl | default: portalUrl }}">Pay now</a></td>
</tr>
{% endfor %}</tbody>
<tfoot>
<tr><th align="left" colspan="2" style="${cell}">Total outstanding</th><th align="right" style="${cell}">{% for total in totals %}{{ total | money }}{% unless forloop.last %}<br>{% endunless %}{% endfor %}</th><th style="${cell}"></th></tr>
</tfoot>
</table>
{% if credits.size > 0 %}<p>You also have <strong>{{ credits | money }}</strong> of credit with us, which can go towards this: reply and we will apply it.</p>{% endif %}
{% if lateFee %}<p>{{ lateFee.explanation }} Late-payment charges: <strong>{{ lateFee.total | money }}</strong>.</p>{% endif %}
<p>${copy.optionsLead}</p>
<ul>
${alternatives.map((alternative) => `<li>${alternative.charAt(0).toUpperCase()}${alternative.slice(1)}</li>`).join('\n')}
</ul>
<p><a href="{{ portalUrl }}" style="display:inline-block;padding:10px 18px;background:#1a5fb4;color:#ffffff;text-decoration:none;border-radius:4px;">Open your account page</a></p>
{% if organisation.paymentInstructions %}<p><strong>Other ways to pay</strong></p>
<p style="white-space:pre-line;">{{ organisation.paymentInstructions }}</p>{% endif %}
<p>${copy.closing}</p>
<p>${copy.signOff}<br>{{ organisation.name }}{% if organisation.email %}<br><a href="mailto:{{ organisation.email }}" style="color:#1a5fb4;">{{ organisation.email }}</a>{% endif %}</p>
</div>
</body>
</html>
`;
}

const defaults = Object.fromEntries(
  (Object.entries({ ...copies, ...specialCopies }) as Array<[TemplateName, Copy]>).map(([tone, copy]) => [
    tone,
    Object.freeze({ subject: copy.subject, html: html(copy), text: text(copy) }),
  ]),
) as Record<TemplateName, Template>;

/**
 * The built-in template for a tone: friendly (a heads-up before the due date), neutral (reminder),
 * firm, formal (a demand) and final. Each lists the invoices with their pay links and the total per
 * currency, and offers the alternatives on the debtor's page; none threatens. Besides the tones:
 * `installment` (a payment plan's next installment) and `settlement` (an offer to settle for less).
 */
export function defaultTemplate(name: TemplateName): Template {
  return { ...defaults[name] };
}
