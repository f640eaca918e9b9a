import MarkdownIt from 'markdown-it';
import { setAsideMerged } from './merged.js';

/**
 * The conventions of a template's body, as the business writes it (after Liquid has filled in the
 * merge fields). It is plain text, and the text email is exactly that text; the HTML email reads it
 * with a small subset of Markdown:
 *
 * - a blank line starts a new paragraph; a single line break stays a line break;
 * - a line starting with "- " is an item of a bulleted list ("1. " numbers the items);
 * - a web address written out (`https://…`, also from a merge field such as `{{ portalUrl }}`) and an
 *   email address become links;
 * - everything else is text: `<`, `>` and `&` are shown as written, so markup in a body (or in a
 *   customer's name) never becomes HTML. Headings, emphasis, images, `[text](link)` links, code and
 *   raw HTML are not read, and shown as written.
 */
const markdown = new MarkdownIt('zero', { html: false, linkify: true, breaks: true, typographer: false });
markdown.enable(['list', 'linkify', 'newline']);
// Only addresses written with their scheme (http, https, mailto) and email addresses become links:
// not bare domains, IP addresses, protocol-relative (`//host`) or ftp addresses.
markdown.linkify.set({ fuzzyLink: false, fuzzyIP: false, fuzzyEmail: true });
markdown.linkify.add('ftp:', null).add('//', null);

/**
 * The body's HTML: paragraphs, lists and links of the business's own words, every character of the
 * text escaped; merged values (marked by Liquid) shown as text, unless one is a whole web address.
 */
export function bodyToHtml(body: string): string {
  const { text, putBack } = setAsideMerged(body, markdown.utils.escapeHtml);
  return putBack(markdown.render(text).trim());
}

/** The help the editor shows next to the body field. */
export const bodyConventions: ReadonlyArray<{ write: string; get: string }> = [
  { write: 'A blank line', get: 'A new paragraph (one line break stays a line break).' },
  { write: '- Pay online', get: 'An item of a bulleted list; "1. " numbers the items.' },
  {
    write: 'https://… or {{ portalUrl }}',
    get: 'A link, in the HTML email; an email address becomes a link too.',
  },
  {
    write: '<b>, **, [text](link)',
    get: 'Shown as written: the body is plain text, not HTML or Markdown.',
  },
];
