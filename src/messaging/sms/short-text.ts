import { countSegments, type SegmentCount } from './segments.js';

export interface ShortTextInput {
  /** The organisation's name, as the debtor knows it. */
  organisationName: string;
  /** The amount owed, already formatted ("£1,250.00"). */
  amount: string;
  /** "overdue since 3 May", "due on 12 June": already in words. */
  when: string;
  /** The debtor's signed portal link. */
  portalUrl: string;
}

export interface ShortText extends SegmentCount {
  body: string;
}

/** Most a text may be: one GSM-7 segment. */
export const shortTextLimit = 160;

/**
 * A reminder as a text: who, how much, when, and the portal link, in one GSM-7 segment when it fits.
 * It is shortened step by step (the closing word, then the organisation's name, then the "when") so the
 * link is never cut; a text that still does not fit says how many segments it takes. Characters outside
 * GSM-7 in the organisation's name are replaced (a curly quote would turn the text into UCS-2 and cut it
 * to 70 characters), never the link.
 */
export function renderShortText(input: ShortTextInput): ShortText {
  const name = gsmSafe(input.organisationName).trim();
  const candidates = [
    `${name}: ${input.amount} ${input.when}. Pay or reply on your secure page: ${input.portalUrl} Reply STOP to opt out`,
    `${name}: ${input.amount} ${input.when}. Pay here: ${input.portalUrl} Reply STOP to opt out`,
    `${truncate(name, 24)}: ${input.amount} ${input.when}. Pay: ${input.portalUrl} STOP to opt out`,
    `${truncate(name, 24)}: ${input.amount} due. Pay: ${input.portalUrl} STOP to opt out`,
    `${truncate(name, 16)}: ${input.amount}. ${input.portalUrl} STOP=opt out`,
  ];
  let best: ShortText | undefined;
  for (const body of candidates) {
    const counted = { body, ...countSegments(body) };
    if (counted.encoding === 'GSM-7' && counted.units <= shortTextLimit) return counted;
    if (!best || counted.segments < best.segments) best = counted;
  }
  return best as ShortText;
}

const replacements: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u2026': '...',
  '\u00A0': ' ',
};

/** Common typographic characters made GSM-7, accents stripped where GSM-7 lacks them. */
export function gsmSafe(text: string): string {
  return [...text]
    .map((char) => {
      const replaced = replacements[char];
      if (replaced !== undefined) return replaced;
      if (countSegments(char).encoding === 'GSM-7') return char;
      const plain = char.normalize('NFD').replace(/\p{M}/gu, '');
      return countSegments(plain).encoding === 'GSM-7' ? plain : '?';
    })
    .join('');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}.`;
}
