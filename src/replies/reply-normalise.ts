/**
 * Reply text made even before the cues read it (issue #20): a sign-off and what follows it cut off,
 * and common shorthand and misspellings written out ("ill pay tomorow" reads as "i'll pay tomorrow").
 * Only the classifier uses this; what a person is shown stays `ownWords`.
 */

/** A closing line ("Kind regards", "Thanks, Dave", "Mit freundlichen Grüßen"), alone on its line. */
const signOff =
  /^[ \t]*(?:(?:kind|best|warm|warmest|many|with)\s+(?:regards|wishes|thanks)|regards|kr|br|rgds|thanks(?:\s+again|\s+very\s+much|\s+so\s+much)?|thank\s+you|thx|ta|cheers|best|all\s+the\s+best|sincerely|yours\s+(?:sincerely|faithfully|truly)|mit\s+freundlichen\s+gr(?:ü|ue)(?:ß|ss)en|freundliche\s+gr(?:ü|ue)(?:ß|ss)e|viele\s+gr(?:ü|ue)(?:ß|ss)e|beste\s+gr(?:ü|ue)(?:ß|ss)e|lg|mfg|gru(?:ß|ss)|cordialement|bien\s+cordialement|salutations(?:\s+distinguées)?|bien\s+à\s+vous|bonne\s+journée|saludos(?:\s+cordiales)?|un\s+saludo|atentamente|met\s+vriendelijke\s+groet(?:en)?|vriendelijke\s+groet(?:en)?|groeten|groet|mvg)[ \t]*[,.!]*(?:[ \t]+[A-Za-zÀ-ÿ'’-]+){0,2}[ \t]*[,.!]?[ \t]*$/im;

/** Cuts the text at a sign-off line that is not its first line (so "Thanks" alone stays). */
export function dropSignOff(text: string): string {
  const lines = new RegExp(signOff.source, 'gim');
  for (let match = lines.exec(text); match; match = lines.exec(text)) {
    const before = text.slice(0, match.index);
    if (before.trim() !== '') return before.trimEnd();
  }
  return text;
}

/** Shorthand and misspellings, as folded (lower case, no accents), with what they stand for. */
const spellings: Array<[RegExp, string]> = [
  [/\b(?:tomorow|tommorow|tommorrow|tomorrrow|tmrw|tmw|2moro|2morrow)\b/g, 'tomorrow'],
  [
    /\bill(?=\s+(?:pay|transfer|send|get|do|sort|make|be|have|settle|clear|arrange|wire|put|process))/g,
    "i'll",
  ],
  [
    /\bim\b(?=\s+(?:going|paying|away|not|sorry|off|out|back|afraid|just|currently|still|waiting|unable|trying|having|really|so|on|in|at|a|an|the|happy|sure|confused|disputing|about))/g,
    "i'm",
  ],
  [/\b(?:ive)\b(?=\s+(?:already|just|paid|payed|sent|settled|transferred|made|done|sorted))/g, "i've"],
  [/\b(?:weve)\b/g, "we've"],
  [/\bwont\b/g, "won't"],
  [/\bdont\b/g, "don't"],
  [/\bcant\b/g, "can't"],
  [/\bdidnt\b/g, "didn't"],
  [/\bhavent\b/g, "haven't"],
  [/\bhasnt\b/g, "hasn't"],
  [/\bisnt\b/g, "isn't"],
  [/\bdoesnt\b/g, "doesn't"],
  [/\bwasnt\b/g, "wasn't"],
  [/\bthats\b/g, "that's"],
  [/\bur\b/g, 'your'],
  [/\b(?:wk|wks)\b/g, 'week'],
  [/\bnxt\b/g, 'next'],
  [/\b(?:pls|plz|plse)\b/g, 'please'],
  [/\b(?:thx|thanx|thnx|tks)\b/g, 'thanks'],
  [/\brec(?:ie|e)ved\b/g, 'received'],
  [/\brec(?:ie|e)ve\b/g, 'receive'],
  [/\btransfered\b/g, 'transferred'],
  [/\b(?:payed)\b/g, 'paid'],
  [/\b(?:paymnet|paymet|pymt|pmt)\b/g, 'payment'],
  [/\b(?:invoce|invioce)\b/g, 'invoice'],
  [/\b(?:sory|soz)\b/g, 'sorry'],
  [/\b(?:tues)\b/g, 'tuesday'],
  [/\b(?:weds|wed)\b/g, 'wednesday'],
  [/\b(?:thurs|thur|thu)\b/g, 'thursday'],
  [/\b(?:fri)\b/g, 'friday'],
  [/\beom\b/g, 'end of month'],
  [/\beow\b/g, 'end of week'],
  [/\bcob\b/g, 'close of business'],
];

export interface Normalised {
  text: string;
  /** For each character of `text`, where the input's words it came from start and end. */
  from: number[];
  to: number[];
}

/**
 * Folded text with shorthand written out. `from` and `to` point each character back at the input,
 * so a phrase found in `text` can be quoted in the reply's own words ("ill pay", not "i'll pay").
 */
export function normalise(folded: string): Normalised {
  const edits: Array<{ start: number; end: number; to: string }> = [];
  for (const [pattern, to] of spellings) {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(folded); match; match = pattern.exec(folded)) {
      const start = match.index;
      const end = start + match[0].length;
      if (match[0] === to || edits.some((edit) => start < edit.end && edit.start < end)) continue;
      edits.push({ start, end, to });
    }
  }
  edits.sort((a, b) => a.start - b.start);
  let text = '';
  const from: number[] = [];
  const to: number[] = [];
  let at = 0;
  const keep = (until: number) => {
    for (; at < until; at++) {
      text += folded[at];
      from.push(at);
      to.push(at + 1);
    }
  };
  for (const edit of edits) {
    keep(edit.start);
    text += edit.to;
    for (let i = 0; i < edit.to.length; i++) {
      from.push(edit.start);
      to.push(edit.end);
    }
    at = edit.end;
  }
  keep(folded.length);
  return { text, from, to };
}
