import { currencyExponent, toMinorUnits } from '../../../domain/money.js';
import {
  type Policy,
  type Segment,
  type Step,
  segments,
  stepKeyFor,
  stepKeyPattern,
  tones,
} from '../../../domain/policy.js';
import { flagKindsText, labelOf, toneLabels } from '../../../words/labels.js';
import { type FormBody, fieldText } from './form-fields.js';

/** Field names of the schedule form are the policy's own paths ("steps.2.offsetDays"). */
export type { FormBody };

export const flagKinds = ['agency_referral', 'settlement_offer', 'write_off'] as const;
export const adjustableSegments = segments.filter((segment) => segment !== 'new');

const text = fieldText;
const checked = (body: FormBody, name: string): boolean => body[name] !== undefined;
/** A whole number as typed; anything else is kept as typed so the policy's checks name the field. */
const whole = (body: FormBody, name: string): number | string => {
  const value = text(body, name);
  return /^-?\d+$/.test(value) ? Number(value) : value;
};
const optionalWhole = (body: FormBody, name: string): number | string | null =>
  text(body, name) === '' ? null : whole(body, name);

/** Whether `date` (YYYY-MM-DD) is a day on the calendar: 2026-02-28 is, 2026-02-30 is not. */
function isCalendarDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date;
}

/** At most this many closed days (the policy's own limit: a year's worth). */
export const maxClosedDays = 366;

/**
 * The organisation's closed days as typed: one date a line, or separated by commas (YYYY-MM-DD).
 * `dates` are the valid ones, sorted, each once; `problems` says in words what is wrong with the rest.
 * `typed` keeps every entry as written, to show the field again when something is wrong.
 */
export function closedDaysFromText(typed: string): { dates: string[]; typed: string[]; problems: string[] } {
  const entries = typed
    .split(/[\n,;]+/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const problems: string[] = [];
  const notDates = entries.filter((entry) => !/^\d{4}-\d{2}-\d{2}$/.test(entry));
  const notOnCalendar = entries.filter(
    (entry) => /^\d{4}-\d{2}-\d{2}$/.test(entry) && !isCalendarDate(entry),
  );
  const quoted = (list: string[]) => list.map((entry) => `“${entry.slice(0, 40)}”`).join(', ');
  if (notDates.length > 0)
    problems.push(
      `${quoted(notDates)} ${notDates.length === 1 ? 'is not a date' : 'are not dates'}: write each day as YYYY-MM-DD, e.g. 2026-12-24`,
    );
  if (notOnCalendar.length > 0)
    problems.push(
      `${quoted(notOnCalendar)} ${notOnCalendar.length === 1 ? 'is not a day on the calendar' : 'are not days on the calendar'}`,
    );
  const dates = [...new Set(entries.filter(isCalendarDate))].sort();
  if (dates.length > maxClosedDays)
    problems.push(`at most ${maxClosedDays} closed days, and ${dates.length} were given`);
  return { dates, typed: entries, problems };
}

/** An amount typed in major units ("1,250.50") as minor units of `currency`, or what was typed. */
export function amountToMinor(typed: string, currency: string): number | string {
  const cleaned = typed.replace(/[,\s]/g, '');
  const decimals = currencyExponent(currency);
  const pattern = decimals === 0 ? /^\d+$/ : new RegExp(`^\\d+(\\.\\d{1,${decimals}})?$`);
  return pattern.test(cleaned) ? toMinorUnits(Number(cleaned), currency) : typed;
}

export function minorToAmount(amountMinor: number, currency: string): string {
  const decimals = currencyExponent(currency);
  return (amountMinor / 10 ** decimals).toFixed(decimals);
}

/** Each step keeps its key; a new one gets a key made from its name, unlike any other step's. */
function withKeys(steps: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  const taken = new Set(steps.map((step) => String(step['key'] ?? '')).filter(Boolean));
  return steps.map((step) => {
    if (step['key']) return step;
    const key = stepKeyFor(String(step['name'] ?? ''), taken);
    taken.add(key);
    return { ...step, key };
  });
}

export type StepOperation = { kind: 'add' } | { kind: 'remove' | 'up' | 'down'; index: number } | null;

export function stepOperation(body: FormBody): StepOperation {
  const op = text(body, 'op');
  if (op === 'add') return { kind: 'add' };
  const match = /^(remove|up|down):(\d{1,2})$/.exec(op);
  return match ? { kind: match[1] as 'remove' | 'up' | 'down', index: Number(match[2]) } : null;
}

function stepFromForm(body: FormBody, index: number): Record<string, unknown> {
  const at = (field: string) => `steps.${index}.${field}`;
  const action = text(body, at('action'));
  const tone = text(body, at('tone'));
  const typedKey = text(body, at('key'));
  // The name is free text; a key typed where a name belongs (an older page) is taken as the name.
  const name = text(body, at('name')) || (stepKeyPattern.test(typedKey) ? '' : typedKey);
  return {
    key: stepKeyPattern.test(typedKey) ? typedKey : '',
    ...(name === '' ? {} : { name }),
    offsetDays: whole(body, at('offsetDays')),
    action,
    // Emails use the tone's template (edited on the Templates page); tasks and flags send nothing.
    template: action === 'email' ? tone : 'none',
    tone,
    copyEscalationContacts: checked(body, at('copyEscalationContacts')),
    requiresApproval: checked(body, at('requiresApproval')),
    lateFeeNotice: checked(body, at('lateFeeNotice')),
    ...(action === 'email' ? reminderChoices(body, index) : {}),
    ...(action === 'task' ? { task: text(body, at('task')) } : {}),
    ...(action === 'flag' ? { flags: flagKinds.filter((kind) => checked(body, at(`flags.${kind}`))) } : {}),
  };
}

/** How an email step goes and whether the statement goes with it; the defaults (email, none) left out. */
function reminderChoices(body: FormBody, index: number): Record<string, unknown> {
  const via = text(body, `steps.${index}.via`) || 'email';
  return {
    ...(via === 'email' ? {} : { via }),
    ...(checked(body, `steps.${index}.attachStatement`) ? { attachStatement: true } : {}),
  };
}

/**
 * The policy the schedule form describes, on top of the one in force for what the form does not
 * show; not yet checked (the policy's schema does that and names each wrong field).
 */
export function scheduleFromForm(body: FormBody, current: Policy, currency: string): Record<string, unknown> {
  const count = Math.min(30, Math.max(0, Number(text(body, 'stepCount')) || 0));
  let steps = withKeys(Array.from({ length: count }, (_, index) => stepFromForm(body, index)));
  const operation = stepOperation(body);
  if (operation?.kind === 'add') {
    const last = steps.at(-1);
    steps = [
      ...steps,
      {
        key: stepKeyFor(`step ${steps.length + 1}`, new Set(steps.map((step) => String(step['key'])))),
        name: `Step ${steps.length + 1}`,
        offsetDays: typeof last?.['offsetDays'] === 'number' ? last['offsetDays'] + 7 : 7,
        action: 'email',
        template: 'firm',
        tone: 'firm',
        copyEscalationContacts: false,
        requiresApproval: false,
        lateFeeNotice: false,
      },
    ];
  } else if (operation && operation.index < steps.length) {
    const { index } = operation;
    if (operation.kind === 'remove') steps.splice(index, 1);
    const swapWith = operation.kind === 'up' ? index - 1 : operation.kind === 'down' ? index + 1 : -1;
    if (swapWith >= 0 && swapWith < steps.length) {
      const moved = steps[index] as Record<string, unknown>;
      steps[index] = steps[swapWith] as Record<string, unknown>;
      steps[swapWith] = moved;
    }
  }
  const closedDays = closedDaysFromText(text(body, 'closedDays'));
  const segmentAdjustments: Record<string, unknown> = {};
  for (const segment of adjustableSegments) {
    const at = (field: string) => `segmentAdjustments.${segment}.${field}`;
    const escalation = whole(body, at('escalationShiftDays'));
    const flag = whole(body, at('flagShiftDays'));
    const offer = optionalWhole(body, at('offerPlanAtDays'));
    if (escalation === 0 && flag === 0 && offer === null) continue;
    segmentAdjustments[segment] = {
      escalationShiftDays: escalation,
      flagShiftDays: flag,
      offerPlanAtDays: offer,
    };
  }
  return {
    ...current,
    steps,
    minDaysBetweenContacts: whole(body, 'minDaysBetweenContacts'),
    sendingWindow: {
      weekdays: [1, 2, 3, 4, 5, 6, 7].filter((day) => checked(body, `sendingWindow.weekdays.${day}`)),
      startHour: whole(body, 'sendingWindow.startHour'),
      endHour: whole(body, 'sendingWindow.endHour'),
    },
    minimumBalanceMinor: amountToMinor(text(body, 'minimumBalanceMinor'), currency),
    firstContactMaxTone: text(body, 'firstContactMaxTone'),
    promiseGraceDays: whole(body, 'promiseGraceDays'),
    closedDays: closedDays.problems.length > 0 ? closedDays.typed : closedDays.dates,
    finalNoticeGraceDays: whole(body, 'finalNoticeGraceDays'),
    segmentAdjustments,
  };
}

const weekdayNames = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function days(count: number): string {
  return `${count} day${count === 1 ? '' : 's'}`;
}

function when(step: Step): string {
  if (step.offsetDays < 0) return `${days(-step.offsetDays)} before the due date`;
  if (step.offsetDays === 0) return 'on the due date';
  return `${days(step.offsetDays)} after it`;
}

/** "on weekdays", "any day", "on Monday, Wednesday". */
export function weekdayList(weekdays: number[]): string {
  const sorted = [...new Set(weekdays)].sort();
  if (sorted.join() === '1,2,3,4,5') return 'on weekdays';
  if (sorted.length === 7) return 'any day';
  return `on ${sorted.map((day) => weekdayNames[day - 1]).join(', ')}`;
}

/** The schedule in plain words, as the business would explain it to a colleague. */
export function scheduleSummary(policy: Policy, timeZone: string): string[] {
  const window = policy.sendingWindow;
  const lines = [
    `Customers hear from you at most once every ${days(policy.minDaysBetweenContacts)}, whatever they owe.`,
    `Emails go out ${weekdayList(window.weekdays)} between ${window.startHour}:00 and ${window.endHour}:00 in the customer’s time zone (else ${timeZone}).`,
  ];
  for (const step of [...policy.steps].sort((a, b) => a.offsetDays - b.offsetDays)) {
    const what =
      step.action === 'email'
        ? `${reminderWords(step)}${step.copyEscalationContacts ? ', copying escalation contacts' : ''}${step.lateFeeNotice ? ', mentioning late fees' : ''}${step.attachStatement ? ', with the statement of account' : ''}`
        : step.action === 'call'
          ? `a call for you to make (a ${step.tone} one), with a script and a form for how it went`
          : step.action === 'letter'
            ? `a ${step.tone} letter for you to print and post`
            : step.action === 'task'
              ? `a task for you: “${step.task ?? ''}”`
              : `a suggestion for you to consider: ${flagKindsText(step.flags ?? [])}`;
    lines.push(
      `${when(step)[0]?.toUpperCase()}${when(step).slice(1)}: ${what}${step.requiresApproval && step.action !== 'flag' ? ' (after you approve it)' : ''}.`,
    );
  }
  const closed = policy.closedDays.length;
  lines.push(
    `No reminder goes out on the public holidays of the customer’s country (else yours)${closed > 0 ? `, nor on the ${closed === 1 ? 'day' : `${closed} days`} you are closed` : ''}.`,
  );
  lines.push(
    `After the final notice, Dunwell waits ${days(policy.finalNoticeGraceDays)} before suggesting an agency, a settlement or a write-off.`,
  );
  lines.push(
    `The first message of a customer’s journey is never harsher than a ${labelOf(toneLabels, policy.firstContactMaxTone)}.`,
  );
  if (policy.minimumBalanceMinor > 0) lines.push('Small balances below the minimum are left alone.');
  return lines;
}

export const segmentDescriptions: Record<Exclude<Segment, 'new'>, string> = {
  reliable: 'Reliable: pays on time',
  forgetful: 'Forgetful: pays soon after a reminder',
  strained: 'Strained: partial payments, plans, broken promises',
  chronic: 'Chronic: late on most invoices',
  unresponsive: 'Unresponsive: no answer to several contacts',
  disputing: 'Disputing: has raised disputes',
};

export { tones };

/** "a firm email", "a firm text (an email to …)", "a firm email and text at once". */
function reminderWords(step: Policy['steps'][number]): string {
  if (step.via === 'text')
    return `a ${step.tone} text (an email to customers with no mobile number you have their consent to text)`;
  if (step.via === 'both')
    return `a ${step.tone} email and text at once (the text only to a number with consent)`;
  return `a ${step.tone} email`;
}
