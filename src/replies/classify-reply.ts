import { promiseDate, returnDate } from './classify-dates.js';
import { findHits, firstMatch, type Hit } from './classify-hits.js';
import {
  absence,
  absenceNotice,
  absenceOfOthers,
  automaticMessage,
  autoReplySubject,
  bareUnsubscribe,
  bounceSubject,
  type ContentClass,
  cues,
  leftTheCompany,
  replyPrefix,
  unreadMailbox,
} from './reply-cues.js';
import { todayOf } from './reply-dates.js';
import { dropSignOff, normalise } from './reply-normalise.js';
import { fold, ownWords } from './reply-text.js';

/**
 * The local reply classifier (issue #20): what a debtor's reply to a reminder says, read by
 * explainable rules on this machine (no debtor's words leave it). Precedence, when a reply says
 * several things:
 *
 *   unsubscribe > out_of_office > dispute > paid_already > plan_request > promise > other
 *
 * An opt-out is honoured whatever else the reply says; an auto-reply (its subject, or the wording of
 * an absence notice) is not a person speaking, whatever words it holds; a dispute outweighs a claim
 * to have paid ("we paid half, the rest is disputed"), which outweighs a request for a plan, which
 * outweighs a promise. A body that only says someone is away counts as out of office only when
 * nothing else in it decides. A reply no rule is sure of (no class reaching 0.5) is `other`, for a
 * person to read.
 */
export type ReplyClass =
  | 'paid_already'
  | 'promise'
  | 'dispute'
  | 'plan_request'
  | 'out_of_office'
  | 'unsubscribe'
  | 'other';

export const replyClasses: readonly ReplyClass[] = [
  'paid_already',
  'promise',
  'dispute',
  'plan_request',
  'out_of_office',
  'unsubscribe',
  'other',
];

export interface ReplyInput {
  subject: string;
  /** The body as text (an HTML-only body may be given as it is). */
  text: string;
  receivedAt: Date | string;
  /** The organisation's zone, for "tomorrow" and "Friday" (UTC when not given). */
  timeZone?: string;
}

export interface ReplyVerdict {
  class: ReplyClass;
  /** 0.5–1: how sure the deciding rules are. */
  confidence: number;
  /** A promise's date, YYYY-MM-DD, or null when it gives none. Only on promises. */
  promisedDate?: string | null;
  /** When an out-of-office notice says its writer is back, or null. Only on out of office. */
  returnsOn?: string | null;
  /** The phrase that decided, in the reply's own words. */
  why: string;
}

const contentPrecedence: ContentClass[] = ['dispute', 'paid_already', 'plan_request', 'promise'];
const threshold = 0.5;

export function classifyReply(input: ReplyInput): ReplyVerdict {
  const subject = fold(input.subject ?? '');
  const bareSubject = subject.replace(replyPrefix, '');
  if (bounceSubject.test(bareSubject)) {
    return { class: 'other', confidence: 0.9, why: `a delivery failure notice ("${input.subject.trim()}")` };
  }
  const own = dropSignOff(ownWords(input.text ?? ''));
  const autoSubject = autoReplySubject.test(bareSubject);
  // A subject the debtor wrote (not "Re: …" of the reminder) is part of what they say.
  const freshSubject = !autoSubject && !replyPrefix.test(subject) && input.subject.trim() !== '';
  const content = freshSubject ? `${input.subject.trim()}\n${own}` : own;
  const { text: folded, from, to } = normalise(fold(content));
  const quote = (hit: Hit) => {
    const start = from[hit.start] ?? 0;
    const end = hit.end > hit.start ? (to[hit.end - 1] ?? start) : start;
    return `"${content.slice(start, end).replace(/\s+/g, ' ').trim()}"`;
  };

  const hits = {} as Record<ContentClass, Hit[]>;
  const scores = {} as Record<ContentClass, number>;
  for (const name of Object.keys(cues) as ContentClass[]) {
    hits[name] = findHits(folded, cues[name]);
    scores[name] = 1 - hits[name].reduce((rest, hit) => rest * (1 - hit.weight), 1);
  }
  const strongest = (name: ContentClass) =>
    hits[name].reduce((best, hit) => (hit.weight > best.weight ? hit : best));

  if (bareUnsubscribe.test(folded)) {
    return {
      class: 'unsubscribe',
      confidence: 0.95,
      why: `unsubscribe: the reply is ${quote({ start: 0, end: folded.length, weight: 1 })}`,
    };
  }
  // "Stop sending these" beside a dispute asks for the chasing to stop while it is disputed.
  const firmOptOut = hits.unsubscribe.some((hit) => !hit.soft);
  if (scores.unsubscribe >= threshold && (firmOptOut || scores.dispute < threshold)) {
    return {
      class: 'unsubscribe',
      confidence: round(scores.unsubscribe),
      why: `unsubscribe: ${quote(strongest('unsubscribe'))}${alsoSaid(scores, hits, 'unsubscribe', quote)}`,
    };
  }

  const today = todayOf(new Date(input.receivedAt), input.timeZone ?? 'UTC');
  const left = firstMatch(leftTheCompany, folded);
  const selfAway = firstMatch(absence, folded);
  const othersAway = firstMatch(absenceOfOthers, folded);
  const notice = firstMatch(absenceNotice, folded);
  const automatic = automaticMessage.test(folded);
  const unread = firstMatch(unreadMailbox, folded);
  if (unread && !selfAway && !othersAway) {
    return { class: 'other', confidence: 0.9, why: `the address is not read: ${quote(unread)}` };
  }
  // A person who says they are away and also what they will do about the invoice is speaking for
  // themselves: what they say decides, not the absence.
  const speaks = contentPrecedence.some((name) => scores[name] >= threshold);
  if (!left && (autoSubject || automatic || (notice && (selfAway || othersAway) && !speaks))) {
    const reason = autoSubject
      ? `the subject "${input.subject.trim()}"`
      : quote(selfAway ?? othersAway ?? notice ?? { start: 0, end: 0, weight: 1 });
    return {
      class: 'out_of_office',
      confidence: autoSubject || automatic ? 0.95 : 0.85,
      returnsOn: returnDate(folded, today),
      why: `out of office: ${reason}`,
    };
  }
  if (left) {
    return { class: 'other', confidence: 0.9, why: `the contact has left: ${quote(left)}` };
  }

  for (const name of contentPrecedence) {
    if (scores[name] < threshold) continue;
    const verdict: ReplyVerdict = {
      class: name,
      confidence: round(scores[name]),
      why: `${name.replace('_', ' ')}: ${quote(strongest(name))}${alsoSaid(scores, hits, name, quote)}`,
    };
    if (name === 'promise') verdict.promisedDate = promiseDate(folded, hits.promise, today);
    return verdict;
  }
  if (selfAway) {
    return {
      class: 'out_of_office',
      confidence: 0.7,
      returnsOn: returnDate(folded, today),
      why: `out of office: ${quote(selfAway)}`,
    };
  }
  const best = Math.max(...Object.values(scores));
  const weak = (Object.keys(scores) as ContentClass[]).find((name) => scores[name] === best && best > 0);
  return {
    class: 'other',
    confidence: round(Math.max(0.5, 1 - best)),
    why: weak
      ? `unsure: only ${quote(strongest(weak))} (${weak.replace('_', ' ')}, too weak alone)`
      : 'no rule matched',
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** The other things a mixed reply said, which the precedence put second. */
function alsoSaid(
  scores: Record<ContentClass, number>,
  hits: Record<ContentClass, Hit[]>,
  chosen: ContentClass,
  quote: (hit: Hit) => string,
): string {
  const others = (Object.keys(scores) as ContentClass[]).filter(
    (name) => name !== chosen && scores[name] >= threshold,
  );
  if (!others.length) return '';
  return ` (over ${others
    .map((name) => `${name.replace('_', ' ')} ${quote(hits[name][0] ?? { start: 0, end: 0, weight: 0 })}`)
    .join(', ')})`;
}
