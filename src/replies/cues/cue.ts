export type ContentClass = 'unsubscribe' | 'dispute' | 'paid_already' | 'plan_request' | 'promise';

export interface Cue {
  pattern: RegExp;
  weight: number;
  /** Discounted when its clause says no ("have not paid", "nicht bezahlt", "n'a pas été payée"). */
  negatable?: boolean;
  /** Discounted when its clause (up to the phrase) matches this: conditions, the future. */
  unless?: RegExp;
  /** Discounted when the rest of its sentence matches this ("stop sending reminders until …"). */
  unlessAfter?: RegExp;
  /** Discounted when the whole reply matches this ("refund the duplicate" after "we paid it twice"). */
  unlessReply?: RegExp;
  /** A request to stop that a dispute in the same reply outweighs ("this is disputed, stop sending these"). */
  soft?: boolean;
  /** A statement, not a question: discounted when its clause ends in "?" ("was this paid?", "can I pay by card?"). */
  statement?: boolean;
}

/** Any character of one sentence: a dot counts only after a digit (16.11. is a date, not an end). */
const sentenceCharacter = String.raw`(?:[^.!?\n]|(?<=\d)\.)`;

/** A global regular expression from a raw template; "~" stands for one character of the same sentence. */
export function rx(strings: TemplateStringsArray): RegExp {
  return new RegExp(String.raw(strings).replaceAll('~', sentenceCharacter), 'gm');
}
