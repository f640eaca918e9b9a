import { addDays, addMonths, isIsoDate, localMoment } from '../domain/local-time.js';

/**
 * Dates written in a reply, read against the day it arrived in the organisation's zone. Conventions:
 * a weekday is the next one after that day ("Friday" on a Friday is a week later); "next week" is
 * that week's Friday, "early next week" its Tuesday; "the end of the month" is its last day; "the
 * 15th" is the next 15th; a day and month without a year is this year's, or next year's when it
 * fell more than two weeks ago; 05/12 is 5 December except in the United States' zones (May 12).
 * Vague times ("soon", "in a few days", "next month") give no date.
 */
export interface DateMention {
  start: number;
  end: number;
  date: string;
  /** 3: a day and month; 2: a weekday, a day of the month, today, tomorrow; 1: a week or a month. */
  precision: 1 | 2 | 3;
}

export interface Today {
  date: string;
  /** 1 = Monday … 7 = Sunday. */
  weekday: number;
  monthFirst: boolean;
}

const usZone =
  /^(?:America\/(?:New_York|Chicago|Denver|Los_Angeles|Phoenix|Anchorage|Detroit|Boise|Juneau|Sitka|Yakutat|Nome|Adak|Metlakatla|Menominee|Indiana\/\w+|Kentucky\/\w+|North_Dakota\/\w+)|Pacific\/Honolulu|US\/\w+)$/;

export function todayOf(receivedAt: Date, timeZone: string): Today {
  const moment = localMoment(receivedAt, timeZone);
  return { date: moment.date, weekday: moment.weekday, monthFirst: usZone.test(timeZone) };
}

const monthNames: Array<[number, string]> = [
  [1, 'january|janvier|januar|janner|enero|januari|jan|janv|ene'],
  [2, 'february|fevrier|februar|febrero|februari|feb|fev|fevr'],
  [3, 'march|mars|marz|maerz|marzo|maart|mar|mrt'],
  [4, 'april|avril|abril|apr|avr|abr'],
  [5, 'may|mai|mayo|mei'],
  [6, 'june|juin|juni|junio|jun'],
  [7, 'july|juillet|juli|julio|jul|juil'],
  [8, 'august|aout|agosto|augustus|aug|ago'],
  [9, 'september|septembre|septiembre|setiembre|sep|sept'],
  [10, 'october|octobre|oktober|octubre|oct|okt'],
  [11, 'november|novembre|noviembre|nov'],
  [12, 'december|decembre|dezember|diciembre|dec|dez|dic'],
];
const monthOf = new Map<string, number>();
for (const [number, names] of monthNames) for (const name of names.split('|')) monthOf.set(name, number);
const month = `(${[...monthOf.keys()].sort((a, b) => b.length - a.length).join('|')})\\.?`;

const weekdayNames: Array<[number, string]> = [
  [1, 'monday|lundi|montag|lunes|maandag'],
  [2, 'tuesday|mardi|dienstag|martes|dinsdag'],
  [3, 'wednesday|mercredi|mittwoch|miercoles|woensdag'],
  [4, 'thursday|jeudi|donnerstag|jueves|donderdag'],
  [5, 'friday|vendredi|freitag|viernes|vrijdag'],
  [6, 'saturday|samedi|samstag|sonnabend|sabado|zaterdag'],
  [7, 'sunday|dimanche|sonntag|domingo|zondag'],
];
const weekdayOf = new Map<string, number>();
for (const [number, names] of weekdayNames) for (const name of names.split('|')) weekdayOf.set(name, number);
const weekday = `(${[...weekdayOf.keys()].join('|')})`;

const numberWords: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  ten: 10,
  fourteen: 14,
  un: 1,
  une: 1,
  deux: 2,
  trois: 3,
  ein: 1,
  einer: 1,
  zwei: 2,
  drei: 3,
  uno: 1,
  una: 1,
  dos: 2,
  tres: 3,
  een: 1,
  twee: 2,
  drie: 3,
};

const ordinal = '(?:st|nd|rd|th|er|e|eme|de|ste|º|°)?';
const yearPart = '(?:,?\\s+(\\d{4}))?';
type Reader = (match: RegExpExecArray, today: Today) => { date: string | null; precision: 1 | 2 | 3 } | null;

function dayMonth(day: number, monthNumber: number, year: number | null, today: Today): string | null {
  const thisYear = Number(today.date.slice(0, 4));
  const iso = (y: number) => `${y}-${String(monthNumber).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  if (year !== null) {
    const full = year < 100 ? 2000 + year : year;
    return isIsoDate(iso(full)) ? iso(full) : null;
  }
  const candidate = iso(thisYear);
  if (!isIsoDate(candidate) && !isIsoDate(iso(thisYear + 1))) return null;
  if (isIsoDate(candidate) && candidate >= addDays(today.date, -14)) return candidate;
  return isIsoDate(iso(thisYear + 1)) ? iso(thisYear + 1) : null;
}

function nextWeekday(target: number, today: Today): string {
  const ahead = (target - today.weekday + 7) % 7 || 7;
  return addDays(today.date, ahead);
}

function fridayOf(weeksAhead: number, today: Today): string {
  const monday = addDays(today.date, 1 - today.weekday + 7 * weeksAhead);
  return addDays(monday, 4);
}

function endOfMonth(monthsAhead: number, today: Today): string {
  const first = `${addMonths(`${today.date.slice(0, 8)}01`, monthsAhead).slice(0, 8)}01`;
  return addDays(addMonths(first, 1), -1);
}

function nextDayOfMonth(day: number, today: Today): string | null {
  if (day < 1 || day > 31) return null;
  for (let months = 0; months < 3; months++) {
    const candidate = `${addMonths(`${today.date.slice(0, 8)}01`, months).slice(0, 8)}${String(day).padStart(2, '0')}`;
    if (isIsoDate(candidate) && candidate >= today.date) return candidate;
  }
  return null;
}

const readers: Array<[RegExp, Reader]> = [
  // 2026-12-15
  [
    /\b(20\d\d)-(\d\d)-(\d\d)\b/g,
    (m) => {
      const iso = `${m[1]}-${m[2]}-${m[3]}`;
      return isIsoDate(iso) ? { date: iso, precision: 3 } : null;
    },
  ],
  // 15 December (2026), 15th of December, 15. Dezember, 15 de diciembre, 1er décembre
  [
    new RegExp(
      `\\b(\\d{1,2})${ordinal}\\.?\\s+(?:of\\s+|de\\s+)?${month}(?![a-z])(?:,?\\s+(?:de\\s+)?(\\d{4}))?`,
      'g',
    ),
    (m, today) => {
      const date = dayMonth(Number(m[1]), monthOf.get(m[2] ?? '') ?? 0, m[3] ? Number(m[3]) : null, today);
      return date ? { date, precision: 3 } : null;
    },
  ],
  // December 15(th)(, 2026)
  [
    new RegExp(`\\b${month}\\s+(\\d{1,2})${ordinal}(?![\\d:])\\b${yearPart}`, 'g'),
    (m, today) => {
      const date = dayMonth(Number(m[2]), monthOf.get(m[1] ?? '') ?? 0, m[3] ? Number(m[3]) : null, today);
      return date ? { date, precision: 3 } : null;
    },
  ],
  // 15/12, 15/12/2026, 15.12., 15.12.2026, 15-12 (US zones: month first)
  [
    /(?<![\d/.,£$€-])(\d{1,2})([/.-])(\d{1,2})(?:\2(\d{4}|\d{2}))?(\.?)(?![\d/-]|\.\d|,\d)/g,
    (m, today) => {
      const [first, separator, second, year, trailingDot] = [Number(m[1]), m[2], Number(m[3]), m[4], m[5]];
      const short = (m[1] ?? '').length === 1 || (m[3] ?? '').length === 1;
      // "2-3 days", "3.5 hours": a dash or a dot needs two digits each, a year, or the German trailing dot.
      if (separator !== '/' && short && !year && !trailingDot) return null;
      let day = first;
      let monthNumber = second;
      if ((today.monthFirst && first <= 12 && separator === '/') || second > 12) {
        day = second;
        monthNumber = first;
      }
      if (monthNumber < 1 || monthNumber > 12) return null;
      const date = dayMonth(day, monthNumber, year ? Number(year) : null, today);
      return date ? { date, precision: 3 } : null;
    },
  ],
  // the 15th, on the 4th, le 15, am 15., el 15, op de 15e
  [
    /\b(?:on|by|before|for|from|the|le|am|el|op|den|de|tot|until|bis|hasta|jusqu'au)\s+(?:the\s+|de\s+)?(\d{1,2})(st|nd|rd|th|er|e|eme|\.)?(?!\d|[/.,:]\d|\s*(?:[a-z]+\s+)?(?:days?|weeks?|months?|hours?|units?|items?|invoices?|payments?|percent|%|€|£|\$|jours?|tage?n?|dias?|dagen|uur|stunden|heures|horas)\b)/g,
    (m, today) => {
      if (!m[2] && !/^(?:on|by|before|le|am|el|op|den)\b/.test(m[0])) return null;
      const date = nextDayOfMonth(Number(m[1]), today);
      return date ? { date, precision: 2 } : null;
    },
  ],
  // Weekdays
  [
    new RegExp(`\\b${weekday}(?:'s)?\\b`, 'g'),
    (m, today) => ({ date: nextWeekday(weekdayOf.get(m[1] ?? '') ?? 1, today), precision: 2 }),
  ],
  // Today, tomorrow, the day after
  [
    /\b(?:today|tonight|this (?:morning|afternoon|evening)|end of (?:the )?day|close of business|aujourd'hui|ce (?:soir|matin)|heute|hoy|vandaag|vanavond|vanmiddag)\b/g,
    (_m, today) => ({ date: today.date, precision: 2 }),
  ],
  [
    /\b(?:day after tomorrow|apres-demain|apres demain|ubermorgen|uebermorgen|pasado manana|overmorgen)\b/g,
    (_m, today) => ({ date: addDays(today.date, 2), precision: 2 }),
  ],
  [
    /(?<!\bguten\s|\bgoede\s|\bgoeie\s|\bla\s|\besta\s|\bpasado\s|\bapres-)\b(?:tomorrow|demain|morgen|manana)\b/g,
    (_m, today) => ({ date: addDays(today.date, 1), precision: 2 }),
  ],
  // Weeks
  [
    /\b(?:early next week|debut de la semaine prochaine|anfang nachster woche|anfang naechster woche|a principios de la semana que viene|begin volgende week|begin van volgende week)\b/g,
    (_m, today) => ({ date: addDays(fridayOf(1, today), -3), precision: 1 }),
  ],
  [
    /\b(?:(?:the )?end of next week|next week|(?:la )?semaine prochaine|fin de la semaine prochaine|nachste woche|naechste woche|nachsten woche|naechsten woche|kommende woche|kommenden woche|ende nachster woche|(?:la )?semana que viene|(?:la )?proxima semana|volgende week|komende week|eind volgende week)\b/g,
    (_m, today) => ({ date: fridayOf(1, today), precision: 1 }),
  ],
  [
    /\b(?:(?:the )?end of (?:the |this )?week|this week|by the weekend|cette semaine|fin de (?:la )?semaine|diese woche|diesen woche|ende der woche|ende dieser woche|esta semana|finales de semana|fin de semana|deze week|eind van de week|einde van de week|eind deze week)\b/g,
    (_m, today) => ({ date: today.weekday <= 5 ? fridayOf(0, today) : fridayOf(1, today), precision: 1 }),
  ],
  // Months
  [
    /\b(?:(?:the )?end of next month|fin du mois prochain|ende nachsten monats|ende naechsten monats|ende des nachsten monats|finales del (?:mes que viene|proximo mes)|fin del (?:mes que viene|proximo mes)|eind volgende maand|einde volgende maand)\b/g,
    (_m, today) => ({ date: endOfMonth(1, today), precision: 1 }),
  ],
  [
    /\b(?:(?:the )?end of (?:the |this )?month|month[- ]end|fin (?:du|de ce) mois|fin de mois|ende (?:des|dieses) monats|monatsende|ende (?:des )?monat|final(?:es)? de(?:l)? mes|fin de(?:l)? mes|eind(?:e)? van de maand|eind deze maand|einde (?:van )?de maand|eind van deze maand)\b/g,
    (_m, today) => ({ date: endOfMonth(0, today), precision: 1 }),
  ],
  // In/within N days or weeks
  [
    /\b(?:in|within|over the next|dans|sous|d'ici|innerhalb(?: von)?|binnen|en|dentro de)\s+(\d{1,2}|a|an|one|two|three|four|five|six|seven|ten|fourteen|un|une|deux|trois|ein|einer|zwei|drei|uno|una|dos|tres|een|twee|drie)\s+(?:working\s+|business\s+)?(days?|weeks?|jours?|semaines?|tag(?:en)?|woche(?:n)?|dias?|semanas?|dagen|dag|weken|week)\b/g,
    (m, today) => {
      const count = /^\d/.test(m[1] ?? '') ? Number(m[1]) : (numberWords[m[1] ?? ''] ?? 0);
      if (!count) return null;
      const weeks = /^(?:week|semaine|woche|semana|weken)/.test(m[2] ?? '');
      return { date: addDays(today.date, weeks ? count * 7 : count), precision: 1 };
    },
  ],
];

/** Every date the folded text names, earliest first, overlapping mentions reduced to the most precise. */
export function findDates(folded: string, today: Today): DateMention[] {
  const found: DateMention[] = [];
  for (const [pattern, read] of readers) {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(folded); match; match = pattern.exec(folded)) {
      const value = read(match, today);
      if (value?.date) {
        found.push({ start: match.index, end: match.index + match[0].length, ...value } as DateMention);
      }
    }
  }
  found.sort((a, b) => b.precision - a.precision || b.end - b.start - (a.end - a.start));
  const kept: DateMention[] = [];
  for (const mention of found) {
    if (!kept.some((other) => mention.start < other.end && other.start < mention.end)) kept.push(mention);
  }
  return kept.sort((a, b) => a.start - b.start);
}
