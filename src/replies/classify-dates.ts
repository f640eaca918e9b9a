import type { Hit } from './classify-hits.js';
import { type DateMention, findDates, type Today } from './reply-dates.js';

function sentenceOf(folded: string, index: number): [number, number] {
  const before = folded.slice(0, index);
  const starts = [...before.matchAll(/[!?\n]|(?<!\d)\.(?=\s|$)/g)];
  const last = starts.at(-1);
  const start = last ? last.index + last[0].length : 0;
  const after = folded.slice(index).search(/[!?\n]|(?<!\d)\.(?=\s|$)/);
  return [start, after < 0 ? folded.length : index + after];
}

/** The date a promise names: the most precise one in a sentence that promises, nearest the promise. */
export function promiseDate(folded: string, promises: Hit[], today: Today): string | null {
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
export function returnDate(folded: string, today: Today): string | null {
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
