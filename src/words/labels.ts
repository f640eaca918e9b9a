import { disputeReasons } from '../arrangements/disputes.js';

/*
 * People's words for the product's internal keys: the one map the settings pages use, so a page
 * never shows `agency_referral`, `firm-fees` or `awaiting_approval` to the person reading it.
 *
 * Keys come from the engine, the database and the log. Each kind of key has its own map here, and
 * `plainWords` rewrites free text that may carry a key (the planner's reasons, log summaries).
 */

/** The suggestions a flag makes, and what a person may choose. */
export const flagKindLabels: Record<string, string> = {
  agency_referral: 'agency referral',
  settlement_offer: 'settlement offer',
  write_off: 'write-off',
  keep_chasing: 'keep chasing',
};

/** What a person may choose for a flag, as the button or option says it. */
export const flagChoiceLabels: Record<string, string> = {
  keep_chasing: 'Keep chasing',
  settlement_offer: 'Offer a settlement',
  agency_referral: 'Refer to an agency',
  write_off: 'Write off',
};

/** A dispute's reason as the customer chose it on their page. */
export function disputeReasonLabel(reason: string): string {
  return (disputeReasons as Record<string, string>)[reason] ?? reason.replaceAll('_', ' ');
}

/** The default schedule's steps (a step's key), as the ladder's rungs are called. */
export const stepKeyLabels: Record<string, string> = {
  'heads-up': 'friendly heads-up',
  reminder: 'reminder',
  firm: 'firm reminder',
  'firm-fees': 'firm reminder with late fees',
  demand: 'formal demand',
  final: 'final notice',
  agency: 'agency referral',
  'settle-or-write-off': 'settlement offer or write-off',
  'plan-offer': 'payment-plan offer',
};

/** A message's tone, as the rung of that tone is called. */
export const toneLabels: Record<string, string> = {
  friendly: 'friendly reminder',
  neutral: 'reminder',
  firm: 'firm reminder',
  formal: 'formal demand',
  final: 'final notice',
};

/** What holds or stops contact with a customer (the engine's guard kinds). */
export const guardLabels: Record<string, string> = {
  excluded: 'excluded by you',
  do_not_contact: 'do not contact',
  reply_unread: 'a reply to read',
  dispute: 'dispute open',
  settlement: 'settlement offer open',
  promise: 'promise to pay',
  payment_plan: 'payment plan',
  below_minimum: 'below the minimum worth chasing',
  contact_cap: 'contact limit',
  opted_out: 'opted out of emails',
  sending_window: 'outside sending hours',
  handed_over: 'handed over',
};

/** Why an invoice is out of the schedule after a person's decision. */
export const invoiceHoldLabels: Record<string, string> = {
  agency_referral: 'with a collection agency',
  write_off: 'written off',
};

/** An invoice's state in the books. */
export const invoiceStatusLabels: Record<string, string> = {
  open: 'Open',
  paid: 'Paid',
  voided: 'Voided in your books',
  deleted: 'Deleted in your books',
};

/** A message's state. */
export const messageStatusLabels: Record<string, string> = {
  awaiting_approval: 'waiting for your approval',
  pending: 'queued',
  queued: 'queued',
  sending: 'sending',
  sent: 'sent',
  uncertain: 'may or may not have gone',
  failed: 'could not be sent',
  cancelled: 'not sent',
};

/** A write-back's state and kind. */
export const writeBackStatusLabels: Record<string, string> = {
  pending: 'waiting',
  in_progress: 'in progress',
  done: 'done',
  failed: 'failed',
};
export const writeBackKindLabels: Record<string, string> = {
  note: 'note',
  due_date: 'due date',
  credit: 'credit',
};

/** A flag's and a task's state. */
export const flagStatusLabels: Record<string, string> = {
  pending: 'waiting for your decision',
  approved: 'approved',
  rejected: 'declined',
  withdrawn: 'withdrawn: superseded',
};
export const taskStatusLabels: Record<string, string> = {
  open: 'open',
  done: 'done',
  dismissed: 'dismissed',
};

/** Arrangements' states (promises, plans, disputes, settlements). */
export const arrangementStatusLabels: Record<string, string> = {
  awaiting_approval: 'waiting for your approval',
  active: 'active',
  completed: 'completed',
  broken: 'broken',
  rejected: 'declined',
  open: 'open',
  kept: 'kept',
  resolved: 'resolved',
  offered: 'offered',
  accepted: 'accepted',
  paid: 'paid',
  expired: 'expired',
};

/** Every other underscored key the pages may meet, by its words. */
const otherKeyLabels: Record<string, string> = {
  needs_reauth: 'needs signing in again',
  not_received: 'not received',
};

/** A key as words: from `labels`, else the key with its underscores and hyphens as spaces. */
export function labelOf(labels: Record<string, string>, key: string | null | undefined): string {
  if (key === null || key === undefined) return '';
  return labels[key] ?? key.replaceAll('_', ' ');
}

/** Flag kinds as one phrase: "settlement offer or write-off". */
export function flagKindsText(kinds: readonly string[], joiner = ' or '): string {
  return kinds.map((kind) => labelOf(flagKindLabels, kind)).join(joiner);
}

/** A step by its key: the default steps by their rung's name, others by their key in words. */
export function stepLabel(key: string): string {
  return stepKeyLabels[key] ?? key.replaceAll('_', ' ').replaceAll('-', ' ');
}

/** A step as the business calls it: the name it gave, else the default step's name, else its key in words. */
export function stepName(step: { key: string; name?: string | undefined }): string {
  return step.name ?? stepLabel(step.key);
}

const underscoreKeys: Record<string, string> = {
  ...otherKeyLabels,
  ...guardLabels,
  ...writeBackStatusLabels,
  ...writeBackKindLabels,
  ...messageStatusLabels,
  ...flagKindLabels,
};
/** A key made of words joined by underscores: `agency_referral`, `awaiting_approval`. */
const underscoreKey = /\b[a-z]+(?:_[a-z]+)+\b/g;
/** A step's key in quotes, as the planner names a rung: `"firm-fees"`. */
const quotedStepKey = /["“]([a-z][a-z0-9]*(?:-[a-z0-9]+)*)["”]/g;
/** The default steps' hyphenated keys that are not English words of their own. */
const bareStepKey = /\b(?:firm-fees|settle-or-write-off)\b/g;

/** How dates in free text are written: the organisation's language and time zone. */
export interface WordsOptions {
  /** e.g. "en-GB" (src/domain/locale.ts); default "en-GB". */
  locale?: string;
  /** Where a moment ("2026-12-01 10:00 UTC") is shown; default UTC, said as such. */
  timeZone?: string;
}

/** A moment written by the engine: "2026-12-01 10:00 UTC", "2026-12-01T10:00:00.000Z". */
const isoMoment = /\b(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(?: UTC|Z)/g;
/** A calendar day written by the engine: "2026-12-09". */
const isoDay = /\b(\d{4})-(\d{2})-(\d{2})\b/g;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${withTime}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(locale, {
      timeZone,
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      ...(withTime ? { hour: 'numeric', minute: '2-digit' } : {}),
    });
    if (formatters.size > 64) formatters.clear();
    formatters.set(key, found);
  }
  return found;
}

/** A day (YYYY-MM-DD) as the organisation writes it: "9 Dec 2026". */
export function dayInWords(isoDate: string, locale = 'en-GB'): string {
  const at = new Date(`${isoDate.slice(0, 10)}T12:00:00Z`);
  return Number.isNaN(at.getTime()) ? isoDate : formatter(locale, 'UTC', false).format(at);
}

/** The ISO dates and moments in free text as the organisation writes them. */
function datesInWords(text: string, options: WordsOptions): string {
  const locale = options.locale ?? 'en-GB';
  const zone = options.timeZone ?? 'UTC';
  return text
    .replace(isoMoment, (whole, day: string, time: string) => {
      const at = new Date(`${day}T${time}:00Z`);
      if (Number.isNaN(at.getTime())) return whole;
      const shown = formatter(locale, zone, true).format(at);
      return options.timeZone ? shown : `${shown} UTC`;
    })
    .replace(isoDay, (whole) => {
      const shown = dayInWords(whole, locale);
      return shown === whole ? whole : shown;
    });
}

/**
 * Free text (a reason, a log summary) with every internal key in it written in words, the engine's
 * ISO dates in the organisation's format, and "1 days" (stored before the plural was right) as
 * "1 day": a step named
 * in quotes by its rung ("firm-fees" → firm reminder with late fees), underscored keys by their
 * label (agency_referral → agency referral). Other quoted text is left as it is.
 */
export function plainWords(text: string, options?: WordsOptions): string;
export function plainWords(text: string | null, options?: WordsOptions): string | null;
export function plainWords(text: string | null, options: WordsOptions = {}): string | null {
  if (text === null) return null;
  return datesInWords(text, options)
    .replace(/\b1 (day|invoice|week|month|installment|contact|reminder)s\b/g, '1 $1')
    .replace(quotedStepKey, (whole, key: string) => stepKeyLabels[key] ?? whole)
    .replace(bareStepKey, (key) => stepKeyLabels[key] ?? key)
    .replace(/[^\s,;()"“”]+/g, (word) =>
      // An address or a link keeps its underscores: ap_team@example.com stays as it is.
      word.includes('@') || word.includes('/')
        ? word
        : word.replace(underscoreKey, (key) => underscoreKeys[key] ?? key.replaceAll('_', ' ')),
    );
}

/**
 * What the pages must never show as text: an underscored key, or one of the default steps' keys
 * (quoted, as the planner names a rung, or hyphenated ones that are no English words).
 */
export const internalKeyPattern =
  /\b[a-z]+(?:_[a-z]+)+\b|\bfirm-fees\b|\bsettle-or-write-off\b|["“](?:heads-up|firm|demand|final|agency|reminder|plan-offer)["”]/;
