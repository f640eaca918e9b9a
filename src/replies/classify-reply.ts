import {
  absence,
  absenceNotice,
  absenceOfOthers,
  autoReplySubject,
  bareUnsubscribe,
  bounceSubject,
  type ContentClass,
  type Cue,
  cues,
  leftTheCompany,
  negation,
  replyPrefix,
} from './reply-cues.js';
import { type DateMention, findDates, type Today, todayOf } from './reply-dates.js';
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

interface Hit {
  start: number;
  end: number;
  weight: number;
}

export function classifyReply(input: ReplyInput): ReplyVerdict {
  const subject = fold(input.subject ?? '');
  const bareSubject = subject.replace(replyPrefix, '');
  if (bounceSubject.test(bareSubject)) {
    return { class: 'other', confidence: 0.9, why: `a delivery failure notice ("${input.subject.trim()}")` };
  }
  const own = ownWords(input.text ?? '');
  const autoSubject = autoReplySubject.test(bareSubject);
  // A subject the debtor wrote (not "Re: …" of the reminder) is part of what they say.
  const freshSubject = !autoSubject && !replyPrefix.test(subject) && input.subject.trim() !== '';
  const content = freshSubject ? `${input.subject.trim()}\n${own}` : own;
  const folded = fold(content);
  const quote = (hit: Hit) => `"${content.slice(hit.start, hit.end).replace(/\s+/g, ' ').trim()}"`;

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
      why: `unsubscribe: the reply is ${quote({ start: 0, end: content.length, weight: 1 })}`,
    };
  }
  if (scores.unsubscribe >= threshold) {
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
  const automatic =
    /\b(?:automatic|automated|auto-?generated|automatique|automatische|automatica|automatisch)\b/.test(
      folded,
    );
  if (!left && (autoSubject || automatic || (notice && (selfAway || othersAway)))) {
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

function firstMatch(pattern: RegExp, folded: string): Hit | null {
  pattern.lastIndex = 0;
  const match = pattern.exec(folded);
  pattern.lastIndex = 0;
  return match ? { start: match.index, end: match.index + match[0].length, weight: 1 } : null;
}

const clauseBoundary =
  /[!?;\n]|(?<!\d)\.|\.(?!\d)|,\s|\s(?:but|however|aber|mais|pero|maar|though|although)\s|\s[-–—]\s/g;

/** Where the clause holding `index` starts. */
function clauseStart(folded: string, index: number): number {
  let start = 0;
  clauseBoundary.lastIndex = 0;
  for (
    let match = clauseBoundary.exec(folded);
    match && match.index < index;
    match = clauseBoundary.exec(folded)
  ) {
    start = match.index + match[0].length;
  }
  return Math.min(start, index);
}

/** The character that ends the clause holding `index` ("?" for a question). */
function clauseEnd(folded: string, index: number): string {
  const rest = folded.slice(index).search(/[!?;\n]|\.(?!\d)|,\s/);
  return rest < 0 ? '' : (folded[index + rest] ?? '');
}

function findHits(folded: string, list: Cue[]): Hit[] {
  const found: Hit[] = [];
  for (const cue of list) {
    cue.pattern.lastIndex = 0;
    for (let match = cue.pattern.exec(folded); match; match = cue.pattern.exec(folded)) {
      if (match[0].length === 0) {
        cue.pattern.lastIndex++;
        continue;
      }
      const start = match.index;
      const end = start + match[0].length;
      const clause = folded.slice(clauseStart(folded, start), end);
      if (cue.negatable && negation.test(clause)) continue;
      if (cue.unless?.test(clause)) continue;
      if (cue.unlessAfter?.test(folded.slice(end))) continue;
      if (cue.statement && clauseEnd(folded, start) === '?') continue;
      found.push({ start, end, weight: cue.weight });
    }
  }
  return found;
}

function sentenceOf(folded: string, index: number): [number, number] {
  const before = folded.slice(0, index);
  const starts = [...before.matchAll(/[!?\n]|(?<!\d)\.(?=\s|$)/g)];
  const last = starts.at(-1);
  const start = last ? last.index + last[0].length : 0;
  const after = folded.slice(index).search(/[!?\n]|(?<!\d)\.(?=\s|$)/);
  return [start, after < 0 ? folded.length : index + after];
}

/** The date a promise names: the most precise one in a sentence that promises, nearest the promise. */
function promiseDate(folded: string, promises: Hit[], today: Today): string | null {
  const mentions = findDates(folded, today).filter((mention) => mention.date >= today.date);
  let best: { mention: DateMention; distance: number } | null = null;
  for (const hit of promises) {
    const [start, end] = sentenceOf(folded, hit.start);
    for (const mention of mentions) {
      if (mention.start < start || mention.start > end) continue;
      const distance = mention.start >= hit.start ? mention.start - hit.end : (hit.start - mention.end) * 2;
      if (
        !best ||
        mention.precision > best.mention.precision ||
        (mention.precision === best.mention.precision && distance < best.distance)
      ) {
        best = { mention, distance };
      }
    }
  }
  if (best) return best.mention.date;
  const precise = mentions.filter((mention) => mention.precision >= 2);
  return precise.length === 1 ? (precise[0]?.date ?? null) : null;
}

const returnCue =
  /(?:\bback|\breturn\w*|\breopen\w*|\bre-open\w*|\bzuruck|\bzurueck|\bretour|\brentre\w*|\bregres\w*|\bvolver\w*|\bvuelta|\bterug\w*)\W+(?:\w+\W+){0,4}$/;
const returnCueAfter = /^\W*(?:\w+\W+){0,2}?(?:wieder|weer)\b/;
const untilCue =
  /(?:\buntil|\btill|\btil|\bthrough|\bto|\bbis|\bjusqu'(?:au|a)|\bhasta|\btot(?:\s+en\s+met)?|\bt\/m|\bthru|\beinschliesslich|\beinschließlich|\bzum|\bdem)\W+(?:\w+\W+){0,3}$/;

/** The date an absence notice says its writer is back: one after "back", "wieder", "de retour" first, then "until". */
function returnDate(folded: string, today: Today): string | null {
  const mentions = findDates(folded, today).filter(
    (mention) =>
      mention.date > today.date &&
      !(
        mention.precision === 1 && /week|semaine|woche|semana/.test(folded.slice(mention.start, mention.end))
      ),
  );
  let best: { date: string; score: number } | null = null;
  for (const mention of mentions) {
    const before = folded.slice(Math.max(0, mention.start - 40), mention.start);
    const after = folded.slice(mention.end, mention.end + 25);
    const score = returnCue.test(before) || returnCueAfter.test(after) ? 3 : untilCue.test(before) ? 2 : 1;
    if (!best || score > best.score || (score === best.score && score === 2 && mention.date > best.date)) {
      best = { date: mention.date, score };
    }
  }
  if (!best) return null;
  return best.score > 1 || mentions.length === 1 ? best.date : null;
}
