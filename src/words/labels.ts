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

/** A step by its key: the default steps by their rung's name, the organisation's own by the name it gave. */
export function stepLabel(key: string): string {
  return stepKeyLabels[key] ?? key.replaceAll('_', ' ');
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

/**
 * Free text (a reason, a log summary) with every internal key in it written in words: a step named
 * in quotes by its rung ("firm-fees" → firm reminder with late fees), underscored keys by their
 * label (agency_referral → agency referral). Other quoted text is left as it is.
 */
export function plainWords(text: string): string;
export function plainWords(text: string | null): string | null;
export function plainWords(text: string | null): string | null {
  if (text === null) return null;
  return text
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
