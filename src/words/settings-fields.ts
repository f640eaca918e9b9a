import type { FieldWords } from './problems.js';

/*
 * The organisation's settings as the settings pages name them (Organisation details, Weekly
 * summary), for validation problems in words.
 */

const fields: Record<string, FieldWords> = {
  contactEmail: { label: 'the email for replies and questions' },
  contactPhone: { label: 'the phone number' },
  notifyEmail: { label: 'who hears about disputes and plans to approve', rule: 'an email address' },
  logoUrl: { label: 'the logo', rule: 'an https:// address of an image' },
  brandColour: { label: 'the colour', rule: 'a colour written like #1a5fb4' },
  paymentInstructions: { label: 'how to pay', rule: 'at most 1,000 characters' },
  'weeklySummary.weekday': { label: 'the day of the weekly summary', rule: 'a day of the week' },
  'weeklySummary.hour': { label: 'the hour', rule: 'a whole number from 0 to 23' },
  'weeklySummary.recipients': { label: 'the recipients', rule: 'at most 20 addresses' },
  'monthlyStatement.day': {
    label: 'the day of the month',
    rule: 'a whole number from 1 to 28 (every month has it)',
  },
};

/** A setting's words by its path; the weekly summary's form names its fields without the prefix. */
export function settingsFieldWords(full: readonly PropertyKey[]): FieldWords | null {
  const path = full[0] === 'weeklySummary' ? full.slice(1) : full;
  const [first, second] = path;
  if (first === 'recipients' && typeof second === 'number')
    return { label: `recipient ${second + 1}`, rule: 'an email address' };
  const key = path.map(String).join('.');
  return fields[key] ?? fields[`weeklySummary.${key}`] ?? null;
}
