import { type Cue, negation } from './reply-cues.js';

/** A phrase found in the folded reply: where, and how sure it makes its class. */
export interface Hit {
  start: number;
  end: number;
  weight: number;
  /** A request to stop that a dispute in the same reply outweighs. */
  soft?: boolean;
}

export function firstMatch(pattern: RegExp, folded: string): Hit | null {
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

/** A question opens with a verb or a question word ("did you get", "has this been", "wurde die"). */
const questionOpening =
  /^\W*(?:did|do|does|have|has|had|is|are|was|were|can|could|will|would|shall|should|may|what|when|where|which|who|why|how|wurde|wurden|ist|sind|haben|hat|habt|konnen|kann|avez|est-ce|a-t-il|ha|han|hemos|es|esta|heeft|hebben|hebt|is|zijn|kunt|kan|wanneer|quand|cuando|wann)\b/;

/**
 * A question, not a statement: its clause ends in "?", except an indignant "??" after a claim ("i paid
 * it last week?? check your bank"), which still says the claim unless the clause opens like a question.
 */
function isQuestion(folded: string, clauseFrom: number, index: number): boolean {
  if (clauseEnd(folded, index) !== '?') return false;
  const rest = folded.slice(index);
  const mark = rest.indexOf('?');
  if (rest.slice(mark, mark + 2) !== '??') return true;
  return questionOpening.test(folded.slice(clauseFrom, index + mark));
}

export function findHits(folded: string, list: Cue[]): Hit[] {
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
      const from = clauseStart(folded, start);
      const clause = folded.slice(from, end);
      if (cue.negatable && negation.test(clause)) continue;
      if (cue.unless?.test(clause)) continue;
      if (cue.unlessAfter?.test(folded.slice(end))) continue;
      if (cue.unlessReply?.test(folded)) continue;
      if (cue.statement && isQuestion(folded, from, start)) continue;
      found.push({ start, end, weight: cue.weight, ...(cue.soft ? { soft: true } : {}) });
    }
  }
  return found;
}
