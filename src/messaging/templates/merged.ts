/*
 * Merged values in a rendered body. Liquid marks where each `{{ … }}` output starts and ends (private
 * use characters no ledger text or template holds), so the HTML email can tell the business's own
 * words, whose web addresses, paragraphs and lists are read (`body.ts`), from values that came from
 * the ledger or the settings (a customer's name, an invoice number, payment instructions), which are
 * shown as text whatever they hold: a name with "https://evil.example" in it is not a link there. A
 * value that is a whole web or email address (`{{ portalUrl }}`, a payment link, the business's email)
 * is still a link.
 */

const start = '\uE000';
const end = '\uE001';
/** Stands for the n-th merged value while the body is made HTML. */
const placeholder = (index: number) => `\uE002${index}\uE003`;
const placeholders = /\uE002(\d+)\uE003/g;
const markers = /[\uE000-\uE003]/g;

export const markMerged = (value: string): string => `${start}${value}${end}`;

/** The rendered text without the marks: what the text email and the subject say. */
export const unmark = (text: string): string => text.replace(markers, '');

/** A value that is a whole web or email address (`{{ organisation.email }}`): it may become a link. */
const wholeAddress = /^(?:(?:https?:\/\/|mailto:)[^\s<>"]+|[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+)$/;

/**
 * The body with each merged value set aside (a whole web address left in place to become a link),
 * and a function that puts the set-aside values back, escaped by `escapeText`, into the HTML made of it.
 */
export function setAsideMerged(
  body: string,
  escapeText: (text: string) => string,
): { text: string; putBack: (html: string) => string } {
  const values: string[] = [];
  let text = '';
  let depth = 0;
  let current = '';
  for (const character of body) {
    if (character === start) {
      depth += 1;
      continue;
    }
    if (character === end) {
      depth = Math.max(0, depth - 1);
      if (depth === 0) {
        if (wholeAddress.test(current)) text += current;
        else {
          values.push(current);
          text += placeholder(values.length - 1);
        }
        current = '';
      }
      continue;
    }
    if (character === '\uE002' || character === '\uE003') continue;
    if (depth > 0) current += character;
    else text += character;
  }
  text += current;
  const putBack = (html: string) =>
    html.replace(placeholders, (_, index: string) =>
      escapeText(values[Number(index)] ?? '').replace(/\n/g, '<br>\n'),
    );
  return { text, putBack };
}
