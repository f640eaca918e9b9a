import type { z } from 'zod';

/*
 * Validation problems in a person's words: the one helper every form uses (schedule, money,
 * settings, templates, weekly summary), so a page says "Days between contacts must be a whole number"
 * and never "minDaysBetweenContacts: Invalid input: expected number, received string".
 *
 * A field is named by its label, as the page shows it. Where the stored value is in other units than
 * the page's (a share stored as 0.3, shown as 30 %), the field gives its rule in the page's units
 * ("between 5 and 70 %"), and the sentence says that instead of the schema's bounds.
 */

/** How a form names a field, and (optionally) what it accepts, in the page's own units. */
export interface FieldWords {
  label: string;
  /** "between 5 and 70 %": said as "<label> must be <rule>" for any problem of the field. */
  rule?: string;
}

/** The words of a field by its path ("steps.2.offsetDays"), or null when the form does not know it. */
export type FieldWordsOf = (path: readonly PropertyKey[]) => FieldWords | null;

type Issue = z.core.$ZodIssue;

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** A field the form does not label: its last name, in words ("offsetDays" → "offset days"). */
export function fallbackLabel(path: readonly PropertyKey[]): string {
  const last = [...path].reverse().find((part) => typeof part === 'string');
  if (typeof last !== 'string') return 'this value';
  return last
    .replace(/Minor$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** What is wrong, after the label: "must be a whole number", "must be at most 730". */
function complaint(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'number' || issue.expected === 'int') return 'must be a whole number';
      if (issue.expected === 'array') return 'must be a list';
      if (issue.expected === 'boolean') return 'must be ticked or not';
      if (issue.input === undefined || issue.input === null) return 'is missing';
      return 'is not the right kind of value';
    case 'too_small': {
      const minimum = Number(issue.minimum);
      if (issue.origin === 'string')
        return minimum <= 1
          ? 'cannot be empty'
          : `must be at least ${plural(minimum, 'character', 'characters')}`;
      if (issue.origin === 'array' || issue.origin === 'set')
        return minimum <= 1 ? 'needs at least one' : `needs at least ${minimum}`;
      return issue.inclusive === false ? `must be more than ${minimum}` : `must be at least ${minimum}`;
    }
    case 'too_big': {
      const maximum = Number(issue.maximum);
      if (issue.origin === 'string') return `must be at most ${plural(maximum, 'character', 'characters')}`;
      if (issue.origin === 'array' || issue.origin === 'set') return `can have at most ${maximum}`;
      return issue.inclusive === false ? `must be less than ${maximum}` : `must be at most ${maximum}`;
    }
    case 'invalid_format':
      if (issue.format === 'email') return 'must be an email address, such as name@example.com';
      if (issue.format === 'date') return 'must be a date written as YYYY-MM-DD, such as 2026-12-24';
      if (issue.format === 'url') return 'must be a web address starting with https://';
      return ownMessage(issue) ?? 'is not in the expected form';
    case 'invalid_value':
      return issue.values.length > 0 && issue.values.length <= 6
        ? `must be one of: ${issue.values.map(String).join(', ')}`
        : 'is not one of the choices';
    case 'invalid_union':
      return 'is not one of the choices';
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'unrecognized_keys':
      return `has something it does not know: ${issue.keys.join(', ')}`;
    default:
      return ownMessage(issue) ?? 'is not valid';
  }
}

/** The schema's own words, when it gave some (a refinement's "must be after the start hour"). */
function ownMessage(issue: Issue): string | null {
  const message = issue.message?.trim();
  if (!message || /^invalid\b/i.test(message) || /expected|received/i.test(message)) return null;
  return message;
}

/** One problem as a sentence naming its field: "Days between contacts must be at least 3." */
export function problemSentence(issue: Issue, words: FieldWords | null): string {
  const label = words?.label ?? fallbackLabel(issue.path);
  const what = words?.rule
    ? `must be ${words.rule}`
    : issue.code === 'custom'
      ? (ownMessage(issue) ?? 'is not valid')
      : complaint(issue);
  return `${capitalise(label)} ${what}.`;
}

/** Every problem of a failed parse, by field path ("steps.2.offsetDays"; "form" for the whole). */
export function problemsInWords(issues: readonly Issue[], wordsOf: FieldWordsOf): Map<string, string[]> {
  const byPath = new Map<string, string[]>();
  for (const issue of issues) {
    const path = issue.path.map(String).join('.') || 'form';
    const sentence = problemSentence(issue, wordsOf(issue.path));
    const found = byPath.get(path) ?? [];
    if (!found.includes(sentence)) byPath.set(path, [...found, sentence]);
  }
  return byPath;
}

/** The same problems as lines "path: Sentence", for services that hand problems on as text. */
export function problemLines(issues: readonly Issue[], wordsOf: FieldWordsOf): string[] {
  return [...problemsInWords(issues, wordsOf)].flatMap(([path, sentences]) =>
    sentences.map((sentence) => `${path}: ${sentence}`),
  );
}
