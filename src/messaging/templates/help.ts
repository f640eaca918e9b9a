import { richSampleContext, toScope } from './context.js';
import { render } from './engine.js';
import { setScopeLocale } from './filters.js';
import { unmark } from './merged.js';

const fields: Array<{ field: string; description: string }> = [
  { field: '{{ organisation.name }}', description: 'Your business name.' },
  { field: '{{ organisation.email }}', description: 'Your accounts email address (may be empty).' },
  { field: '{{ organisation.phone }}', description: 'Your phone number (may be empty).' },
  {
    field: '{{ organisation.paymentInstructions }}',
    description: 'How to pay other than online, e.g. bank details (may be empty).',
  },
  { field: '{{ debtor.name }}', description: 'The customer who owes the invoices.' },
  {
    field: '{{ contact.name }}',
    description: 'The person the email is addressed to (may be empty; fall back to debtor.name).',
  },
  { field: '{{ contact.email }}', description: 'The address the email is sent to.' },
  {
    field: '{% for invoice in invoices %}…{% endfor %}',
    description: 'Repeats for each invoice in the email.',
  },
  {
    field: '{{ invoice.number }}',
    description: 'The invoice number, inside the invoices loop (may be empty).',
  },
  { field: '{{ invoice.dueDate | date }}', description: 'The due date, in your language.' },
  { field: '{{ invoice.daysOverdue }}', description: 'Days past the due date (negative before it).' },
  { field: '{{ invoice.balance | money }}', description: 'What is still owed on the invoice.' },
  { field: '{{ invoice.total | money }}', description: 'The invoice total, before payments.' },
  {
    field: '{{ invoice.payUrl | default: portalUrl }}',
    description: "The invoice's online payment link, or the customer's page when it has none.",
  },
  { field: '{{ invoices.size }}', description: 'How many invoices the email covers.' },
  { field: '{{ totals | money }}', description: 'What is owed in total, one amount per currency.' },
  { field: '{{ maxDaysOverdue }}', description: 'Days overdue of the oldest invoice.' },
  {
    field: '{{ portalUrl }}',
    description:
      "The customer's page: pay in full or in part, promise a date, set up a plan, or raise a dispute. Every email must include it.",
  },
  { field: '{% if lateFee %}…{% endif %}', description: 'Only when late fees apply.' },
  { field: '{{ lateFee.explanation }}', description: 'Why a late fee applies, from your terms.' },
  { field: '{{ lateFee.total | money }}', description: 'The late fees charged so far.' },
  {
    field: '{% if brokenPromise %}…{% endif %}',
    description: 'Only when the customer missed a date they promised.',
  },
  {
    field: '{{ brokenPromise.promisedDate | date }}',
    description: 'The date the customer promised to pay by.',
  },
  {
    field: '{{ step.tone }}',
    description: 'The tone of this step: friendly, neutral, firm, formal or final.',
  },
  {
    field: '{{ step.nextAction }}',
    description: 'What may happen next when the step says so (agency_referral or small_claims; else empty).',
  },
  {
    field: "{{ invoices.size | plural: 'invoice', 'invoices' }}",
    description: 'The word that fits the number (the number itself is not included).',
  },
  {
    field: "{{ invoice.dueDate | date: 'short' }}",
    description: "A shorter date; 'numeric' gives digits only.",
  },
];

function example(field: string): string {
  if (field.startsWith('{%')) return '';
  const scope = toScope(richSampleContext);
  setScopeLocale(scope, scope.organisation.locale);
  // Loop fields are shown for the sample's first invoice.
  const source = field.replaceAll('invoice.', 'invoices.first.');
  return unmark(render(source, scope));
}

/** Merge fields and filters for the settings page, with what each gives for a sample debtor. */
export const mergeFieldHelp: Array<{ field: string; description: string; example: string }> = fields.map(
  ({ field, description }) => ({ field, description, example: example(field) }),
);
